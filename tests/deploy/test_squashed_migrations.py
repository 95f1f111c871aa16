"""The squashed migrations: a new database takes one migration per app, and migrations written
against the old leaf names (by work done in parallel) still find their place in the graph."""

import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

import orders.migrations

SQUASHED = {
    "marketplace": ("0001_squashed_0005_safety", "0005_safety"),
    "orders": ("0001_squashed_0006_offer_seen", "0006_offer_seen"),
    "metrics": ("0001_squashed_0003_covering_cell_indexes", "0003_covering_cell_indexes"),
}

PROBE = """
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_offer_seen"), ("marketplace", "0004_geo_cell_fill")]
    operations = [
        migrations.AddField("offer", "probe", models.CharField(max_length=5, default="")),
    ]
"""


def test_a_new_database_takes_the_squashed_migration_of_each_app():
    loader = MigrationLoader(None)  # nothing applied: the squashed migrations stand in
    for app, (squashed, old_leaf) in SQUASHED.items():
        assert (app, squashed) in loader.graph.nodes
        assert (app, old_leaf) not in loader.graph.nodes
        replaces = loader.disk_migrations[(app, squashed)].replaces
        on_disk = sorted(
            name
            for a, name in loader.disk_migrations
            if a == app and name != squashed and name <= old_leaf
        )
        assert [name for _, name in replaces] == on_disk  # every old file, in order
        for leaf in loader.graph.leaf_nodes(app):  # later migrations build on the squash
            assert (app, squashed) in loader.graph.forwards_plan(leaf)


@pytest.mark.django_db
def test_the_test_database_recorded_the_replaced_migrations_as_applied():
    applied = MigrationLoader(connection).applied_migrations
    for app, (squashed, old_leaf) in SQUASHED.items():
        assert (app, squashed) in applied and (app, old_leaf) in applied


def test_a_migration_on_top_of_an_old_leaf_name_still_builds(tmp_path, settings, monkeypatch):
    package = tmp_path / "orders_migrations_probe"
    shutil.copytree(Path(orders.migrations.__file__).parent, package)
    (package / "0007_probe.py").write_text(PROBE)
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.MIGRATION_MODULES = {"orders": "orders_migrations_probe"}
    loader = MigrationLoader(None)
    plan = loader.graph.forwards_plan(("orders", "0007_probe"))
    assert ("orders", "0001_squashed_0006_offer_seen") in plan
    assert ("marketplace", "0001_squashed_0005_safety") in plan
    assert ("orders", "0007_probe") in loader.graph.leaf_nodes("orders")
