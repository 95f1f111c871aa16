"""Candidates of the programme: list, import, detail, link to a worker."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from backend.exceptions import ValidationFailed
from programme import selectors
from programme.apis import serializers as s
from programme.apis.base import ProgrammeApi
from programme.models import Candidate, ConsentMethod
from programme.permissions import OFFICER, VILLAGE
from programme.services import candidate_accounts
from programme.services import candidates as candidate_services

# Who adds women to the village lists: officers, and village officers in their divisions.
INTAKE = (OFFICER, VILLAGE)


class CandidateFilter(django_filters.FilterSet):
    division = django_filters.CharFilter(field_name="division__code")
    village = django_filters.CharFilter(lookup_expr="icontains")
    is_linked = django_filters.BooleanFilter(
        field_name="worker", lookup_expr="isnull", exclude=True
    )
    wants = django_filters.CharFilter(field_name="wanted_categories__code")

    class Meta:
        model = Candidate
        fields = ["division", "village", "grid_officer"]


class CandidateListApi(ProgrammeApi):
    serializer_class = s.CandidateSerializer
    read_roles = write_roles = INTAKE
    filterset_class = CandidateFilter

    def visible(self):
        return selectors.candidates_visible_to(user=self.request.user)

    @extend_schema(responses=s.CandidateSerializer(many=True))
    def get(self, request):
        return self.list_response()

    @extend_schema(request=s.CandidateWriteSerializer, responses={201: s.CandidateSerializer})
    def post(self, request):
        candidate = candidate_services.candidate_create(
            actor=request.user, **self.valid(s.CandidateWriteSerializer)
        )
        return self.render(candidate, status.HTTP_201_CREATED)


class CandidateImportApi(ProgrammeApi):
    """A village list upload (multipart `file`): CSV (UTF-8 with or without BOM, or GBK) or
    .xlsx; all rows or none."""

    serializer_class = s.CandidateSerializer
    write_roles = INTAKE
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def visible(self):
        return selectors.candidates_visible_to(user=self.request.user)

    @extend_schema(
        request=s.CandidateImportSerializer, responses={201: s.CandidateSerializer(many=True)}
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(_("请上传 CSV 文件。"), field="file")
        if upload.size > 5 * 1024 * 1024:
            raise ValidationFailed(_("文件不能超过 5 MB。"), field="file")
        created = candidate_services.candidates_import_file(
            actor=request.user, content=upload.read(), filename=upload.name or ""
        )
        return Response(
            {"imported": len(created), "ids": [c.pk for c in created]},
            status=status.HTTP_201_CREATED,
        )


class CandidateDetailApi(ProgrammeApi):
    serializer_class = s.CandidateSerializer
    read_roles = INTAKE
    missing = gettext_lazy("意向人员不存在。")

    def visible(self):
        return selectors.candidates_visible_to(user=self.request.user)

    def get(self, request, candidate_id: int):
        return self.render(self.get_row(candidate_id))


class CandidateLinkApi(ProgrammeApi):
    serializer_class = s.CandidateSerializer
    missing = gettext_lazy("意向人员不存在。")

    def visible(self):
        return selectors.candidates_visible_to(user=self.request.user)

    @extend_schema(request=s.LinkSerializer, responses=s.CandidateSerializer)
    def post(self, request, candidate_id: int):
        self.get_row(candidate_id)
        data = self.valid(s.LinkSerializer)
        return self.render(
            candidate_services.candidate_link(
                candidate_id=candidate_id, worker=data["worker"], actor=request.user
            )
        )


class CandidateAccountSerializer(serializers.Serializer):
    consent_method = serializers.ChoiceField(choices=ConsentMethod.choices)


class CandidateAccountApi(ProgrammeApi):
    """Make her worker account on her behalf, her consent recorded (who, when, how); the claim
    code goes to her phone, and the account has no password until she claims it."""

    serializer_class = s.CandidateSerializer
    write_roles = INTAKE
    missing = gettext_lazy("意向人员不存在。")

    def visible(self):
        return selectors.candidates_visible_to(user=self.request.user)

    @extend_schema(request=CandidateAccountSerializer, responses={201: s.CandidateSerializer})
    def post(self, request, candidate_id: int):
        self.get_row(candidate_id)
        data = self.valid(CandidateAccountSerializer)
        candidate = candidate_accounts.candidate_account_create(
            candidate_id=candidate_id,
            actor=request.user,
            consent_method=data["consent_method"],
        )
        return self.render(candidate, status.HTTP_201_CREATED)
