import pytest

from marketplace.models import Division
from marketplace.reference_data import read_divisions

DIVISIONS = "/api/v1/divisions/"
CATEGORIES = "/api/v1/categories/"


@pytest.mark.django_db
def test_sixteen_divisions_loaded_with_names_and_points():
    rows = read_divisions()
    assert len(rows) == 16
    assert Division.objects.count() == 16
    assert Division.objects.filter(kind="subdistrict").count() == 4
    assert Division.objects.filter(kind="town").count() == 12
    for division in Division.objects.all():
        assert division.name_zh and division.name_en
        assert 36.5 < division.latitude < 37.1
        assert 115.3 < division.longitude < 116.1


@pytest.mark.django_db
def test_divisions_are_public_and_complete(anon_client):
    response = anon_client.get(DIVISIONS)
    assert response.status_code == 200
    assert response.data["count"] == 16
    first = response.data["results"][0]
    assert first["code"] == "371581001000"
    assert first["name"] == "青年路街道"
    assert first["name_en"] == "Qingnianlu Subdistrict"
    assert first["latitude"] == pytest.approx(36.844)


@pytest.mark.django_db
def test_categories_are_public_with_certificate_rule(anon_client):
    response = anon_client.get(CATEGORIES)
    assert response.status_code == 200
    by_code = {c["code"]: c for c in response.data["results"]}
    assert set(by_code) == {
        "maternity_nurse",
        "infant_carer",
        "elderly_carer",
        "housekeeper",
        "organiser",
        "nutritionist",
        "hourly_cleaning",
    }
    assert by_code["hourly_cleaning"]["requires_certificate"] is False
    assert by_code["maternity_nurse"]["requires_certificate"] is True
    assert by_code["maternity_nurse"]["name"] == "月嫂"
    assert by_code["maternity_nurse"]["certificate_name"] == "母婴护理员证"
    assert by_code["maternity_nurse"]["pricing_unit"] == "day"


@pytest.mark.django_db
def test_reference_lists_are_read_only(anon_client, operator_client):
    assert anon_client.post(CATEGORIES, {"code": "x"}).status_code == 405
    assert operator_client.post(DIVISIONS, {"code": "x"}).status_code == 405
    assert Division.objects.count() == 16
