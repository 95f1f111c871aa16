"""The geocoder adapter: offline gazetteer by default, geopy services by settings, no network."""

import pytest
from django.conf import settings
from geopy.exc import GeocoderServiceError, GeocoderTimedOut
from geopy.location import Location

from backend.exceptions import ValidationFailed
from marketplace import geocoding
from marketplace.models import Division

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    geocoding.reset_geocoder_cache()
    yield
    geocoding.reset_geocoder_cache()


def test_gazetteer_finds_a_town_named_in_chinese():
    result = geocoding.geocode("山东省临清市烟店镇前街村5号", division=None)
    yandian = Division.objects.get(name_zh="烟店镇")
    assert (result.latitude, result.longitude) == (yandian.latitude, yandian.longitude)
    assert result.source == "gazetteer"
    assert result.accuracy == yandian.accuracy


def test_gazetteer_finds_a_division_named_in_english_case_insensitively():
    result = geocoding.geocode("12 Main Street, songlin town, Linqing", division=None)
    songlin = Division.objects.get(name_zh="松林镇")
    assert (result.latitude, result.longitude) == (songlin.latitude, songlin.longitude)


def test_gazetteer_accepts_the_short_name():
    result = geocoding.geocode("临清市唐园幸福村", division=None)
    tangyuan = Division.objects.get(name_zh="唐园镇")
    assert (result.latitude, result.longitude) == (tangyuan.latitude, tangyuan.longitude)


def test_unknown_address_falls_back_to_the_division_point():
    division = Division.objects.get(name_zh="康庄镇")
    result = geocoding.geocode("幸福小区3号楼", division=division)
    assert (result.latitude, result.longitude) == (division.latitude, division.longitude)
    assert result.source == "division"


def test_unknown_address_without_division_is_a_field_error():
    with pytest.raises(ValidationFailed) as caught:
        geocoding.geocode("nowhere at all", division=None)
    assert caught.value.field == "address"
    assert caught.value.code == "geocoding_failed"


def test_gazetteer_is_a_geopy_geocoder():
    from geopy.geocoders.base import Geocoder

    gazetteer = geocoding.GazetteerGeocoder(user_agent="x")
    assert isinstance(gazetteer, Geocoder)
    location = gazetteer.geocode("戴湾镇")
    assert isinstance(location, Location)
    assert gazetteer.geocode("") is None


class FakeGeocoder:
    """Stands in for a geopy service class; records how it was built and called."""

    instances: list["FakeGeocoder"] = []
    answer: object = None

    def __init__(self, **options):
        self.options = options
        self.queries = []
        FakeGeocoder.instances.append(self)

    def geocode(self, query, **kwargs):
        self.queries.append(query)
        if isinstance(FakeGeocoder.answer, Exception):
            raise FakeGeocoder.answer
        return FakeGeocoder.answer


@pytest.fixture
def fake_service(monkeypatch, settings):
    names = []

    def factory(name):
        names.append(name)
        return FakeGeocoder

    monkeypatch.setattr(geocoding, "get_geocoder_for_service", factory)
    FakeGeocoder.instances = []
    FakeGeocoder.answer = None
    settings.MEIJIA = {
        **settings.MEIJIA,
        "GEOCODER": "nominatim",
        "GEOCODER_OPTIONS": {"user_agent": "meijia-test", "timeout": 3},
        "GEOCODER_MIN_DELAY_SECONDS": 0,
        "GEOCODER_MAX_RETRIES": 0,
    }
    geocoding.reset_geocoder_cache()
    return names


def test_geopy_service_is_built_from_settings_and_its_point_used(fake_service):
    FakeGeocoder.answer = Location("somewhere", (36.9, 115.8), {})
    result = geocoding.geocode("临清市某路1号", division=None)
    assert fake_service == ["nominatim"]
    assert FakeGeocoder.instances[0].options == {"user_agent": "meijia-test", "timeout": 3}
    assert FakeGeocoder.instances[0].queries == ["临清市某路1号"]
    assert (result.latitude, result.longitude, result.source) == (36.9, 115.8, "nominatim")
    # built once, reused (the rate limiter must be shared between calls)
    geocoding.geocode("another", division=None)
    assert len(FakeGeocoder.instances) == 1


@pytest.mark.parametrize("error", [GeocoderServiceError("down"), GeocoderTimedOut("slow")])
def test_geopy_errors_become_the_domain_error(fake_service, error):
    FakeGeocoder.answer = error
    division = Division.objects.first()
    with pytest.raises(ValidationFailed) as caught:
        geocoding.geocode("临清市某路1号", division=division)
    assert (caught.value.field, caught.value.code) == ("address", "geocoding_failed")


def test_geopy_nothing_found_falls_back_to_the_division(fake_service):
    division = Division.objects.get(name_zh="魏湾镇")
    result = geocoding.geocode("无名路", division=division)
    assert (result.latitude, result.longitude, result.source) == (
        division.latitude,
        division.longitude,
        "division",
    )
    with pytest.raises(ValidationFailed):
        geocoding.geocode("无名路", division=None)


def test_default_setting_is_the_offline_gazetteer():
    assert settings.MEIJIA["GEOCODER"] == "gazetteer"
