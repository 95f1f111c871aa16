"""seed_demo shows the weekly-use features: favourites, a rebooking, returning households."""

import io

import pytest
from django.core.management import call_command

from marketplace.models import TimeOff, WorkerProfile
from orders.models import (
    AskedAgain,
    FavouriteWorker,
    Occurrence,
    Offer,
    RequestApplication,
    ServiceRequest,
)
from orders.statuses import OfferSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = io.StringIO()
    args = ["--workers", "60", "--households", "20", "--orders", "60"]
    call_command("seed_demo", *args, stdout=out)
    call_command("seed_demo", *args, stdout=out)  # twice: nothing is added the second time
    return out.getvalue()


def test_demo_household_keeps_and_books_again_and_demo_worker_sees_returns(seeded):
    favourites = FavouriteWorker.objects.filter(household__username="demo-household")
    assert favourites.exists()
    assert favourites.filter(worker__user__username="demo-worker").exists()
    rebooking = Offer.objects.filter(
        source=OfferSource.REBOOKING, worker__user__username="demo-worker"
    )
    assert rebooking.count() == 1
    worker = WorkerProfile.objects.get(user__username="demo-worker")
    rows = AskedAgain.objects.filter(worker=worker)
    assert rows.filter(household__username="demo-household").exists()
    assert worker.asked_again_count == rows.count()


def test_a_demo_worker_is_on_leave_over_a_booked_visit(seeded):
    time_off = TimeOff.objects.get()
    assert time_off.reason == "回家"
    assert Occurrence.objects.filter(worker_time_off=time_off).exists()


def test_the_open_board_has_an_application_and_an_instant_request(seeded):
    assert RequestApplication.objects.filter(worker__user__username="demo-worker").count() == 1
    assert ServiceRequest.objects.filter(allows_instant_accept=True, status="open").count() == 1
