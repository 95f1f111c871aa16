"""Fill `WorkerProfile.geo_cell` for existing rows and index the cell with the base point.

The cell comes from `marketplace.geo.cell_for`, the one function that computes it (a change of
the grid needs a new migration that refills every row). The composite index
`worker_cell_point` (geo_cell, base_latitude, base_longitude, then the columns of the match
score and the account flags) lets a search seek each listed cell by latitude, check longitude,
planar reach and score inside the index, and read the table only for workers that can still
rank; it replaces the single-column `worker_geo_cell`, which is its prefix.
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
                fields=[
                    "geo_cell",
                    "base_latitude",
                    "base_longitude",
                    "service_radius_km",
                    "rating_sum",
                    "rating_count",
                    "completed_jobs",
                    "no_shows",
                    "late_cancellations",
                    "is_verified",
                    "is_accepting_offers",
                ],
                name="worker_cell_point",
            ),
        ),
    ]
