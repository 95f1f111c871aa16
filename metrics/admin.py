"""Operator admin for the metrics rollups: readable, never edited (metrics.services keeps them
equal to the facts; metrics.reconcile checks that)."""

from django.contrib import admin

from backend.admin_records import ReadOnlyAdmin
from metrics.models import (
    DailyCount,
    DistinctDayCell,
    DistinctMember,
    DistinctMonthCell,
    MonthlyCount,
    OrderLedger,
    SubjectLock,
)

for model in (
    DailyCount,
    MonthlyCount,
    OrderLedger,
    DistinctMember,
    DistinctDayCell,
    DistinctMonthCell,
    SubjectLock,
):
    admin.site.register(model, ReadOnlyAdmin)
