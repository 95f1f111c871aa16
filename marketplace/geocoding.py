"""The one geocoder adapter: an address (and its division) to a point.

Settings: MEIJIA["GEOCODER"] names the backend. The embedded default "gazetteer" works offline
from the Division table; any other name is a geopy service (e.g. "nominatim", "baidu") built as
`get_geocoder_for_service(name)(**MEIJIA["GEOCODER_OPTIONS"])` and called through geopy's
RateLimiter (MEIJIA["GEOCODER_MIN_DELAY_SECONDS"], default 1 s; MEIJIA["GEOCODER_MAX_RETRIES"],
default 1). Every failure becomes ValidationFailed(field="address", code="geocoding_failed").
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.translation import gettext as _
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from backend.exceptions import ValidationFailed
from marketplace.models import Division

logger = logging.getLogger(__name__)

GAZETTEER = "gazetteer"
SOURCE_DIVISION = "division"


@dataclass(frozen=True)
class GeocodeResult:
    latitude: float
    longitude: float
    source: str  # "gazetteer", the geopy service name, or "division" (the division's point)
    accuracy: str  # how precise the point is, in words


_SUFFIXES_ZH = ("街道", "镇", "乡")
_SUFFIXES_EN = (" subdistrict", " town", " township")


def _names(division: Division) -> list[str]:
    """The names an address may use for a division: full and short, Chinese and English."""
    names = [division.name_zh, division.name_en.lower()]
    for suffix in _SUFFIXES_ZH:
        if division.name_zh.endswith(suffix) and len(division.name_zh) > len(suffix) + 1:
            names.append(division.name_zh[: -len(suffix)])
    for suffix in _SUFFIXES_EN:
        if division.name_en.lower().endswith(suffix):
            names.append(division.name_en.lower()[: -len(suffix)])
    return [name for name in names if name]


class GazetteerGeocoder(Geocoder):
    """An offline, geopy-compatible geocoder over the Division table (name → division point).

    The longest division name found in the query wins (so 烟店镇 beats a shorter name inside
    it); English names match case-insensitively on word boundaries.
    """

    def __init__(self, **options):
        # Network options (user_agent, timeout, …) mean nothing offline.
        super().__init__()

    def geocode(self, query: str, *, exactly_one: bool = True, **kwargs):
        text = (query or "").strip()
        if not text:
            return None
        lowered = text.lower()
        found: list[tuple[int, Division]] = []
        for division in Division.objects.all():
            for name in _names(division):
                if name.isascii():
                    matched = re.search(rf"\b{re.escape(name)}\b", lowered) is not None
                else:
                    matched = name in text
                if matched:
                    found.append((len(name), division))
        if not found:
            return None
        found.sort(key=lambda item: (-item[0], item[1].code))
        locations = [self._location(division) for _, division in found]
        return locations[0] if exactly_one else locations

    @staticmethod
    def _location(division: Division) -> Location:
        raw = {"code": division.code, "accuracy": division.accuracy or SOURCE_DIVISION}
        return Location(
            f"{division.name_zh} {division.name_en}", (division.latitude, division.longitude), raw
        )


_lock = threading.Lock()
_cache: dict[str, object] = {}


def reset_geocoder_cache(**kwargs) -> None:
    """Forget the built geocoder (settings changed, or a test swapped the geopy factory)."""
    with _lock:
        _cache.clear()


setting_changed.connect(reset_geocoder_cache)


def _config() -> dict:
    return getattr(settings, "MEIJIA", {})


def _geocode_function():
    """The configured backend's `geocode(query)` callable, built once and shared."""
    config = _config()
    name = config.get("GEOCODER", GAZETTEER) or GAZETTEER
    with _lock:
        if name in _cache:
            return _cache[name]
        if name == GAZETTEER:
            function = GazetteerGeocoder().geocode
        else:
            geocoder = get_geocoder_for_service(name)(**config.get("GEOCODER_OPTIONS", {}))
            function = RateLimiter(
                geocoder.geocode,
                min_delay_seconds=config.get("GEOCODER_MIN_DELAY_SECONDS", 1.0),
                max_retries=config.get("GEOCODER_MAX_RETRIES", 1),
                error_wait_seconds=config.get("GEOCODER_ERROR_WAIT_SECONDS", 2.0),
                swallow_exceptions=False,
            )
        _cache[name] = function
        return function


def _failed() -> ValidationFailed:
    return ValidationFailed(
        _("无法根据地址确定位置，请检查地址或在地图上选点。"),
        field="address",
        code="geocoding_failed",
    )


def geocode(address: str, *, division: Division | None) -> GeocodeResult:
    """The point of `address`; the division's point when the address itself is not found.

    Raises ValidationFailed(field="address", code="geocoding_failed") when neither gives a
    point, or when the geocoding service fails (unreachable, timed out, refused).
    """
    name = _config().get("GEOCODER", GAZETTEER) or GAZETTEER
    try:
        location = _geocode_function()(address) if (address or "").strip() else None
    except GeopyError as error:
        logger.warning("geocoder %s failed for an address: %s", name, error)
        raise _failed() from error
    if isinstance(location, list):
        location = location[0] if location else None
    if location is not None:
        if name == GAZETTEER:
            accuracy = (location.raw or {}).get("accuracy", SOURCE_DIVISION)
        else:
            accuracy = "geocoder"
        return GeocodeResult(
            latitude=float(location.latitude),
            longitude=float(location.longitude),
            source=name,
            accuracy=accuracy,
        )
    if division is not None:
        return GeocodeResult(
            latitude=division.latitude,
            longitude=division.longitude,
            source=SOURCE_DIVISION,
            accuracy=division.accuracy or SOURCE_DIVISION,
        )
    raise _failed()
