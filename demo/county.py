"""The demo county on paper: its size, places and names, and who each worker is.

Nothing here touches the database. Each generated worker draws from her own
`random.Random(f"{seed}-worker-{n}")`, so worker n is the same whatever the batch size or how
many workers were asked for.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from marketplace import idcard
from marketplace.models import Division

DEFAULT_SEED = 2026
DEFAULT_WORKERS = 300
DEFAULT_HOUSEHOLDS = 300
DEFAULT_HISTORY_ORDERS = 360  # orders over the last 12 months (demo.history)
CITY_SEAT = (36.8494, 115.7061)
CITY_SEAT_DIVISION = "371581001000"
DEMO_WORKER_COUNT = 20
REGION_CODE = "371581"
KM_PER_DEGREE = 111.32

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN_NAMES = [
    "秀英", "桂英", "秀兰", "玉兰", "桂兰", "秀珍", "凤英", "玉珍", "淑珍", "丽娟", "红梅", "海燕",
    "春梅", "雪梅", "晓燕", "丽华", "美玲", "慧敏", "静", "敏", "艳", "娟", "霞", "芳", "丽", "萍",
]  # fmt: skip
AGENCY_NAMES = [
    "临清美家家政服务有限公司", "临清巾帼家政服务中心", "青年路阳光家政服务部",
    "新华路安心母婴护理中心", "先锋路康乐养老护理服务社", "大辛庄好帮手家政",
    "松林镇巧姐家政服务部", "康庄镇贴心月嫂之家", "魏湾镇福寿居家养老服务中心",
    "烟店镇勤嫂保洁服务部", "唐园镇育婴宝家政", "尚店镇惠民家政服务社",
]  # fmt: skip
AGENCY_DIVISION_CODES = [
    "371581001000", "371581001000", "371581001000", "371581002000", "371581003000", "371581004000",
    "371581101000", "371581103000", "371581104000", "371581109000", "371581110000", "371581113000",
]  # fmt: skip
TRADE_WEIGHTS = {
    "housekeeper": 0.5,
    "hourly_cleaning": 0.6,
    "maternity_nurse": 0.18,
    "infant_carer": 0.2,
    "elderly_carer": 0.25,
    "organiser": 0.08,
    "nutritionist": 0.08,
}
CERTIFICATE_ISSUER = "临清市人力资源和社会保障局"
TRAINING_PROVIDER = "临清市妇联"
HOSPITALS = ["临清市人民医院", "临清市妇幼保健院", "临清市中医院"]


@dataclass
class CertificateSpec:
    category_code: str
    state: str = "valid"  # valid | expired | unverified


@dataclass
class WorkerSpec:
    """Everything one worker row set needs; built from a seeded Random, then bulk-inserted."""

    number: int
    username: str
    real_name: str
    phone: str
    division_code: str
    latitude: float
    longitude: float
    radius_km: float
    trades: list[str]
    hourly_rate: int
    agency_index: int | None
    is_verified: bool = True
    is_accepting_offers: bool = True
    certificates: list[CertificateSpec] = field(default_factory=list)
    has_pre_job_training: bool = True
    health: str = "valid"  # valid | expired | missing
    completed_jobs: int = 0
    rating_count: int = 0
    rating_sum: int = 0
    availability: dict = field(default_factory=dict)


def point_near(rng: random.Random, latitude: float, longitude: float, max_km: float):
    """A point uniformly spread within `max_km` of the given one (flat-earth is fine at 3 km)."""
    distance = max_km * math.sqrt(rng.random())
    bearing = rng.random() * 2 * math.pi
    dlat = distance * math.cos(bearing) / KM_PER_DEGREE
    dlng = distance * math.sin(bearing) / (KM_PER_DEGREE * math.cos(math.radians(latitude)))
    return round(latitude + dlat, 6), round(longitude + dlng, 6)


def id_card_number_for(number: int) -> str:
    """A valid, female, unique-per-`number` ID number (birth 1968-1992) for demo workers."""
    born = dt.date(1968, 1, 1) + dt.timedelta(days=number % 9000)
    sequence = ((number // 9000) % 500) * 2  # an even last digit: a woman
    first17 = f"{REGION_CODE}{born:%Y%m%d}{sequence:03d}"
    return first17 + idcard.check_character(first17)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _trades_drawn(rng: random.Random) -> list[str]:
    trades = [code for code, weight in TRADE_WEIGHTS.items() if rng.random() < weight]
    return trades or [rng.choice(["housekeeper", "hourly_cleaning", "elderly_carer"])]


def _certificates_drawn(rng: random.Random, trades: list[str]) -> list[CertificateSpec]:
    """One certificate per certified trade; about 10 % expired and 4 % not yet verified."""
    certificates = []
    for code in trades:
        if code == "hourly_cleaning":
            continue
        roll = rng.random()
        state = "expired" if roll < 0.10 else "unverified" if roll < 0.14 else "valid"
        certificates.append(CertificateSpec(code, state))
    return certificates


def _availability_drawn(rng: random.Random) -> dict:
    if rng.random() < 0.3:
        days = sorted(rng.sample(range(7), rng.randint(3, 6)))
        return {str(day): [["08:00", "18:00"]] for day in days}
    return {}


def demo_worker_spec(number: int, *, seed: int, divisions: list[Division]) -> WorkerSpec:
    """Generated worker n: spread over the divisions, with realistic gaps in her credentials."""
    rng = random.Random(f"{seed}-worker-{number}")
    division = divisions[rng.randrange(len(divisions))]
    latitude, longitude = point_near(rng, division.latitude, division.longitude, 3.0)
    trades = _trades_drawn(rng)
    certificates = _certificates_drawn(rng, trades)
    health_roll = rng.random()
    completed = int(rng.expovariate(1 / 12))
    rating_count = int(completed * rng.uniform(0.4, 0.9))
    division_index = divisions.index(division)
    availability = _availability_drawn(rng)
    return WorkerSpec(
        number=number,
        username=f"worker-{number:06d}",
        real_name=person_name(rng),
        phone=f"+8615{number:09d}",
        division_code=division.code,
        latitude=latitude,
        longitude=longitude,
        radius_km=rng.choice([5, 8, 10, 15, 20, 30]),
        trades=trades,
        hourly_rate=rng.randrange(2500, 6001, 100),
        agency_index=(division_index % len(AGENCY_NAMES)) if rng.random() < 0.7 else None,
        is_verified=rng.random() >= 0.08,
        is_accepting_offers=rng.random() >= 0.05,
        certificates=certificates,
        has_pre_job_training=rng.random() >= 0.06,
        health="missing" if health_roll < 0.06 else "expired" if health_roll < 0.11 else "valid",
        completed_jobs=completed,
        rating_count=rating_count,
        rating_sum=sum(rng.choice([4, 5, 5, 5, 3]) for _ in range(rating_count)),
        availability=availability,
    )


def demo_account_worker_spec(index: int) -> WorkerSpec:
    """demo-worker (index 1) … demo-worker-20: eligible, within 3 km of the city seat."""
    rng = random.Random(f"demo-worker-{index}")
    latitude, longitude = point_near(rng, *CITY_SEAT, 3.0)
    trades = ["housekeeper", "hourly_cleaning"]
    if index % 3 == 0:
        trades.append("elderly_carer")
    if index % 4 == 0:
        trades.append("maternity_nurse")
    if index % 5 == 0:
        trades.append("infant_carer")
    if index % 7 == 0:
        trades.append("organiser")
    return WorkerSpec(
        number=4_400_000 + index,
        username="demo-worker" if index == 1 else f"demo-worker-{index}",
        real_name="李秀英" if index == 1 else person_name(rng),
        phone=f"+861390000{index:04d}",
        division_code=CITY_SEAT_DIVISION,
        latitude=latitude,
        longitude=longitude,
        radius_km=20,
        trades=trades,
        hourly_rate=3500 + 100 * (index % 6),
        agency_index=0,
        certificates=[CertificateSpec(code) for code in trades if code != "hourly_cleaning"],
        completed_jobs=5 + index,
        rating_count=3 + index // 2,
        rating_sum=(3 + index // 2) * 5 - index % 3,
    )
