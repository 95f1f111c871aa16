"""The career record PDF draws every user string as text: her name, course, certificate,
competition, agency and a household's review comment may hold markup and the PDF still renders,
shows those characters and fetches nothing."""

import io

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from orders.models import Review
from orders.statuses import OrderStatus, Party
from programme.models import Competition, CompetitionEntry
from programme.services.career import career_share_token
from tests import factories

pytestmark = pytest.mark.django_db


def hostile(url: str, field: str) -> str:
    return f'<img src="{url}?{field}"/>&<a href="{url}">{field}</a>'


def worker_full_of_markup(url: str):
    worker = factories.WorkerFactory(real_name=f'<font name="x">{url}</font>')
    factories.TrainingRecordFactory(
        worker=worker, course=hostile(url, "course"), provider=hostile(url, "provider")
    )
    factories.CertificateFactory(
        worker=worker,
        number="<b>LQ1",
        issuer=hostile(url, "issuer"),
        level="<i>",
    )
    competition = Competition.objects.create(name=hostile(url, "contest"), held_on="2026-05-01")
    CompetitionEntry.objects.create(competition=competition, worker=worker, rank=1)
    agency = factories.AgencyFactory(name=hostile(url, "agency"))
    factories.RosterEntryFactory(agency=agency, worker=worker, status="active")
    order = factories.OrderFactory(
        worker=worker, status=OrderStatus.COMPLETED, completed_at=timezone.now()
    )
    Review.objects.create(
        order=order,
        author=order.household,
        author_party=Party.HOUSEHOLD,
        rating=5,
        comment=hostile(url, "review"),
        published_at=timezone.now(),
    )
    return worker


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("path", ["own", "shared"])
def test_markup_in_every_field_renders_as_text_and_fetches_nothing(httpserver, path):
    httpserver.expect_request("/x").respond_with_data(b"GIF89a", content_type="image/gif")
    url = httpserver.url_for("/x")
    worker = worker_full_of_markup(url)
    client = Client()
    if path == "own":
        client.force_login(worker.user)
        response = client.get("/worker/career.pdf")
    else:
        staff = factories.AgencyStaffFactory()
        token, _ = career_share_token(worker=worker)
        client.force_login(staff.user)
        response = client.get(f"/career/shared/{token}/pdf/")
    assert response.status_code == 200, response.content[:300]
    assert response.content.startswith(b"%PDF")
    assert httpserver.log == []
    text = squeeze(pdf_text(response.content))
    for field in ("course", "provider", "issuer", "contest", "agency", "review"):
        assert squeeze(hostile(url, field)) in text, field
    assert squeeze(worker.real_name) in text and "<b>LQ1" in text
