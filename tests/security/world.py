"""Objects owned by "side A" for the schema-driven ownership tests, built on demand, one factory
per kind of path parameter; and the strangers (one user per role, none of them a party).

`object_id(path, parameter)` answers the id to put in a path: the parameter's name picks the
kind (`order_id` → an order between household A and worker A), and for names that several
kinds share (`entry_id`, `credential_id`) the path around it decides.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property

from django.apps import apps
from django.utils import timezone

from marketplace.models import AgencyStaff, Category, RosterEntry, TimeOff
from notifications.models import Notification
from orders.models import FavouriteWorker, Offer, RequestApplication
from orders.services.offers import offer_accept, offer_invite
from tests import factories
from tests.orders.flow_helpers import make_request
from tests.programme import helpers as programme


class UnknownParameter(LookupError):
    pass


class World:
    """Side A: household, worker (on agency A's roster), agency A's owner, and the federation
    officer who runs side A's programme (the one judge of side A's competition); their
    objects."""

    def __init__(self):
        self.household = factories.HouseholdFactory().user
        self.worker = factories.WorkerFactory()
        self.agency_owner = factories.AgencyStaffFactory()
        self.agency = self.agency_owner.agency
        self.roster_entry = factories.RosterEntryFactory(agency=self.agency, worker=self.worker)
        self.officer = factories.FederationOfficerFactory().user

    # ---- people side A (the parties)
    def parties(self) -> dict[str, object]:
        return {
            "household": self.household,
            "worker": self.worker.user,
            "agency": self.agency_owner.user,
            "federation": self.officer,
        }

    # ---- marketplace
    @cached_property
    def staff_member(self) -> AgencyStaff:
        return factories.AgencyStaffFactory(
            agency=self.agency, staff_role=AgencyStaff.StaffRole.STAFF
        )

    @cached_property
    def roster_invitation(self) -> RosterEntry:
        """Another agency invites worker A (the worker accepts or declines it)."""
        return factories.RosterEntryFactory(worker=self.worker, status=RosterEntry.Status.INVITED)

    # ---- orders
    def _offer_to_worker(self, service_request) -> Offer:
        offer = Offer.objects.filter(request=service_request, worker=self.worker).first()
        if offer is None:
            offer, _ = offer_invite(
                request_id=service_request.pk, household=self.household, worker_id=self.worker.pk
            )
        return offer

    @cached_property
    def order(self):
        service_request = make_request(household=self.household, starts_at=factories.future(48))
        return offer_accept(offer_id=self._offer_to_worker(service_request).pk, worker=self.worker)

    @cached_property
    def request_application(self):
        """Another worker asked for household A's open request."""
        return RequestApplication.objects.create(
            request=self.open_request, worker=factories.WorkerFactory()
        )

    @cached_property
    def time_off(self):
        """Worker A's days off next month."""
        first = timezone.localdate() + dt.timedelta(days=30)
        return TimeOff.objects.create(
            worker=self.worker,
            starts_on=first,
            ends_on=first,
            starts_at=timezone.now() + dt.timedelta(days=30),
            ends_at=timezone.now() + dt.timedelta(days=31),
        )

    @cached_property
    def favourite(self):
        """Household A keeps worker A, who served it (the order above)."""
        return FavouriteWorker.objects.create(household=self.order.household, worker=self.worker)

    @cached_property
    def invoice_request(self):
        """Household A asks for an invoice of its order, paid in cash to agency A."""
        from orders.payments.offline import payment_record_offline
        from orders.services.invoices import invoice_request_create

        payment_record_offline(
            order_id=self.order.pk,
            actor=self.agency_owner.user,
            method="cash",
            amount=self.order.price,
        )
        return invoice_request_create(
            order_id=self.order.pk, actor=self.household, kind="personal", title="王家"
        )

    @cached_property
    def review(self):
        """Household A's published review of worker A (both sides reviewed a completed order)."""
        from orders.services.reviews import review_create

        order = factories.OrderFactory(
            request=factories.ServiceRequestFactory(household=self.household, status="matched"),
            worker=self.worker,
            status="completed",
            completed_at=timezone.now() - dt.timedelta(days=1),
        )
        review = review_create(order_id=order.pk, user=self.household, rating=2, comment="一般")
        review_create(order_id=order.pk, user=self.worker.user, rating=5)
        return review

    @cached_property
    def review_report(self):
        """Household A reported the review above (the operator decides it)."""
        from orders.services.review_voice import review_report

        return review_report(review_id=self.review.pk, user=self.household, reason="abuse")

    @cached_property
    def open_request(self):
        return make_request(household=self.household, starts_at=factories.future(120))

    @cached_property
    def offer(self) -> Offer:
        return self._offer_to_worker(self.open_request)

    @cached_property
    def occurrence(self):
        return self.order.request.occurrences.order_by("pk").first()

    @cached_property
    def consent(self):
        """Worker A's consent to the use of her ID number."""
        from marketplace.models import ConsentKind
        from marketplace.services.consents import consent_record

        return consent_record(user=self.worker.user, kind=ConsentKind.ID_CARD)

    @cached_property
    def notification(self) -> Notification:
        self.offer  # noqa: B018 - the offer notifies worker A
        return Notification.objects.filter(user=self.worker.user).order_by("pk").first()

    # ---- programme (officers run it; worker A takes part; agency A posts an opening)
    @cached_property
    def course(self):
        return programme.course(actor=self.officer)

    @cached_property
    def enrolment(self):
        from programme.services.courses import course_enrol

        return course_enrol(course_id=self.course.pk, actor=self.officer, worker=self.worker)

    @cached_property
    def candidate(self):
        from marketplace.models import Division
        from programme.services.candidates import candidate_create

        return candidate_create(
            actor=self.officer,
            name="赵桂兰",
            phone="13900009999",
            division=Division.objects.get(code=programme.SEAT),
            village="前屯村",
        )

    @cached_property
    def exam(self):
        return programme.exam(actor=self.officer, held_on=timezone.localdate() + dt.timedelta(3))

    @cached_property
    def exam_registration(self):
        from programme.services.exams import exam_register

        return exam_register(exam_id=self.exam.pk, worker=self.worker, actor=self.officer)

    @cached_property
    def competition(self):
        from programme.services.competitions import competition_create

        return competition_create(
            actor=self.officer,
            name="养老护理员技能竞赛",
            categories=[Category.objects.get(code="elderly_carer")],
            held_on=timezone.localdate() + dt.timedelta(days=5),
        )

    @cached_property
    def competition_entry(self):
        from programme.services.competitions import competition_entry_add

        return competition_entry_add(
            competition_id=self.competition.pk, worker=self.worker, actor=self.officer
        )

    @cached_property
    def judged_entry(self):
        """Worker A's entry in a competition scored in one round, side A's officer its judge."""
        from programme.services.competition_rounds import (
            competition_judge_assign,
            competition_round_add,
        )
        from programme.services.competitions import competition_create, competition_entry_add

        competition = competition_create(
            actor=self.officer,
            name="家政服务员技能竞赛",
            categories=[Category.objects.get(code="housekeeper")],
            held_on=timezone.localdate() + dt.timedelta(days=5),
        )
        competition_round_add(
            competition_id=competition.pk, actor=self.officer, name="实操", weight=100
        )
        competition_judge_assign(
            competition_id=competition.pk, actor=self.officer, judge=self.officer
        )
        return competition_entry_add(
            competition_id=competition.pk, worker=self.worker, actor=self.officer
        )

    @cached_property
    def fair(self):
        from programme.services.fairs import job_fair_create

        return job_fair_create(
            actor=self.officer,
            name="春风行动招聘会",
            mode="online",
            held_on=timezone.localdate() + dt.timedelta(days=5),
        )

    @cached_property
    def opening(self):
        from programme.services.fairs import job_opening_create

        return job_opening_create(
            actor=self.agency_owner.user,
            title="住家保洁",
            category=Category.objects.get(code="housekeeper"),
            fair=self.fair,
            salary_min=300000,
            salary_max=400000,
        )

    @cached_property
    def application(self):
        from programme.services.fairs import job_apply

        return job_apply(opening_id=self.opening.pk, worker=self.worker)

    @cached_property
    def health_session(self):
        from marketplace.models import Division
        from programme.services.health_checks import health_check_session_create

        return health_check_session_create(
            actor=self.officer,
            name="青年路街道集中体检",
            division=Division.objects.order_by("code").first(),
            place="街道卫生院",
            held_on=timezone.localdate(),
            capacity=20,
        )

    @cached_property
    def health_booking(self):
        from programme.services.health_checks import health_check_book

        return health_check_book(session_id=self.health_session.pk, worker=self.worker)

    # ---- safety (service cards, blocks, appeals, career sharing)
    @cached_property
    def household_block(self):
        from marketplace.models import HouseholdBlock

        return HouseholdBlock.objects.create(
            worker=self.worker, household=self.household, order_id=self.order.pk
        )

    @cached_property
    def appeal(self):
        from marketplace.models import IncidentKind, ReliabilityAppeal

        return ReliabilityAppeal.objects.create(
            worker=self.worker,
            agency=self.agency,
            order_id=self.order.pk,
            incident=IncidentKind.values[0],
            reason="当天有医院证明",
        )

    def token_for(self, path: str) -> str:
        """Bearer-less links: a worker's card QR token, a career share link."""
        if "/cards/" in path:
            from marketplace.selectors.service_cards import card_token
            from marketplace.services.service_cards import service_card_ensure

            return card_token(service_card_ensure(worker=self.worker))
        if "/career/shared/" in path:
            from programme.services.career import career_share_token

            return career_share_token(worker=self.worker)[0]
        raise UnknownParameter(f"no token kind for {path}")

    # ---- path parameters
    def object_id(self, path: str, parameter: str) -> int | str:
        simple = {
            "agency_id": lambda: self.agency.pk,
            "worker_id": lambda: self.worker.pk,
            "staff_id": lambda: self.staff_member.pk,
            "order_id": lambda: self.order.pk,
            "request_id": lambda: self.open_request.pk,
            "offer_id": lambda: self.offer.pk,
            "occurrence_id": lambda: self.occurrence.pk,
            "notification_id": lambda: self.notification.pk,
            "consent_id": lambda: self.consent.pk,
            "course_id": lambda: self.course.pk,
            "enrolment_id": lambda: self.enrolment.pk,
            "candidate_id": lambda: self.candidate.pk,
            "exam_id": lambda: self.exam.pk,
            "registration_id": lambda: self.exam_registration.pk,
            "competition_id": lambda: self.competition.pk,
            "fair_id": lambda: self.fair.pk,
            "opening_id": lambda: self.opening.pk,
            "application_id": lambda: self.application.pk,
            "session_id": lambda: self.health_session.pk,
            "booking_id": lambda: self.health_booking.pk,
            "block_id": lambda: self.household_block.pk,
            "appeal_id": lambda: self.appeal.pk,
            "token": lambda: self.token_for(path),
        }
        if parameter == "request_application_id":
            return self.request_application.pk
        if parameter == "invoice_request_id":
            return self.invoice_request.pk
        if parameter == "review_id":
            return self.review.pk
        if parameter == "report_id":
            return self.review_report.pk
        if parameter == "time_off_id":
            return self.time_off.pk
        if parameter == "user_id":  # a reset link for side A's worker, on her agency's roster
            return self.worker.user_id
        if parameter == "worker_id" and path.startswith("/api/v1/favourites/"):
            return self.favourite.worker_id
        if parameter in simple:
            return simple[parameter]()
        if parameter == "entry_id":
            if "/round-scores/" in path:
                return self.judged_entry.pk
            if "/competition-entries/" in path:
                return self.competition_entry.pk
            if "/roster-invitations/" in path:
                return self.roster_invitation.pk
            if "/roster/" in path:
                return self.roster_entry.pk
        if parameter == "credential_id":
            if "/certificates/" in path:
                return self.worker.certificates.order_by("pk").first().pk
            if "/health-checks/" in path:
                return self.worker.health_checks.order_by("pk").first().pk
            if "/training-records/" in path:
                return self.worker.training_records.order_by("pk").first().pk
        raise UnknownParameter(
            f"no factory for {{{parameter}}} in {path}: add one to tests/security/world.py"
        )


def strangers() -> dict[str, object]:
    """One user of each role who is no party to side A's objects (None: anonymous)."""
    return {
        "anonymous": None,
        "household": factories.HouseholdFactory().user,
        "worker": factories.WorkerFactory().user,
        "agency": factories.AgencyStaffFactory().user,
        "federation": factories.FederationOfficerFactory().user,
        "operator": factories.operator_user(),
    }


# Rows that change on any request (sessions, login bookkeeping) are not "state".
IGNORED_MODELS = {"axes", "sessions", "token_blacklist", "admin", "contenttypes", "auth"}
IGNORED_FIELDS = {"last_login"}


def state() -> dict[str, list]:
    """Every row of the project's own tables, to prove a refused call changed nothing."""
    snapshot = {}
    for model in apps.get_models():
        if model._meta.app_label in IGNORED_MODELS:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED_FIELDS]
        snapshot[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return snapshot


def differences(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


__all__ = ["World", "strangers", "state", "differences", "UnknownParameter", "Decimal"]
