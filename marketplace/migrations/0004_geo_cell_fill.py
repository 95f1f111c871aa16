"""Fill `WorkerProfile.geo_cell` for existing rows and index the cell with the base point.

The cell comes from `marketplace.geo.cell_for`, the one function that computes it (a change of
the grid needs a new migration that refills every row). The composite index
(geo_cell, base_latitude, base_longitude) lets a search seek each listed cell by latitude and
check longitude inside the index; it replaces the single-column `worker_geo_cell`, which is its
prefix.
"""

from django.db import migrations, models

BATCH = 10_000


def fill_geo_cells(apps, schema_editor):
    from marketplace.geo import cell_for

    WorkerProfile = apps.get_model("marketplace", "WorkerProfile")
    table = schema_editor.connection.ops.quote_name(WorkerProfile._meta.db_table)
    sql = f"UPDATE {table} SET geo_cell = %s WHERE id = %s"  # noqa: S608 (table name from meta)
    last = 0
    while True:
        rows = list(
            WorkerProfile.objects.using(schema_editor.connection.alias)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "base_latitude", "base_longitude", "geo_cell")[:BATCH]
        )
        if not rows:
            break
        last = rows[-1][0]
        changes = [
            (cell, pk)
            for pk, latitude, longitude, stored in rows
            if (cell := cell_for(latitude, longitude)) != stored
        ]
        if changes:
            with schema_editor.connection.cursor() as cursor:
                cursor.executemany(sql, changes)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0003_worker_geo_cell"),
    ]

    operations = [
        # Drop the old index first so the fill does not maintain it row by row.
        migrations.RemoveIndex(model_name="workerprofile", name="worker_geo_cell"),
        migrations.RunPython(fill_geo_cells, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="workerprofile",
            index=models.Index(
                fields=["geo_cell", "base_latitude", "base_longitude"], name="worker_cell_point"
            ),
        ),
    ]
