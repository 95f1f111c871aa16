"""Village candidate lists: create, CSV import (UTF-8 BOM, GBK, all or nothing), linking."""

import pytest

from marketplace.models import TrainingRecord
from programme.models import Candidate, CourseStatus
from programme.services import candidates as candidate_services
from programme.services import courses as course_services
from tests import factories
from tests.programme import helpers

pytestmark = pytest.mark.django_db
CANDIDATES = "/api/v1/programme/candidates/"
IMPORT = f"{CANDIDATES}import/"

GOOD_CSV = (
    "姓名,手机号,镇街,村,微网格员,意向工种,备注\n"
    "赵桂兰,13900001111,青年路街道,前屯村,刘主任,月嫂、育婴员,想在本地就业\n"
    "钱秀梅,13900002222,371581001000,后屯村,刘主任,maternity_nurse,\n"
)


def upload(client, content: bytes, name="名单.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        IMPORT, {"file": SimpleUploadedFile(name, content, "text/csv")}, format="multipart"
    )


def seat_name():
    from marketplace.models import Division

    return Division.objects.get(code=helpers.SEAT).name_zh


def good_csv() -> str:
    return GOOD_CSV.replace("青年路街道", seat_name())


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("gbk"),
        lambda text: text.encode("utf-8"),
    ],
    ids=["utf-8 with BOM", "gbk", "utf-8"],
)
def test_import_reads_excel_encodings(federation_client, encode):
    response = upload(federation_client, encode(good_csv()))
    assert response.status_code == 201, response.json()
    assert response.json()["imported"] == 2
    zhao = Candidate.objects.get(phone="13900001111")
    assert zhao.name == "赵桂兰"
    assert zhao.village == "前屯村"
    assert zhao.grid_officer == "刘主任"
    assert zhao.notes == "想在本地就业"
    assert sorted(zhao.wanted_categories.values_list("code", flat=True)) == [
        "infant_carer",
        "maternity_nurse",
    ]
    assert zhao.created_by == federation_client.user


def test_import_with_bad_rows_reports_them_and_imports_nothing(federation_client):
    Candidate.objects.create(
        name="已在名单",
        phone="13900003333",
        division_id=factories.division().pk,
        village="前屯村",
    )
    text = good_csv() + (
        "孙兰英,12345,青年路街道,东村,,,\n"  # row 4: bad phone
        ",13900004444,火星镇,西村,,宇航员,\n"  # row 5: no name, unknown division and trade
        "李凤,13900001111,371581001000,北村,,,\n"  # row 6: phone repeats row 2
        "周梅,13900003333,371581001000,南村,,,\n"  # row 7: phone already on the list
    )
    response = upload(federation_client, text.encode("gbk"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_invalid"
    found = {(e["row"], e["field"]) for e in body["errors"]}
    assert {
        (4, "phone"),
        (5, "name"),
        (5, "division"),
        (5, "wanted_categories"),
        (6, "phone"),
        (7, "phone"),
    } <= found
    assert all(e["row"] >= 4 for e in body["errors"])
    assert list(Candidate.objects.values_list("phone", flat=True)) == ["13900003333"]


def test_import_refuses_missing_columns_and_unknown_encoding(federation_client):
    response = upload(federation_client, "姓名,村\n赵桂兰,前屯村\n".encode())
    assert response.status_code == 400
    assert response.json()["code"] == "missing_columns"
    assert upload(federation_client, b"\xff\xfe\x00\x00\xff").status_code == 400
    assert federation_client.post(IMPORT, {}, format="multipart").json()["field"] == "file"
    assert not Candidate.objects.exists()


def test_officer_adds_and_filters_candidates(federation_client):
    body = {
        "name": "赵桂兰",
        "phone": "13900001111",
        "division": helpers.SEAT,
        "village": "前屯村",
        "grid_officer": "刘主任",
        "wanted_categories": ["elderly_carer"],
    }
    response = federation_client.post(CANDIDATES, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["wanted_categories"] == ["elderly_carer"]
    again = federation_client.post(CANDIDATES, body, format="json")
    assert again.status_code == 400
    assert again.json()["field"] == "phone"
    listed = federation_client.get(CANDIDATES, {"wants": "elderly_carer", "is_linked": "false"})
    assert listed.json()["count"] == 1
    assert federation_client.get(CANDIDATES, {"is_linked": "true"}).json()["count"] == 0


def test_linking_attaches_a_candidates_completion_to_her_training_record(federation_client):
    officer = federation_client.user
    course, _actor = helpers.running_course(actor=officer)
    candidate = Candidate.objects.create(
        name="赵桂兰", phone="13900001111", division_id=factories.division().pk, village="前屯村"
    )
    enrolment = course_services.course_enrol(
        course_id=course.pk, actor=officer, candidate=candidate
    )
    course_services.course_transition(
        course_id=course.pk, to_status=CourseStatus.RUNNING, actor=officer
    )
    course_services.enrolment_complete(enrolment_id=enrolment.pk, result="passed", actor=officer)
    assert not TrainingRecord.objects.exists()

    worker = factories.WorkerFactory(credentials=False, real_name="赵桂兰")
    url = f"{CANDIDATES}{candidate.pk}/link/"
    for _ in range(2):
        response = federation_client.post(url, {"worker": worker.pk})
        assert response.status_code == 200, response.json()
    assert response.json()["worker"] == worker.pk
    record = TrainingRecord.objects.get()
    assert record.worker == worker
    assert record.verified_by == officer
    enrolment.refresh_from_db()
    assert (enrolment.worker, enrolment.training_record) == (worker, record)
    # Her enrolments now show to her as a worker.
    from tests.conftest import client_for

    mine = client_for(worker.user).get("/api/v1/programme/enrolments/").json()
    assert [row["id"] for row in mine["results"]] == [enrolment.pk]

    other = factories.WorkerFactory()
    refused = federation_client.post(url, {"worker": other.pk})
    assert refused.status_code == 409
    assert refused.json()["code"] == "candidate_linked"


def test_linking_refuses_a_course_she_also_enrolled_in_herself():
    officer = helpers.officer()
    course = helpers.course(actor=officer)
    candidate = Candidate.objects.create(
        name="赵桂兰", phone="13900001111", division_id=factories.division().pk, village="前屯村"
    )
    worker = factories.WorkerFactory()
    course_services.course_enrol(course_id=course.pk, actor=officer, candidate=candidate)
    course_services.course_enrol(course_id=course.pk, actor=worker.user, worker=worker)
    with pytest.raises(Exception) as refused:
        candidate_services.candidate_link(candidate_id=candidate.pk, worker=worker, actor=officer)
    assert refused.value.code == "already_enrolled"
    candidate.refresh_from_db()
    assert candidate.worker is None
