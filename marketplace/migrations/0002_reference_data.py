from django.db import migrations


def forwards(apps, schema_editor):
    from marketplace.reference_data import load

    load(apps.get_model("marketplace", "Division"), apps.get_model("marketplace", "Category"))


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
