"""Read-only metrics endpoints for federation officers and operators (aggregates only)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.exceptions import ValidationFailed
from marketplace.models import Category, Division
from marketplace.models.catalog import localized
from metrics.permissions import CanReadMetrics
from metrics.selectors import (
    GROUPS,
    MetricsFilter,
    assemble,
    metrics_breakdown,
    metrics_summary,
)

MAX_PERIOD_DAYS = 366 * 10
EMPTY = assemble(Counter(), Counter())


def _date(params, name: str) -> dt.date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(
            _("日期格式应为 YYYY-MM-DD。"), field=name, code="invalid_date"
        ) from None


def metrics_filter_from(params) -> tuple[MetricsFilter, dict]:
    """The period and filters of a request; the default period is the last 12 months."""
    today = timezone.localdate()
    start = _date(params, "from")
    end = _date(params, "to") or today
    if start is None:  # the first day of the month eleven months before `to`
        months = end.year * 12 + end.month - 1 - 11
        start = dt.date(months // 12, months % 12 + 1, 1)
    if end < start:
        raise ValidationFailed(_("结束日期不能早于开始日期。"), field="to")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationFailed(_("统计区间不能超过10年。"), field="from")
    division = category = None
    division_code = (params.get("division") or "").strip()
    if division_code:
        division = Division.objects.filter(code=division_code).first()
        if division is None:
            raise ValidationFailed(_("未知的行政区划。"), field="division")
    category_code = (params.get("category") or "").strip()
    if category_code:
        category = Category.objects.filter(code=category_code).first()
        if category is None:
            raise ValidationFailed(_("未知的工种。"), field="category")
    filters = MetricsFilter(
        start=start,
        end=end,
        division_id=division.pk if division else None,
        category_id=category.pk if category else None,
    )
    echo = {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "filters": {
            "division": division.code if division else None,
            "category": category.code if category else None,
        },
    }
    return filters, echo


def _group_from(params) -> str:
    by = (params.get("by") or "").strip()
    if by not in GROUPS:
        raise ValidationFailed(_("分组方式应为 division、category 或 month。"), field="by")
    return by


def breakdown_rows(filters: MetricsFilter, by: str) -> list[dict]:
    """One row per bucket, in display order, with `key` (code or YYYY-MM) and `label`."""
    values = metrics_breakdown(filters=filters, by=by)
    rows = []
    if by == "month":
        for month in sorted(values):
            key = month.strftime("%Y-%m")
            rows.append({"key": key, "label": key, **values[month]})
        return rows
    model = Division if by == "division" else Category
    chosen = filters.division_id if by == "division" else filters.category_id
    known = model.objects.all() if chosen is None else model.objects.filter(pk=chosen)
    for item in known:
        rows.append({"key": item.code, "label": item.name, **(values.pop(item.pk, None) or EMPTY)})
    unknown = values.get(0)
    if unknown and any(v for v in unknown.values() if isinstance(v, int)):
        rows.append({"key": "", "label": _("未登记"), **unknown})
    return rows


# Documented for the schema (spectacular could not guess these plain views' bodies).
FILTER_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (default: a year ago)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day (default: today)"),
    OpenApiParameter("division", str, description="division code"),
    OpenApiParameter("category", str, description="trade code"),
]
BY_PARAMETER = OpenApiParameter("by", str, enum=["division", "category", "month"])


class SummaryApi(APIView):
    permission_classes = [IsAuthenticated, CanReadMetrics]

    @extend_schema(parameters=FILTER_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        filters, echo = metrics_filter_from(request.query_params)
        return Response({**echo, **metrics_summary(filters=filters)})


class BreakdownApi(APIView):
    permission_classes = [IsAuthenticated, CanReadMetrics]

    @extend_schema(parameters=[BY_PARAMETER, *FILTER_PARAMETERS], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        by = _group_from(request.query_params)
        filters, echo = metrics_filter_from(request.query_params)
        return Response({"by": by, **echo, "results": breakdown_rows(filters, by)})


# (column, Chinese header, English header, value of a row)
CSV_COLUMNS = [
    ("key", "代码", "Code", lambda r: r["key"]),
    ("label", "名称", "Name", lambda r: r["label"]),
    ("signed_contracts", "签约合同数", "Signed contracts", lambda r: r["signed_contracts"]),
    ("served_households", "服务家庭数", "Households served", lambda r: r["served_households"]),
    ("employed_workers", "就业人数", "Workers employed", lambda r: r["employed_workers"]),
    ("trained_women", "培训人数", "Women trained", lambda r: r["trained_women"]),
    ("certified_workers", "取证人数", "Workers certified", lambda r: r["certified_workers"]),
    ("served_workers", "上岗服务人数", "Workers who served", lambda r: r["served_workers"]),
    (
        "pre_job_training_rate",
        "岗前培训率",
        "Pre-job training rate",
        lambda r: r["pre_job_training_rate"],
    ),
    ("health_check_rate", "岗前体检率", "Health-check rate", lambda r: r["health_check_rate"]),
    ("orders", "订单数", "Orders", lambda r: r["orders"]),
    ("completed_orders", "完成订单数", "Orders completed", lambda r: r["completed_orders"]),
    (
        "cancelled_orders",
        "取消订单数",
        "Orders cancelled",
        lambda r: r["orders_by_status"]["cancelled"],
    ),
    ("cancellation_rate", "取消率", "Cancellation rate", lambda r: r["cancellation_rate"]),
    ("reviews", "评价数", "Reviews", lambda r: r["reviews"]),
    ("average_rating", "平均评分", "Average rating", lambda r: r["average_rating"]),
    (
        "average_hours_to_match",
        "平均匹配时长（小时）",
        "Average hours to match",
        lambda r: r["time_from_request_to_match"]["average"],
    ),
    (
        "median_hours_to_match",
        "匹配时长中位数（小时）",
        "Median hours to match",
        lambda r: r["time_from_request_to_match"]["median"],
    ),
    # The programme funnel (metrics.funnel, metrics.facts): women reaching each stage.
    ("funnel_candidates", "意向人员数", "Candidates", lambda r: r["funnel"]["candidates"]),
    ("funnel_registered", "注册人数", "Registered", lambda r: r["funnel"]["registered"]),
    (
        "funnel_health_checked",
        "体检人数",
        "Health-checked",
        lambda r: r["funnel"]["health_checked"],
    ),
    ("funnel_placed", "就业（录用或签约）人数", "Placed", lambda r: r["funnel"]["placed"]),
]


def metrics_csv(rows: list[dict]) -> str:
    """CSV text with a UTF-8 BOM (Excel and WPS then read the Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([localized(zh, en) for _name, zh, en, _value in CSV_COLUMNS])
    for row in rows:
        writer.writerow(["" if (v := value(row)) is None else v for *_rest, value in CSV_COLUMNS])
    return "\ufeff" + buffer.getvalue()


class ExportCsvApi(APIView):
    permission_classes = [IsAuthenticated, CanReadMetrics]

    @extend_schema(
        parameters=[BY_PARAMETER, *FILTER_PARAMETERS],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        params = request.query_params
        by = _group_from(params) if params.get("by") else "month"
        filters, _echo = metrics_filter_from(params)
        body = metrics_csv(breakdown_rows(filters, by))
        response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
        name = f"meijia-metrics-{by}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
