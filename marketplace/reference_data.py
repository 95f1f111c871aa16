"""Reference data loaded by migration and by `load_reference_data`: divisions and trades."""

import csv
from pathlib import Path

DIVISIONS_CSV = Path(__file__).resolve().parent / "data" / "linqing_divisions.csv"

# code, zh, en, requires certificate, certificate zh, certificate en, pricing unit, content
CATEGORIES = [
    (
        "maternity_nurse",
        "月嫂",
        "Maternity nurse",
        True,
        "母婴护理员证",
        "Maternity nurse certificate",
        "day",
        "产妇及新生儿生活护理、月子餐制作、新生儿洗浴抚触、产后恢复指导。",
    ),
    (
        "infant_carer",
        "育婴员",
        "Infant carer",
        True,
        "育婴员证",
        "Infant carer certificate",
        "month",
        "婴幼儿生活照料、日常保健、早期教育与安全看护。",
    ),
    (
        "elderly_carer",
        "养老护理员",
        "Elderly carer",
        True,
        "养老护理员证",
        "Elderly carer certificate",
        "month",
        "老人生活照料、协助用药、康复陪护、安全看护与心理慰藉。",
    ),
    (
        "housekeeper",
        "家政服务员",
        "Home-service worker (cleaning)",
        True,
        "家政服务员证",
        "Home-service worker certificate",
        "hour",
        "居室清洁、衣物洗涤整理、家庭餐制作等家务服务。",
    ),
    (
        "organiser",
        "整理收纳师",
        "Home organiser",
        True,
        "整理收纳师证",
        "Home organiser certificate",
        "hour",
        "衣橱、厨房、儿童房等空间的整理、分类与收纳规划。",
    ),
    (
        "nutritionist",
        "公共营养师",
        "Public nutritionist (cooking)",
        True,
        "公共营养师证",
        "Public nutritionist certificate",
        "hour",
        "家庭膳食营养评估、食谱制定与营养餐制作。",
    ),
    (
        "hourly_cleaning",
        "钟点工",
        "Hourly cleaning",
        False,
        "",
        "",
        "hour",
        "按小时提供的日常保洁服务。",
    ),
]


# The words a household may pick when rating a worker, per trade: {trade code: [(code, zh, en)]}.
# The shared words first (the same code means the same thing in every trade), then the trade's
# own.
_PUNCTUAL = ("punctual", "准时", "Punctual")
_CLEAN = ("clean", "干净", "Clean work")
_CAREFUL = ("careful", "细心", "Careful")
_PATIENT = ("patient", "有耐心", "Patient")
_PROFESSIONAL = ("professional", "专业", "Professional")
_COMMUNICATES = ("communicates_well", "沟通好", "Communicates well")
REVIEW_TAGS: dict[str, list[tuple[str, str, str]]] = {
    "maternity_nurse": [
        _PROFESSIONAL,
        _CAREFUL,
        _PATIENT,
        _CLEAN,
        _COMMUNICATES,
        ("good_meals", "月子餐好", "Good confinement meals"),
    ],
    "infant_carer": [
        _CAREFUL,
        _PATIENT,
        _PROFESSIONAL,
        _PUNCTUAL,
        _COMMUNICATES,
        ("child_likes_her", "孩子喜欢", "The child likes her"),
    ],
    "elderly_carer": [
        _PATIENT,
        _CAREFUL,
        _PROFESSIONAL,
        _PUNCTUAL,
        _COMMUNICATES,
        ("warm_hearted", "贴心", "Warm-hearted"),
    ],
    "housekeeper": [
        _PUNCTUAL,
        _CLEAN,
        _CAREFUL,
        _PROFESSIONAL,
        _COMMUNICATES,
        ("quick", "手脚麻利", "Quick"),
    ],
    "organiser": [
        _PUNCTUAL,
        _PROFESSIONAL,
        _CAREFUL,
        _COMMUNICATES,
        ("well_planned", "收纳有条理", "Well planned"),
    ],
    "nutritionist": [
        _PUNCTUAL,
        _PROFESSIONAL,
        _CLEAN,
        _COMMUNICATES,
        ("tasty_meals", "饭菜可口", "Tasty meals"),
    ],
    "hourly_cleaning": [
        _PUNCTUAL,
        _CLEAN,
        _CAREFUL,
        _COMMUNICATES,
        ("quick", "手脚麻利", "Quick"),
    ],
}


def read_divisions(path: Path = DIVISIONS_CSV) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load(division_model, category_model, review_tag_model=None) -> tuple[int, int]:
    """Create or update divisions and categories (and, given its model, the trades' review
    tags); returns how many divisions and categories exist afterwards."""
    for row in read_divisions():
        division_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "kind": row["kind"],
                "latitude": float(row["lat"]),
                "longitude": float(row["lng"]),
                "accuracy": row["accuracy"],
            },
        )
    for order, (code, zh, en, required, cert_zh, cert_en, unit, content) in enumerate(CATEGORIES):
        category_model.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "requires_certificate": required,
                "certificate_name_zh": cert_zh,
                "certificate_name_en": cert_en,
                "pricing_unit": unit,
                "service_content_zh": content,
                "sort_order": order,
            },
        )
    if review_tag_model is not None:
        load_review_tags(category_model, review_tag_model)
    return division_model.objects.count(), category_model.objects.count()


def load_review_tags(category_model, review_tag_model) -> int:
    """Create or update each trade's review tags (REVIEW_TAGS); returns how many exist."""
    for category in category_model.objects.filter(code__in=REVIEW_TAGS):
        for order, (code, zh, en) in enumerate(REVIEW_TAGS[category.code]):
            review_tag_model.objects.update_or_create(
                category=category,
                code=code,
                defaults={"name_zh": zh, "name_en": en, "sort_order": order},
            )
    return review_tag_model.objects.count()
