"""A worker's career record: training, certificates, competitions, placements and
ratings on one page and in a PDF, shareable with a new agency through a signed link that
expires after CAREER_SHARE_DAYS. Nothing on it reaches a household: no household names,
addresses or phone numbers, and none of hers (no phone, no ID number)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from backend import pdf
from marketplace.models import RosterEntry, WorkerProfile
from marketplace.selectors.ratings import rating_value
from orders.models import Order, Review
from orders.statuses import OrderStatus, Party
from programme.models import CompetitionEntry

SHARE_SALT = "meijia.career-share"


@dataclass
class CareerRecord:
    worker: WorkerProfile
    trades: list
    training: list
    certificates: list
    competitions: list
    roster: list
    jobs_by_trade: list
    recent_jobs: list
    rating: float | None  # None before her first review
    rating_count: int
    reviews: list
    generated_at: dt.datetime


def career_record(*, worker: WorkerProfile) -> CareerRecord:
    completed = Order.objects.filter(worker=worker, status=OrderStatus.COMPLETED)
    return CareerRecord(
        worker=worker,
        trades=list(worker.categories.order_by("sort_order")),
        training=list(worker.training_records.select_related("category").order_by("-completed_on")),
        certificates=list(
            worker.certificates.filter(verified_at__isnull=False)
            .select_related("category")
            .order_by("-issued_on")
        ),
        competitions=list(
            CompetitionEntry.objects.filter(worker=worker)
            .select_related("competition")
            .order_by("-competition__held_on")
        ),
        roster=list(
            RosterEntry.objects.filter(worker=worker)
            .exclude(status=RosterEntry.Status.INVITED)
            .select_related("agency")
            .order_by("-created_at")
        ),
        jobs_by_trade=list(
            completed.values("request__category__name_zh", "request__category__name_en")
            .annotate(jobs=Count("pk"))
            .order_by("-jobs")
        ),
        recent_jobs=list(
            completed.select_related("request__category", "request__division", "agency").order_by(
                "-completed_at"
            )[:20]
        ),
        rating=rating_value(worker),
        rating_count=worker.rating_count,
        reviews=list(
            Review.objects.filter(
                order__worker=worker,
                author_party=Party.HOUSEHOLD,
                published_at__isnull=False,
                hidden_at__isnull=True,
            ).order_by("-published_at")[:10]
        ),
        generated_at=timezone.now(),
    )


# --- share links ----------------------------------------------------------------------------


def share_days() -> int:
    return int(settings.MEIJIA.get("CAREER_SHARE_DAYS", 30))


def career_share_token(*, worker: WorkerProfile) -> tuple[str, dt.datetime]:
    """A signed, timestamped token naming her record; valid for CAREER_SHARE_DAYS."""
    token = signing.dumps({"w": worker.pk}, salt=SHARE_SALT, compress=True)
    return token, timezone.now() + dt.timedelta(days=share_days())


def career_worker_from_token(token: str) -> tuple[WorkerProfile | None, str]:
    """(worker, "") for a good token; (None, "expired" | "invalid") otherwise."""
    try:
        data = signing.loads(token, salt=SHARE_SALT, max_age=dt.timedelta(days=share_days()))
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    worker = WorkerProfile.objects.select_related("user").filter(pk=data.get("w")).first()
    return worker, "" if worker else "invalid"


def career_as_dict(record: CareerRecord) -> dict:
    worker = record.worker
    return {
        "worker": {"id": worker.pk, "name": worker.real_name, "is_verified": worker.is_verified},
        "trades": [{"code": c.code, "name": c.name} for c in record.trades],
        "training": [
            {
                "course": t.course,
                "kind": t.kind,
                "provider": t.provider,
                "completed_on": t.completed_on,
                "is_verified": t.is_verified,
            }
            for t in record.training
        ],
        "certificates": [
            {
                "category": c.category.code,
                "category_name": c.category.name,
                "number": c.number,
                "level": c.level,
                "issuer": c.issuer,
                "issued_on": c.issued_on,
                "expires_on": c.expires_on,
                "is_revoked": c.is_revoked,
            }
            for c in record.certificates
        ],
        "competitions": [
            {
                "name": e.competition.name,
                "held_on": e.competition.held_on,
                "rank": e.rank,
                "prize": e.prize,
                "prize_label": e.get_prize_display() if e.prize else "",
            }
            for e in record.competitions
        ],
        "placements": [
            {
                "agency": r.agency.name,
                "status": r.status,
                "started_on": r.started_on,
                "ended_on": r.ended_on,
            }
            for r in record.roster
        ],
        "jobs_by_trade": [
            {"category_name": row["request__category__name_zh"], "jobs": row["jobs"]}
            for row in record.jobs_by_trade
        ],
        "completed_jobs": worker.completed_jobs,
        "recent_jobs": [
            {
                "order": o.pk,
                "category_name": o.request.category.name,
                "division_name": o.request.division.name,
                "completed_at": o.completed_at,
            }
            for o in record.recent_jobs
        ],
        "rating": record.rating,
        "rating_count": record.rating_count,
        "reviews": [
            {"rating": r.rating, "comment": r.comment, "published_at": r.published_at}
            for r in record.reviews
        ],
        "generated_at": record.generated_at,
    }


# --- PDF ------------------------------------------------------------------------------------


def _pdf_summary(record: CareerRecord, data: dict) -> list:
    """Her name, trades, rating, completed jobs and when the record was generated."""
    trades = "、".join(t["name"] for t in data["trades"]) or _("暂无")
    generated = timezone.localtime(record.generated_at).strftime("%Y-%m-%d %H:%M")
    return [
        pdf.para(_("家政服务员职业档案") + f"：{data['worker']['name']}", "title"),
        pdf.para(_("工种") + "：" + trades),
        pdf.para(
            _("评分")
            + "："
            + (f"{data['rating']}（{data['rating_count']}）" if data["rating"] else _("暂无评价"))
            + "  "
            + _("完成服务")
            + f"：{data['completed_jobs']}"
        ),
        pdf.para(_("生成时间") + "：" + generated),
    ]


def _pdf_sections(data: dict) -> list[tuple[str, list[list[str]]]]:
    """Each section's heading and table rows (header row first)."""
    return [
        (
            _("培训记录"),
            [[_("课程"), _("培训机构"), _("结业日期")]]
            + [[t["course"], t["provider"], str(t["completed_on"])] for t in data["training"]],
        ),
        (
            _("资格证书"),
            [[_("工种"), _("证书编号"), _("发证机构"), _("有效期至")]]
            + [
                [c["category_name"], c["number"], c["issuer"], str(c["expires_on"] or "—")]
                for c in data["certificates"]
            ],
        ),
        (
            _("技能竞赛"),
            [[_("竞赛"), _("日期"), _("奖项")]]
            + [
                [e["name"], str(e["held_on"]), e["prize_label"] or str(e["rank"] or "—")]
                for e in data["competitions"]
            ],
        ),
        (
            _("就业经历"),
            [[_("家政企业"), _("入职日期"), _("离职日期")]]
            + [
                [p["agency"], str(p["started_on"] or "—"), str(p["ended_on"] or "—")]
                for p in data["placements"]
            ],
        ),
        (
            _("服务记录"),
            [[_("工种"), _("完成单数")]]
            + [[row["category_name"], str(row["jobs"])] for row in data["jobs_by_trade"]],
        ),
        (
            _("雇主评价"),
            [[_("评分"), _("评价")]]
            + [[str(r["rating"]), r["comment"] or "—"] for r in data["reviews"]],
        ),
    ]


def career_pdf(record: CareerRecord, *, compress: bool = True) -> bytes:
    """The record as an A4 PDF through `backend.pdf` (every string escaped, the Chinese font
    embedded and subset, no resource fetched). `compress=False` leaves the text readable."""
    data = career_as_dict(record)
    story = _pdf_summary(record, data)
    for heading, rows in _pdf_sections(data):
        story += [pdf.para(heading, "heading"), pdf.table(rows, empty=_("暂无"))]
    story += [
        pdf.spacer(6),
        pdf.para(_("本档案由家政美家平台根据已核验的记录生成，不含手机号、身份证号和住址。")),
    ]
    return pdf.render_pdf(story, title=_("家政服务员职业档案"), compress=compress)
