"""Routes of the metrics under /api/v1/metrics/."""

from django.urls import path

from metrics import apis

urlpatterns = [
    path("summary/", apis.SummaryApi.as_view(), name="metrics-summary"),
    path("breakdown/", apis.BreakdownApi.as_view(), name="metrics-breakdown"),
    path("export.csv", apis.ExportCsvApi.as_view(), name="metrics-export"),
]
