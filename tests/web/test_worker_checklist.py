"""A new worker's home is her checklist until she can be matched: four steps with what to
bring, where, the programme's next date and whom to call; then it is the offers page. The
checklist agrees with the eligibility rules it is built on."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Category, Certificate, HealthCheck, TrainingRecord
from marketplace.selectors.eligibility import worker_eligibility
from tests import factories
from tests.programme.helpers import course, exam
from tests.web.conftest import session_client
from web.selectors_checklist import worker_checklist

pytestmark = pytest.mark.django_db


def new_worker(trades=("housekeeper",)):
    return factories.WorkerFactory(
        credentials=False, trades=list(trades), is_verified=False, verified_at=None
    )


def done_steps(page: str) -> dict[str, str]:
    steps = {}
    for key in ("identity", "training", "health", "certificate"):
        marker = f'data-step="{key}" data-done="'
        assert marker in page, key
        steps[key] = page.split(marker, 1)[1][0]
    return steps


def test_new_worker_sees_four_steps_with_dates_and_the_federation_to_call(settings):
    settings.MEIJIA = {**settings.MEIJIA, "FEDERATION_PHONE": "0635-0000000"}
    worker = new_worker()
    pre_job = course(starts_on=timezone.localdate() + dt.timedelta(days=6), name="岗前培训第3期")
    exam(trade="housekeeper", held_on=timezone.localdate() + dt.timedelta(days=30))
    page = session_client(worker.user).get("/worker/offers/").content.decode()
    assert done_steps(page) == {"identity": "0", "training": "0", "health": "0", "certificate": "0"}
    assert pre_job.name in page and pre_job.starts_on.isoformat() in page
    assert "母婴护理员资格考试" in page  # the exam's name, for her trade (helpers name it so)
    assert "临清市妇联" in page and 'href="tel:0635-0000000"' in page
    assert "data-offer=" not in page


def test_a_worker_on_a_roster_calls_her_agency():
    worker = new_worker()
    agency = factories.AgencyFactory(phone="0635-1112222")
    factories.RosterEntryFactory(agency=agency, worker=worker)
    page = session_client(worker.user).get("/worker/offers/").content.decode()
    assert agency.name in page and "tel:0635-1112222" in page


def test_steps_turn_done_one_by_one_and_the_home_becomes_the_offers_page():
    worker = new_worker()
    client = session_client(worker.user)
    worker.is_verified = True
    worker.verified_at = timezone.now()
    worker.save(update_fields=["is_verified", "verified_at"])
    factories.TrainingRecordFactory(worker=worker)
    page = client.get("/worker/offers/").content.decode()
    assert done_steps(page) == {"identity": "1", "training": "1", "health": "0", "certificate": "0"}
    factories.HealthCheckFactory(worker=worker)
    page = client.get("/worker/offers/").content.decode()
    assert done_steps(page)["health"] == "1" and done_steps(page)["certificate"] == "0"
    factories.CertificateFactory(worker=worker, category=Category.objects.get(code="housekeeper"))
    page = client.get("/worker/offers/").content.decode()
    assert "data-step=" not in page and "data-no-offers" in page


def test_an_uncertified_trade_needs_no_certificate_step():
    worker = new_worker(trades=("hourly_cleaning",))
    worker.is_verified = True
    worker.save(update_fields=["is_verified"])
    factories.TrainingRecordFactory(worker=worker)
    factories.HealthCheckFactory(worker=worker)
    assert worker_checklist(worker=worker).is_matchable


@pytest.mark.parametrize(
    "change",
    ["none", "unverified", "no_training", "expired_health", "unverified_certificate", "revoked"],
)
def test_checklist_agrees_with_the_eligibility_rules(change):
    worker = factories.WorkerFactory(trades=["housekeeper"])
    if change == "unverified":
        worker.is_verified = False
        worker.save(update_fields=["is_verified"])
    elif change == "no_training":
        TrainingRecord.objects.filter(worker=worker).delete()
    elif change == "expired_health":
        HealthCheck.objects.filter(worker=worker).update(
            valid_until=timezone.localdate() - dt.timedelta(days=1)
        )
    elif change == "unverified_certificate":
        Certificate.objects.filter(worker=worker).update(verified_at=None)
    elif change == "revoked":
        Certificate.objects.filter(worker=worker).update(is_revoked=True)
    trade = Category.objects.get(code="housekeeper")
    rules = worker_eligibility(worker=worker, category=trade)
    assert worker_checklist(worker=worker).is_matchable is rules.is_eligible
    assert (change == "none") is rules.is_eligible
