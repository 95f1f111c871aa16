"""Skill competitions: entrants, scores, and first/second/third prizes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompetitionStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    AWARDED = "awarded", _("已评奖")
    CANCELLED = "cancelled", _("已取消")


class Prize(models.TextChoices):
    FIRST = "first", _("一等奖")
    SECOND = "second", _("二等奖")
    THIRD = "third", _("三等奖")


class Competition(models.Model):
    name = models.CharField(_("竞赛名称"), max_length=100)
    categories = models.ManyToManyField(
        "marketplace.Category", related_name="+", verbose_name=_("工种")
    )
    held_on = models.DateField(_("比赛日期"))
    place = models.CharField(_("比赛地点"), max_length=200, blank=True)
    first_prizes = models.PositiveSmallIntegerField(_("一等奖名额"), default=1)
    second_prizes = models.PositiveSmallIntegerField(_("二等奖名额"), default=2)
    third_prizes = models.PositiveSmallIntegerField(_("三等奖名额"), default=3)
    status = models.CharField(
        _("状态"), max_length=10, choices=CompetitionStatus.choices, default=CompetitionStatus.OPEN
    )
    awarded_at = models.DateTimeField(_("评奖时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("技能竞赛")
        verbose_name_plural = _("技能竞赛")

    def __str__(self) -> str:
        return self.name


class CompetitionEntry(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entries")
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="competition_entries"
    )
    score = models.DecimalField(_("成绩"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    prize = models.CharField(_("奖项"), max_length=10, choices=Prize.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["competition", "rank", "id"]
        verbose_name = _("参赛选手")
        verbose_name_plural = _("参赛选手")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "worker"], name="one_entry_per_competition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.competition}"


class CompetitionRound(models.Model):
    """A part of a competition (理论 theory, 实操 practical) and its weight in the total.

    A competition with rounds is scored by its judges round by round; one without keeps the
    single score an officer enters on each entry."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("环节名称"), max_length=50)
    weight = models.DecimalField(_("权重（%）"), max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["competition", "position", "id"]
        verbose_name = _("竞赛环节")
        verbose_name_plural = _("竞赛环节")
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="one_round_name_each")
        ]

    def __str__(self) -> str:
        return f"{self.competition} · {self.name}"


class CompetitionJudge(models.Model):
    """An officer assigned to judge a competition: she scores every entrant in every round."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        "marketplace.User", on_delete=models.CASCADE, related_name="competitions_judged"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["competition", "id"]
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        constraints = [
            models.UniqueConstraint(fields=["competition", "user"], name="one_judge_seat_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.competition}"


class CompetitionScore(models.Model):
    """One judge's score (0–100) of one entrant in one round; entered once, then corrected."""

    entry = models.ForeignKey(CompetitionEntry, on_delete=models.CASCADE, related_name="scores")
    stage = models.ForeignKey(CompetitionRound, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(CompetitionJudge, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(_("评分"), max_digits=5, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entry", "stage", "judge"]
        verbose_name = _("评委评分")
        verbose_name_plural = _("评委评分")
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "entry", "stage"], name="one_score_per_judge_entry_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.stage.name} · {self.score}"
