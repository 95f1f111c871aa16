"""Input and output shapes of competition rounds, judges and the judges' scores."""

from decimal import Decimal

from rest_framework import serializers

from backend.api.fields import ModelSerializer
from marketplace.models import User
from programme.models import CompetitionJudge, CompetitionRound, CompetitionScore
from programme.services.competition_scoring import judge_name


class CompetitionRoundSerializer(ModelSerializer):
    class Meta:
        model = CompetitionRound
        fields = ["id", "competition", "name", "weight", "position"]


class CompetitionRoundWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    weight = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=100
    )


class CompetitionJudgeSerializer(ModelSerializer):
    user = serializers.SerializerMethodField()

    class Meta:
        model = CompetitionJudge
        fields = ["id", "competition", "user"]

    def get_user(self, judge) -> dict:
        return {"id": judge.user_id, "name": judge_name(judge.user)}


class CompetitionJudgeAssignSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())


class CompetitionScoreSerializer(ModelSerializer):
    round = serializers.IntegerField(source="stage_id", read_only=True)
    judge = serializers.SerializerMethodField()

    class Meta:
        model = CompetitionScore
        fields = ["id", "entry", "round", "judge", "score"]

    def get_judge(self, row) -> dict:
        return {"id": row.judge_id, "name": judge_name(row.judge.user)}


class CompetitionScoreWriteSerializer(serializers.Serializer):
    round = serializers.IntegerField(min_value=1)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)


class RoundResultSerializer(serializers.Serializer):
    """An entrant's result in one round: the mean of her judges' scores so far."""

    round = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
