"""Which of some worker ids pass a request's credential and busy-time rules, answered by SQL
compiled once per request shape (marketplace.selectors.matching asks it about each head of
ranked workers)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from marketplace.models import Category
from marketplace.selectors.eligibility import (
    BusyRows,
    Slot,
    eligible_workers,
    not_busy,
    not_on_leave,
    service_dates,
)


def eligible_queryset(
    *,
    category: Category,
    slots: Sequence[Slot],
    busy: BusyRows,
    dates: tuple[dt.date, dt.date] | None = None,
) -> QuerySet:
    """The credential, busy-time and time-off rules of a request (dates: its service dates by
    default; busy: the busy-time check, see eligibility.BusyRows)."""
    starts_on, ends_on = dates or service_dates(slots)
    return eligible_workers(category=category, starts_on=starts_on, ends_on=ends_on).filter(
        not_busy(slots, busy=busy), not_on_leave(slots)
    )


# Stand-ins for the request's values while a probe's SQL is compiled once per shape: values
# that no constant of the eligibility rules can equal (see EligibleProbe).
_STAND_IN_CATEGORY_PK = -918_273_645
_STAND_IN_EPOCH = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)


@dataclass(frozen=True)
class _ProbeTemplate:
    sql: str
    params: tuple
    roles: tuple  # per parameter: None (a constant), "ids", "category", or a stand-in index


class EligibleProbe:
    """Which of some worker ids pass the credential and busy-time rules of a request.

    The rules are `eligible_workers(...)` and `not_busy(slots, busy=busy)`, the ORM querysets,
    compiled to SQL once per shape (database, whether the trade needs a certificate, number of
    slots, busy-time check) with
    stand-in values, and the ids as one array parameter (SQLite: json_each over a JSON list;
    PostgreSQL: unnest of a bigint array). A request then only swaps its own values into the
    parameter list: compiling the ORM expression costs several times more than running it.
    The swap is checked when the template is made (every stand-in must be found, each in its
    place); if not, or on another database, the probe falls back to the ORM on every call.
    Answers are remembered, so a worker seen in an earlier box is not asked about again.
    """

    _ARRAY_SQL = {
        "sqlite": "SELECT value FROM json_each(%s)",
        "postgresql": "SELECT unnest(%s::bigint[])",
    }
    _templates: dict[tuple, _ProbeTemplate | None] = {}

    def __init__(self, *, category: Category, slots: Sequence[Slot], busy: BusyRows):
        self.category = category
        self.slots = list(slots)
        self.busy = busy
        self.known: dict[int, bool] = {}
        shape = (category.requires_certificate, len(slots), busy)
        key = (connection.alias, connection.vendor, *shape)
        if key not in self._templates:
            self._templates[key] = self._template(*shape)
        self.template = self._templates[key]
        if self.template is not None:
            values = self._values(category.pk, *service_dates(self.slots), self.slots)
            self.params = [
                value if role is None or role == "ids" else values[role]
                for value, role in zip(self.template.params, self.template.roles, strict=True)
            ]

    @staticmethod
    def _stand_ins(slot_count: int) -> tuple[dt.date, dt.date, list[Slot]]:
        hour = dt.timedelta(hours=1)
        slots = [
            (_STAND_IN_EPOCH + (2 * k + 2) * hour, _STAND_IN_EPOCH + (2 * k + 3) * hour)
            for k in range(slot_count)
        ]
        return _STAND_IN_EPOCH.date(), _STAND_IN_EPOCH.date() + dt.timedelta(days=400), slots

    @staticmethod
    def _values(category_pk: int, starts_on, ends_on, slots) -> dict:
        """Parameter values keyed by role: the category pk and each date/time, as the database
        adapter receives them."""
        ops = connection.ops
        values: dict = {"category": category_pk, 0: ops.adapt_datefield_value(starts_on)}
        values[1] = ops.adapt_datefield_value(ends_on)
        for index, (begins, ends) in enumerate(slots):
            values[2 + 2 * index] = ops.adapt_datetimefield_value(begins)
            values[3 + 2 * index] = ops.adapt_datetimefield_value(ends)
        return values

    @classmethod
    def _template(
        cls, requires_certificate: bool, slot_count: int, busy: BusyRows
    ) -> _ProbeTemplate | None:
        array_sql = cls._ARRAY_SQL.get(connection.vendor)
        if array_sql is None:
            return None
        category = Category(pk=_STAND_IN_CATEGORY_PK, requires_certificate=requires_certificate)
        starts_on, ends_on, slots = cls._stand_ins(slot_count)
        marker = object()
        ids = RawSQL(array_sql, [marker])  # noqa: S611 (constant SQL, the ids as a parameter)
        queryset = eligible_queryset(
            category=category, slots=slots, busy=busy, dates=(starts_on, ends_on)
        )
        queryset = queryset.filter(pk__in=ids).values_list("pk", flat=True)
        sql, params = queryset.query.get_compiler(connection=connection).as_sql()
        stand_ins = cls._values(category.pk, starts_on, ends_on, slots)
        by_value = {value: role for role, value in stand_ins.items()}
        roles = []
        for value in params:
            if value is marker:
                roles.append("ids")
            elif isinstance(value, Hashable) and value in by_value:
                roles.append(by_value[value])
            else:
                roles.append(None)
        # Every stand-in must be a parameter of its own (never folded into the SQL text).
        if set(by_value.values()) | {"ids"} != {role for role in roles if role is not None}:
            return None
        return _ProbeTemplate(sql=sql, params=tuple(params), roles=tuple(roles))

    def among(self, ids: list[int]) -> list[int]:
        unknown = [pk for pk in ids if pk not in self.known]
        if unknown:
            for pk in unknown:
                self.known[pk] = False
            for pk in self._query(unknown):
                self.known[pk] = True
        return [pk for pk in ids if self.known[pk]]

    def _query(self, ids: list[int]) -> list[int]:
        if self.template is None:
            queryset = eligible_queryset(category=self.category, slots=self.slots, busy=self.busy)
            return list(queryset.filter(pk__in=ids).values_list("pk", flat=True))
        params = [
            (json.dumps(ids) if connection.vendor == "sqlite" else ids) if role == "ids" else value
            for value, role in zip(self.params, self.template.roles, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.template.sql, params)
            return [row[0] for row in cursor.fetchall()]
