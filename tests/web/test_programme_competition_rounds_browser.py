"""A competition scored in rounds, on phones (360×740): the officer defines 理论 40 % and
实操 60 % and seats two judges; each judge scores both entrants in both rounds on her own phone;
awarding is refused while a judge's scores are missing, then the ranking and prizes follow the
weighted totals and the winner sees her round scores, total, rank and prize."""

from __future__ import annotations

import pytest
from django.utils import timezone

from programme.models import CompetitionEntry
from programme.services.competitions import competition_create, competition_entry_add
from tests import factories
from tests.web.test_browser_flow import session_cookie, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def _signed_in(phone, live_url, user):
    context = phone()
    context.add_cookies([session_cookie(user, live_url)])
    return context.new_page()


def _score(page, entry, theory, practical, marks) -> None:
    page.fill(f"#score-{entry.pk}-{theory.pk}", marks[0])
    page.fill(f"#score-{entry.pk}-{practical.pk}", marks[1])
    page.click(f"[data-entry-card='{entry.pk}'] [data-action=round-scores]")
    page.wait_for_selector(".messages, [role=status], [data-ranking]")


def test_two_judges_score_two_rounds_and_the_ranking_and_prizes_follow(live_url, phone):
    officer = factories.FederationOfficerFactory(name="王评委").user
    second = factories.FederationOfficerFactory(name="李评委").user
    competition = competition_create(
        actor=officer,
        name="临清市家政服务员技能竞赛",
        categories=[factories.category("housekeeper")],
        held_on=timezone.localdate(),
        first_prizes=1,
        second_prizes=1,
        third_prizes=0,
    )
    workers = [factories.WorkerFactory(), factories.WorkerFactory()]
    entries = [
        competition_entry_add(competition_id=competition.pk, worker=w, actor=officer)
        for w in workers
    ]
    url = f"{live_url}/federation/competitions/{competition.pk}/"

    page = _signed_in(phone, live_url, officer)
    page.goto(url)
    for name, weight in (("理论", "40"), ("实操", "60")):
        page.fill("#round-name", name)
        page.fill("#round-weight", weight)
        page.click("[data-action=add-round]")
        page.wait_for_selector(f"[data-rounds] li:has-text('{name}')")
    assert "100" in page.inner_text("[data-weights-total]")
    for judge in (officer, second):
        page.select_option("#judge-user", str(judge.pk))
        page.click("[data-action=add-judge]")
        page.wait_for_selector(f"[data-judge='{judge.pk}']")
    theory, practical = list(competition.rounds.all())
    fits(page)

    # 王: entrant 0 (80, 70), entrant 1 (90, 60); 李: entrant 0 (90, 80), entrant 1 (94, 70)
    # totals: entrant 0 = 85×0.4 + 75×0.6 = 79.00; entrant 1 = 92×0.4 + 65×0.6 = 75.80
    _score(page, entries[0], theory, practical, ("80", "70"))
    _score(page, entries[1], theory, practical, ("90", "60"))
    page.goto(url)
    page.click("[data-action=award]")
    page.wait_for_selector("[data-scores-missing]")
    assert "李评委" in page.inner_text("body")
    assert not CompetitionEntry.objects.filter(rank__isnull=False).exists()
    fits(page)
    shot(page, "competition-rounds-missing")

    judge_page = _signed_in(phone, live_url, second)
    judge_page.goto(url)
    _score(judge_page, entries[0], theory, practical, ("90", "80"))
    _score(judge_page, entries[1], theory, practical, ("94", "70"))
    judge_page.goto(url)
    ranking = judge_page.inner_text("[data-ranking]")
    assert ranking.index(workers[0].real_name) < ranking.index(workers[1].real_name)
    assert judge_page.inner_text(f"[data-ranking] [data-entry='{entries[0].pk}'] [data-total]") == (
        "79.00"
    )
    fits(judge_page)
    shot(judge_page, "competition-rounds-ranking")

    page.goto(url)
    assert page.query_selector("[data-scores-missing]") is None
    page.click("[data-action=award]")
    page.wait_for_selector("[data-results]")
    assert (
        page.get_attribute(
            f"[data-results] [data-entry='{entries[0].pk}'] td[data-prize]", "data-prize"
        )
        == "first"
    )
    assert (
        page.get_attribute(
            f"[data-results] [data-entry='{entries[1].pk}'] td[data-prize]", "data-prize"
        )
        == "second"
    )
    fits(page)

    her = _signed_in(phone, live_url, workers[0].user)
    her.goto(f"{live_url}/worker/programme/")
    card = her.inner_text(f"[data-competition-entry='{entries[0].pk}']")
    assert "第 1 名" in card and "一等奖" in card and "79.00" in card
    assert "理论" in card and "85.00" in card and "实操" in card and "75.00" in card
    fits(her)
    shot(her, "competition-rounds-her-result")
