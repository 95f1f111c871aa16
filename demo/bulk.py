"""Bulk-writing helpers for the demo: the tally of created rows, batches, back-dated stamps."""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class DemoSummary:
    created: dict[str, int] = field(default_factory=dict)
    accounts: list[tuple[str, str]] = field(default_factory=list)

    def add(self, key: str, count: int) -> None:
        self.created[key] = self.created.get(key, 0) + count


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def local_at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """`day` at `hour:minute` on the local wall clock."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def stamps_set(objects: list, **fields_by_object) -> None:
    """Set auto_now(_add) columns after bulk_create (which stamps them with the present)."""
    if not objects:
        return
    model = type(objects[0])
    names = list(fields_by_object)
    for obj_index, obj in enumerate(objects):
        for name in names:
            setattr(obj, name, fields_by_object[name][obj_index])
    model.objects.bulk_update(objects, names, batch_size=500)
