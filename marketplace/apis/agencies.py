"""Thin views of the agency console (`agencies/me/…`) and the worker's side of the roster.

Staff act for their own agency (`agencies/me/…`, or `agencies/<own id>/…`); an operator acts
for any agency through `agencies/<id>/…`. Another agency's id, or an object of another
agency, is a 404: staff learn nothing about agencies that are not theirs. `agency_paths` mounts
a view under both prefixes; orders.apis.agency_orders serves the agency's order side."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from marketplace import serializers_agencies as s
from marketplace.models import AgencyStaff, Role, RosterEntry, WorkerProfile
from marketplace.permissions import IsWorker
from marketplace.selectors import agencies as selectors
from marketplace.services import agencies as services
from marketplace.services import credentials as credential_services

STATUS_PARAMETER = OpenApiParameter("status", str, description="filter by status")


AGENCY_PREFIXES = (("agencies/me/", "me"), ("agencies/<int:agency_id>/", "id"))


def agency_paths(routes: list[tuple[str, type, str]]) -> list:
    """URL patterns of agency views, each twice: `agencies/me/<suffix>` named `agency-me-<name>`
    for staff, `agencies/<int:agency_id>/<suffix>` named `agency-id-<name>` for operators
    (AgencyApi.agency reads the `agency_id` this prefix captures)."""
    return [
        path(prefix + suffix, view.as_view(), name=f"agency-{key}-{name}")
        for prefix, key in AGENCY_PREFIXES
        for suffix, view, name in routes
    ]


class ActsForAgency(BasePermission):
    """Agency staff and operators; everyone else is refused (403, or 401 when anonymous)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and (user.role == Role.AGENCY_STAFF or user.is_operator)
        )


class AgencyApi(GenericAPIView):
    permission_classes = [ActsForAgency]
    pagination_class = StandardPagination

    def agency(self):
        if not hasattr(self, "_agency"):
            self._agency = services.agency_of_actor(
                actor=self.request.user, agency_id=self.kwargs.get("agency_id")
            )
        return self._agency

    def paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)


# ---- staff ---------------------------------------------------------------------------------------


class StaffListApi(AgencyApi):
    queryset = AgencyStaff.objects.none()  # for the schema; reads go through selectors
    serializer_class = s.StaffSerializer

    @extend_schema(responses=s.StaffSerializer(many=True))
    def get(self, request, agency_id: int | None = None):
        return self.paginated(selectors.staff_of_agency(agency=self.agency()), s.StaffSerializer)

    @extend_schema(request=s.StaffCreateSerializer, responses={201: s.StaffSerializer})
    def post(self, request, agency_id: int | None = None):
        agency = self.agency()
        services.agency_owner_require(actor=request.user, agency=agency)  # 403 before 400
        serializer = s.StaffCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        staff = services.agency_staff_create(
            agency=agency, actor=request.user, **serializer.validated_data
        )
        return Response(s.StaffSerializer(staff).data, status=status.HTTP_201_CREATED)


