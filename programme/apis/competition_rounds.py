"""Competition rounds, judges and the judges' scores: officers define the rounds and seat the
judges; each judge enters her own score of each entrant in each round; an entrant reads her own
scores (her round results and total are on her entry)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status

from backend.exceptions import NotFound
from programme import selectors
from programme.apis import competition_serializers as cs
from programme.apis.base import ProgrammeApi
from programme.models import Competition, CompetitionRound
from programme.permissions import OFFICER, WORKER
from programme.services import competition_rounds as services


def _competition_or_404(user, competition_id: int) -> Competition:
    competition = selectors.competitions_visible_to(user=user).filter(pk=competition_id).first()
    if competition is None:
        raise NotFound(_("竞赛不存在。"))
    return competition


class CompetitionRoundListApi(ProgrammeApi):
    """GET: a competition's rounds and weights; POST (officers): add a round."""

    read_roles = (OFFICER, WORKER)
    serializer_class = cs.CompetitionRoundSerializer

    def visible(self):
        return CompetitionRound.objects.filter(
            competition__in=selectors.competitions_visible_to(user=self.request.user),
            competition_id=self.kwargs["competition_id"],
        )

    @extend_schema(responses=cs.CompetitionRoundSerializer(many=True))
    def get(self, request, competition_id: int):
        _competition_or_404(request.user, competition_id)
        return self.list_response()

    @extend_schema(
        request=cs.CompetitionRoundWriteSerializer, responses={201: cs.CompetitionRoundSerializer}
    )
    def post(self, request, competition_id: int):
        _competition_or_404(request.user, competition_id)
        data = self.valid(cs.CompetitionRoundWriteSerializer)
        row = services.competition_round_add(
            competition_id=competition_id, actor=request.user, **data
        )
        return self.render(row, status.HTTP_201_CREATED)


class CompetitionJudgeListApi(ProgrammeApi):
    """GET (officers): a competition's judges; POST (officers): seat an officer as a judge."""

    serializer_class = cs.CompetitionJudgeSerializer

    def visible(self):
        return selectors.competition_judges_visible_to(user=self.request.user).filter(
            competition_id=self.kwargs["competition_id"]
        )

    @extend_schema(responses=cs.CompetitionJudgeSerializer(many=True))
    def get(self, request, competition_id: int):
        _competition_or_404(request.user, competition_id)
        return self.list_response()

    @extend_schema(
        request=cs.CompetitionJudgeAssignSerializer, responses={201: cs.CompetitionJudgeSerializer}
    )
    def post(self, request, competition_id: int):
        _competition_or_404(request.user, competition_id)
        data = self.valid(cs.CompetitionJudgeAssignSerializer)
        row = services.competition_judge_assign(
            competition_id=competition_id, actor=request.user, judge=data["user"]
        )
        return self.render(row, status.HTTP_201_CREATED)


class CompetitionScoreListApi(ProgrammeApi):
    """GET: the judges' scores of an entry (officers; the entrant her own); POST (the
    competition's judges): enter or correct her own score of this entrant in one round."""

    read_roles = (OFFICER, WORKER)
    serializer_class = cs.CompetitionScoreSerializer

    def visible(self):
        return selectors.competition_scores_visible_to(user=self.request.user).filter(
            entry_id=self.kwargs["entry_id"]
        )

    def _entry_or_404(self, entry_id: int) -> None:
        entries = selectors.competition_entries_visible_to(user=self.request.user)
        if not entries.filter(pk=entry_id).exists():
            raise NotFound(_("参赛记录不存在。"))

    @extend_schema(responses=cs.CompetitionScoreSerializer(many=True))
    def get(self, request, entry_id: int):
        self._entry_or_404(entry_id)
        return self.list_response()

    @extend_schema(
        request=cs.CompetitionScoreWriteSerializer, responses={200: cs.CompetitionScoreSerializer}
    )
    def post(self, request, entry_id: int):
        self._entry_or_404(entry_id)
        data = self.valid(cs.CompetitionScoreWriteSerializer)
        row = services.competition_round_score(
            entry_id=entry_id, round_id=data["round"], actor=request.user, score=data["score"]
        )
        return self.render(row)
