"""Reference data: the county's divisions and the service trades."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def localized(zh: str, en: str) -> str:
    """Pick the Chinese or English name by the active language (Chinese is the default)."""
    language = translation.get_language() or "zh-hans"
    return en if language.startswith("en") and en else zh


class Division(models.Model):
    """A township-level division (街道 or 镇), keyed by its national statistical code."""

    class Kind(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("街道")
        TOWN = "town", _("镇")

    code = models.CharField(_("代码"), max_length=12, unique=True)
    name_zh = models.CharField(_("中文名"), max_length=50)
    name_en = models.CharField(_("英文名"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    latitude = models.FloatField(_("纬度"))
    longitude = models.FloatField(_("经度"))
    accuracy = models.CharField(_("位置精度"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)


class Category(models.Model):
    """A service trade; `certificate_name` is the qualification it requires, if any."""

    class PricingUnit(models.TextChoices):
        HOUR = "hour", _("按小时")
        DAY = "day", _("按天")
        MONTH = "month", _("按月")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name_zh = models.CharField(_("中文名"), max_length=50)
    name_en = models.CharField(_("英文名"), max_length=100)
    requires_certificate = models.BooleanField(_("需要资格证书"), default=True)
    certificate_name_zh = models.CharField(_("所需证书（中文）"), max_length=100, blank=True)
    certificate_name_en = models.CharField(_("所需证书（英文）"), max_length=100, blank=True)
    pricing_unit = models.CharField(
        _("计价单位"), max_length=10, choices=PricingUnit.choices, default=PricingUnit.HOUR
    )
    service_content_zh = models.TextField(_("服务内容（合同模板）"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("服务工种")
        verbose_name_plural = _("服务工种")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)

    @property
    def certificate_name(self) -> str:
        return localized(self.certificate_name_zh, self.certificate_name_en)


class ReviewTag(models.Model):
    """A word a household may pick when rating a worker of one trade (准时, 干净, 细心 …).

    The sets per trade are data (marketplace.reference_data.REVIEW_TAGS, loaded by migration
    and by `load_reference_data`), not code: a trade's tags change without a deploy.
    """

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="review_tags", verbose_name=_("服务工种")
    )
    code = models.SlugField(_("代码"), max_length=40)
    name_zh = models.CharField(_("中文名"), max_length=20)
    name_en = models.CharField(_("英文名"), max_length=40)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("可选"), default=True)

    class Meta:
        ordering = ["category", "sort_order", "code"]
        verbose_name = _("评价标签")
        verbose_name_plural = _("评价标签")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="review_tag_code_per_trade")
        ]

    def __str__(self) -> str:
        return f"{self.category.code}: {self.name}"

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)