class StaffDetailApi(AgencyApi):
    @extend_schema(request=s.StaffUpdateSerializer, responses=s.StaffSerializer)
    def patch(self, request, staff_id: int, agency_id: int | None = None):
        serializer = s.StaffUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        staff = services.agency_staff_update(
            agency=self.agency(), actor=request.user, staff_id=staff_id, **serializer.validated_data
        )
        return Response(s.StaffSerializer(staff).data)

    @extend_schema(responses={204: None})
    def delete(self, request, staff_id: int, agency_id: int | None = None):
        services.agency_staff_remove(agency=self.agency(), actor=request.user, staff_id=staff_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---- roster --------------------------------------------------------------------------------------


class RosterListApi(AgencyApi):
    queryset = RosterEntry.objects.none()  # for the schema; reads go through selectors
    serializer_class = s.RosterEntrySerializer

    @extend_schema(
        parameters=[
            STATUS_PARAMETER,
            OpenApiParameter("q", str, description="worker name or phone contains"),
        ],
        responses=s.RosterEntrySerializer(many=True),
    )
    def get(self, request, agency_id: int | None = None):
        queryset = selectors.roster_of_agency(
            agency=self.agency(),
            status=request.query_params.get("status") or None,
            q=(request.query_params.get("q") or "").strip() or None,
        )
        return self.paginated(queryset, s.RosterEntrySerializer)

    @extend_schema(request=s.RosterInviteSerializer, responses={201: s.RosterEntrySerializer})
    def post(self, request, agency_id: int | None = None):
        agency = self.agency()
        serializer = s.RosterInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.roster_invite(
            agency=agency, actor=request.user, worker_id=serializer.validated_data["worker"]
        )
        entry = selectors.roster_of_agency(agency=agency).get(pk=entry.pk)
        return Response(s.RosterEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class RosterEndApi(AgencyApi):
    @extend_schema(request=s.EndReasonSerializer, responses=s.RosterEntrySerializer)
    def post(self, request, entry_id: int, agency_id: int | None = None):
        agency = self.agency()
        serializer = s.EndReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.roster_end(
            entry_id=entry_id,
            agency=agency,
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        entry = selectors.roster_of_agency(agency=agency).get(pk=entry_id)
        return Response(s.RosterEntrySerializer(entry).data)


# ---- verification --------------------------------------------------------------------------------


class WorkerCredentialsApi(AgencyApi):
    @extend_schema(responses=s.WorkerCredentialsSerializer)
    def get(self, request, worker_id: int, agency_id: int | None = None):
        worker = credential_services.worker_of_agency(
            agency=self.agency(), worker_id=worker_id, actor=request.user
        )
        worker = selectors.worker_with_credentials(worker_id=worker.pk)
        return Response(s.WorkerCredentialsSerializer(worker).data)


class WorkerIdentityVerifyApi(AgencyApi):
    @extend_schema(request=s.IdentityVerifySerializer, responses=s.WorkerCredentialsSerializer)
    def post(self, request, worker_id: int, agency_id: int | None = None):
        worker = credential_services.worker_of_agency(
            agency=self.agency(), worker_id=worker_id, actor=request.user
        )
        serializer = s.IdentityVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credential_services.worker_identity_verify(
            worker=worker, actor=request.user, **serializer.validated_data
        )
        worker = selectors.worker_with_credentials(worker_id=worker.pk)
        return Response(s.WorkerCredentialsSerializer(worker).data)


CREDENTIAL_KINDS = {
    "certificate": (
        s.CertificateEntrySerializer,
        s.VerifiableCertificateSerializer,
        credential_services.certificate_add,
    ),
    "training_record": (
        s.TrainingRecordEntrySerializer,
        s.VerifiableTrainingRecordSerializer,
        credential_services.training_record_add,
    ),
    "health_check": (
        s.HealthCheckEntrySerializer,
        s.VerifiableHealthCheckSerializer,
        credential_services.health_check_add,
    ),
}


def _credential_add(kind: str, *, worker: WorkerProfile, data, verified_by) -> Response:
    input_class, output_class, add = CREDENTIAL_KINDS[kind]
    serializer = input_class(data=data)
    serializer.is_valid(raise_exception=True)
    credential = add(worker=worker, verified_by=verified_by, **serializer.validated_data)
    return Response(output_class(credential).data, status=status.HTTP_201_CREATED)


class WorkerCredentialAddApi(AgencyApi):
    """Staff enter a credential from the paper document: verified at once (by them)."""

    kind = "certificate"

    def post(self, request, worker_id: int, agency_id: int | None = None):
        worker = credential_services.worker_of_agency(
            agency=self.agency(), worker_id=worker_id, actor=request.user
        )
        return _credential_add(
            self.kind, worker=worker, data=request.data, verified_by=request.user
        )


class CredentialVerifyApi(AgencyApi):
    """Verify (or, with is_verified false, unverify) a credential of a roster worker."""

    kind = "certificate"
    is_verified = True

    def post(self, request, credential_id: int, agency_id: int | None = None):
        credential = credential_services.credential_of_agency(
            kind=self.kind, credential_id=credential_id, agency=self.agency(), actor=request.user
        )
        credential = credential_services.credential_verify(
            credential=credential, actor=request.user, is_verified=self.is_verified
        )
        return Response(CREDENTIAL_KINDS[self.kind][1](credential).data)


class CertificateRevokeApi(AgencyApi):
    @extend_schema(request=s.EndReasonSerializer, responses=s.VerifiableCertificateSerializer)
    def post(self, request, credential_id: int, agency_id: int | None = None):
        certificate = credential_services.credential_of_agency(
            kind="certificate",
            credential_id=credential_id,
            agency=self.agency(),
            actor=request.user,
        )
        serializer = s.EndReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certificate = credential_services.certificate_revoke(
            certificate=certificate, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(s.VerifiableCertificateSerializer(certificate).data)


# ---- the worker's side ---------------------------------------------------------------------------


def _own_worker(request) -> WorkerProfile:
    return request.user.worker


class WorkerRosterListApi(GenericAPIView):
    """The worker's roster entries: `invitations/` (invited only) or `roster/` (all, history)."""

    queryset = RosterEntry.objects.none()  # for the schema; reads go through selectors

    permission_classes = [IsWorker]
    pagination_class = StandardPagination
    serializer_class = s.WorkerRosterEntrySerializer
    only_status: str | None = None

    @extend_schema(
        parameters=[STATUS_PARAMETER], responses=s.WorkerRosterEntrySerializer(many=True)
    )
    def get(self, request):
        queryset = selectors.roster_entries_of_worker(
            worker=_own_worker(request),
            status=self.only_status or request.query_params.get("status") or None,
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.WorkerRosterEntrySerializer(page, many=True).data)


class WorkerInvitationListApi(WorkerRosterListApi):
    only_status = RosterEntry.Status.INVITED


def _render_worker_entry(entry_id: int, worker: WorkerProfile, http_status=status.HTTP_200_OK):
    entry = selectors.roster_entries_of_worker(worker=worker).get(pk=entry_id)
    return Response(s.WorkerRosterEntrySerializer(entry).data, status=http_status)


class RosterInvitationAcceptApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(request=None, responses=s.WorkerRosterEntrySerializer)
    def post(self, request, entry_id: int):
        worker = _own_worker(request)
        services.roster_invitation_accept(entry_id=entry_id, worker=worker)
        return _render_worker_entry(entry_id, worker)


class RosterInvitationDeclineApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(request=s.DeclineReasonSerializer, responses=s.WorkerRosterEntrySerializer)
    def post(self, request, entry_id: int):
        worker = _own_worker(request)
        serializer = s.DeclineReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.roster_invitation_decline(
            entry_id=entry_id, worker=worker, reason=serializer.validated_data["reason"]
        )
        return _render_worker_entry(entry_id, worker)


class WorkerRosterEndApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(request=s.EndReasonSerializer, responses=s.WorkerRosterEntrySerializer)
    def post(self, request, entry_id: int):
        worker = _own_worker(request)
        serializer = s.EndReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.roster_end(
            entry_id=entry_id,
            worker=worker,
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return _render_worker_entry(entry_id, worker)


class WorkerOwnCredentialsApi(APIView):
    """The worker lists her credentials of one kind, or adds one (unverified until staff
    verify it)."""

    permission_classes = [IsWorker]
    kind = "certificate"

    def get(self, request):
        worker = selectors.worker_with_credentials(worker_id=_own_worker(request).pk)
        related = {
            "certificate": worker.certificates,
            "training_record": worker.training_records,
            "health_check": worker.health_checks,
        }[self.kind]
        output_class = CREDENTIAL_KINDS[self.kind][1]
        return Response(output_class(related.all(), many=True).data)

    def post(self, request):
        return _credential_add(
            self.kind, worker=_own_worker(request), data=request.data, verified_by=None
        )


# ---- one view class per credential kind (each with its own documented bodies) --------------------


CREDENTIAL_PATHS = {
    "certificate": "certificates",
    "training_record": "training-records",
    "health_check": "health-checks",
}


def credential_views(kind: str) -> dict[str, type]:
    """The add / verify / unverify / worker-own views of one credential kind, each a class of
    its own so that the schema documents its bodies."""
    input_class, output_class, _ = CREDENTIAL_KINDS[kind]
    title = "".join(part.title() for part in kind.split("_"))
    documented_add = extend_schema(request=input_class, responses={201: output_class})
    documented_verify = extend_schema(request=None, responses=output_class)

    def add_post(self, request, worker_id: int, agency_id: int | None = None):
        return WorkerCredentialAddApi.post(self, request, worker_id, agency_id)

    def verify_post(self, request, credential_id: int, agency_id: int | None = None):
        return CredentialVerifyApi.post(self, request, credential_id, agency_id)

    def own_get(self, request):
        return WorkerOwnCredentialsApi.get(self, request)

    def own_post(self, request):
        return WorkerOwnCredentialsApi.post(self, request)

    return {
        "add": type(
            f"{title}AddApi",
            (WorkerCredentialAddApi,),
            {"kind": kind, "post": documented_add(add_post)},
        ),
        "verify": type(
            f"{title}VerifyApi",
            (CredentialVerifyApi,),
            {"kind": kind, "post": documented_verify(verify_post)},
        ),
        "unverify": type(
            f"{title}UnverifyApi",
            (CredentialVerifyApi,),
            {"kind": kind, "is_verified": False, "post": documented_verify(verify_post)},
        ),
        "own": type(
            f"Worker{title}Api",
            (WorkerOwnCredentialsApi,),
            {
                "kind": kind,
                "get": extend_schema(responses=output_class(many=True))(own_get),
                "post": documented_add(own_post),
            },
        ),
    }
