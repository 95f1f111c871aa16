"""The federation dashboard: PRODUCT.md §4's metrics as figures, charts and tables, by month,
division and trade, with filters and the CSV export. Aggregates only: no names, phones or
addresses reach the page.

The numbers come from the metrics app (the same filter parsing, rows and CSV as
/api/v1/metrics/…); the charts are drawn in the browser by uPlot from a JSON block, and the
same numbers are in a table under each chart.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.exceptions import ValidationFailed
from marketplace.models import Role
from metrics.apis import breakdown_rows, metrics_csv, metrics_filter_from
from metrics.competitions import competition_prize_counts
from metrics.selectors import metrics_summary
from orders.statuses import OrderStatus
from web.forms import apply_errors
from web.forms_agency import MetricsFilterForm
from web.views.agency.statements import csv_response

# (key of a row, label) of the series each chart draws.
CHART_SERIES = [
    ("signed_contracts", gettext_lazy("签约合同")),
    ("served_households", gettext_lazy("服务家庭")),
    ("employed_workers", gettext_lazy("就业人数")),
]
BREAKDOWNS = [
    ("month", gettext_lazy("按月份")),
    ("division", gettext_lazy("按镇街")),
    ("category", gettext_lazy("按工种")),
]


def federation_required(view):
    """Federation officers and operators (as the metrics API); anyone else 404."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.FEDERATION and not request.user.is_operator:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _filters(request):
    """The bound filter form and the metrics filter (the default period when it is invalid)."""
    form = MetricsFilterForm(request.GET or None)
    params = form.api_params() if form.is_bound and form.is_valid() else {}
    try:
        filters, echo = metrics_filter_from(params)
    except ValidationFailed as error:
        names = {"from": "start", "to": "end"}
        apply_errors(
            form, {names.get(error.field, error.field) or "non_field_errors": [error.detail]}
        )
        filters, echo = metrics_filter_from({})
        params = {}
    return form, filters, echo, params


def _chart(by: str, title, rows: list[dict]) -> dict:
    return {
        "by": by,
        "title": str(title),
        "labels": [row["label"] for row in rows],
        "series": [
            {"key": key, "label": str(label), "values": [row[key] for row in rows]}
            for key, label in CHART_SERIES
        ],
    }


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@federation_required
def dashboard(request):
    form, filters, echo, params = _filters(request)
    summary = metrics_summary(filters=filters)
    breakdowns = []
    for by, title in BREAKDOWNS:
        rows = breakdown_rows(filters, by)
        for row in rows:
            row["cancellation_percent"] = _percent(row["cancellation_rate"])
        breakdowns.append(
            {"by": by, "title": title, "rows": rows, "chart": _chart(by, title, rows)}
        )
    figures = [
        ("signed_contracts", _("签约合同"), summary["signed_contracts"]),
        ("served_households", _("服务家庭"), summary["served_households"]),
        ("employed_workers", _("就业人数"), summary["employed_workers"]),
        ("trained_women", _("培训人数"), summary["trained_women"]),
        ("pre_job_training_rate", _("岗前培训率"), _percent(summary["pre_job_training_rate"])),
        ("health_check_rate", _("岗前体检率"), _percent(summary["health_check_rate"])),
        ("orders", _("订单数"), summary["orders"]),
        ("cancellation_rate", _("取消率"), _percent(summary["cancellation_rate"])),
        ("average_rating", _("平均评分"), summary["average_rating"] or "—"),
        (
            "average_hours_to_match",
            _("平均匹配时长（小时）"),
            summary["time_from_request_to_match"]["average"] or "—",
        ),
    ]
    context = {
        "form": form,
        "period": echo["period"],
        "summary": summary,
        "figures": figures,
        "funnel": summary["funnel"],
        "orders_by_status": [
            (status, label, summary["orders_by_status"].get(status, 0))
            for status, label in OrderStatus.choices
            if status in summary["orders_by_status"]
        ],
        "breakdowns": breakdowns,
        "charts": [b["chart"] for b in breakdowns],
        "series": CHART_SERIES,
        "csv_query": urlencode(params),
        "prizes": competition_prize_counts(filters),
    }
    return render(
        request, "web/federation/dashboard.html", context, status=400 if form.errors else 200
    )


@federation_required
def export_csv(request):
    """The breakdown (by month unless `by` says division or category) as CSV."""
    _form, filters, _echo, _params = _filters(request)
    by = request.GET.get("by") if request.GET.get("by") in ("division", "category") else "month"
    name = f"meijia-metrics-{by}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"
    return csv_response(metrics_csv(breakdown_rows(filters, by)), name)


ROUTES = [
    path("federation/", dashboard, name="federation-dashboard"),
    path("federation/export.csv", export_csv, name="federation-export"),
]
