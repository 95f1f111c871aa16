"""Skills competitions: list, detail, awards, entries and scores."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status

from backend.exceptions import NotFound
from programme import selectors
from programme.apis import serializers as s
from programme.apis.base import ProgrammeApi
from programme.models import (
    Competition,
    CompetitionEntry,
)
from programme.permissions import OFFICER, WORKER
from programme.services import competitions as competition_services


class CompetitionFilter(django_filters.FilterSet):
    class Meta:
        model = Competition
        fields = ["status"]


class EntryFilter(django_filters.FilterSet):
    class Meta:
        model = CompetitionEntry
        fields = ["competition", "prize", "worker"]


class CompetitionListApi(ProgrammeApi):
    read_roles = (OFFICER, WORKER)
    serializer_class = s.CompetitionSerializer
    filterset_class = CompetitionFilter

    def visible(self):
        return selectors.competitions_visible_to(user=self.request.user)

    @extend_schema(responses=s.CompetitionSerializer(many=True))
    def get(self, request):
        return self.list_response()

    @extend_schema(request=s.CompetitionWriteSerializer, responses={201: s.CompetitionSerializer})
    def post(self, request):
        competition = competition_services.competition_create(
            actor=request.user, **self.valid(s.CompetitionWriteSerializer)
        )
        return self.render(competition, status.HTTP_201_CREATED)


class CompetitionDetailApi(ProgrammeApi):
    read_roles = (OFFICER, WORKER)
    serializer_class = s.CompetitionSerializer
    missing = gettext_lazy("竞赛不存在。")

    def visible(self):
        return selectors.competitions_visible_to(user=self.request.user)

    def get(self, request, competition_id: int):
        return self.render(self.get_row(competition_id))

    @extend_schema(request=s.CompetitionWriteSerializer, responses=s.CompetitionSerializer)
    def patch(self, request, competition_id: int):
        self.get_row(competition_id)
        data = self.valid(s.CompetitionWriteSerializer, partial=True)
        return self.render(
            competition_services.competition_update(
                competition_id=competition_id, actor=request.user, **data
            )
        )


class CompetitionAwardApi(ProgrammeApi):
    serializer_class = s.CompetitionSerializer
    missing = gettext_lazy("竞赛不存在。")

    def visible(self):
        return selectors.competitions_visible_to(user=self.request.user)

    @extend_schema(request=None, responses=s.CompetitionSerializer)
    def post(self, request, competition_id: int):
        self.get_row(competition_id)
        return self.render(
            competition_services.competition_award(
                competition_id=competition_id, actor=request.user
            )
        )


class CompetitionEntryListApi(ProgrammeApi):
    """GET: entries (a worker sees her own); POST (officers): enter a worker."""

    read_roles = (OFFICER, WORKER)
    serializer_class = s.CompetitionEntrySerializer
    filterset_class = EntryFilter

    def visible(self):
        return selectors.competition_entries_visible_to(user=self.request.user).filter(
            competition_id=self.kwargs["competition_id"]
        )

    @extend_schema(responses=s.CompetitionEntrySerializer(many=True))
    def get(self, request, competition_id: int):
        return self.list_response()

    @extend_schema(request=s.EntryAddSerializer, responses={201: s.CompetitionEntrySerializer})
    def post(self, request, competition_id: int):
        if not Competition.objects.filter(pk=competition_id).exists():
            raise NotFound(_("竞赛不存在。"))
        data = self.valid(s.EntryAddSerializer)
        entry = competition_services.competition_entry_add(
            competition_id=competition_id, worker=data["worker"], actor=request.user
        )
        return self.render(entry, status.HTTP_201_CREATED)


class CompetitionEntryScoreApi(ProgrammeApi):
    serializer_class = s.CompetitionEntrySerializer
    missing = gettext_lazy("参赛记录不存在。")

    def visible(self):
        return selectors.competition_entries_visible_to(user=self.request.user)

    @extend_schema(request=s.EntryScoreSerializer, responses=s.CompetitionEntrySerializer)
    def post(self, request, entry_id: int):
        self.get_row(entry_id)
        data = self.valid(s.EntryScoreSerializer)
        return self.render(
            competition_services.competition_entry_score(
                entry_id=entry_id, score=data["score"], actor=request.user
            )
        )
