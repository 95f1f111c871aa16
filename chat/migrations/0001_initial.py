# Chat moved out of the notifications app: the tables stay where they are (same names, same
# rows); only Django's model state changes hands. notifications 0002 drops the old state.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('notifications', '0001_initial'),
        ('orders', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ChatMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('body', models.TextField(max_length=2000)),
                        ('client_id', models.CharField(blank=True, max_length=64, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='orders.order')),
                        ('sender', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '聊天消息',
                        'verbose_name_plural': '聊天消息',
                        'db_table': 'notifications_chatmessage',
                        'ordering': ['id'],
                        'indexes': [models.Index(fields=['order', 'id'], name='notificatio_order_i_101ba1_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('client_id__isnull', False)), fields=('order', 'sender', 'client_id'), name='chat_client_id_once')],
                    },
                ),
                migrations.CreateModel(
                    name='ReadMarker',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('last_read_id', models.BigIntegerField(default=0)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orders.order')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'notifications_readmarker',
                        'constraints': [models.UniqueConstraint(fields=('order', 'user'), name='one_read_marker')],
                    },
                ),
            ],
        ),
    ]
