# Chat's models now belong to the chat app (chat 0001 took over their state); the tables and
# their rows are untouched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('chat', '0001_initial'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='ChatMessage'),
                migrations.DeleteModel(name='ReadMarker'),
            ],
        ),
    ]
