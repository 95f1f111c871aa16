"""Training courses, the women enrolled in them, attendance, and the village candidate lists."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.models import TrainingKind

FEDERATION_PROVIDER = "临清市妇联"


class CourseMode(models.TextChoices):
    ONLINE = "online", _("线上")
    OFFLINE = "offline", _("线下")


class CourseStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    OPEN = "open", _("报名中")
    RUNNING = "running", _("进行中")
    FINISHED = "finished", _("已结业")
    CANCELLED = "cancelled", _("已取消")


# Allowed course transitions: status → statuses it may move to.
COURSE_TRANSITIONS: dict[str, set[str]] = {
    CourseStatus.PLANNED: {CourseStatus.OPEN, CourseStatus.CANCELLED},
    CourseStatus.OPEN: {CourseStatus.RUNNING, CourseStatus.CANCELLED, CourseStatus.PLANNED},
    CourseStatus.RUNNING: {CourseStatus.FINISHED, CourseStatus.CANCELLED},
    CourseStatus.FINISHED: set(),
    CourseStatus.CANCELLED: set(),
}


class Course(models.Model):
    """A training course. `enrolled_count` is moved with conditional UPDATEs (capacity race)."""

    name = models.CharField(_("课程名称"), max_length=100)
    category = models.ForeignKey(
        "marketplace.Category", on_delete=models.PROTECT, related_name="+", verbose_name=_("工种")
    )
    kind = models.CharField(_("培训类型"), max_length=20, choices=TrainingKind.choices)
    mode = models.CharField(_("形式"), max_length=10, choices=CourseMode.choices)
    division = models.ForeignKey(
        "marketplace.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在区划"),
    )
    place = models.CharField(_("上课地点"), max_length=200, blank=True)
    starts_on = models.DateField(_("开课日期"))
    ends_on = models.DateField(_("结课日期"))
    capacity = models.PositiveIntegerField(_("名额"))
    enrolled_count = models.PositiveIntegerField(_("已报名"), default=0, editable=False)
    teacher = models.CharField(_("授课老师"), max_length=50, blank=True)
    provider = models.CharField(_("培训机构"), max_length=100, default=FEDERATION_PROVIDER)
    description = models.TextField(_("课程介绍"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CourseStatus.choices, default=CourseStatus.PLANNED
    )
    created_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="course_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(enrolled_count__lte=F("capacity")), name="course_within_capacity"
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self) -> str:
        return self.name


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("当面口头同意")
    SIGNED_FORM = "signed_form", _("签字确认表")
    PHONE_CALL = "phone_call", _("电话确认")


class Candidate(models.Model):
    """A woman on a village list collected by a micro-grid (微网格); linked once she registers."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=11, unique=True)
    division = models.ForeignKey(
        "marketplace.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("镇街")
    )
    village = models.CharField(_("村"), max_length=50)
    grid_officer = models.CharField(_("微网格员"), max_length=50, blank=True)
    wanted_categories = models.ManyToManyField(
        "marketplace.Category", blank=True, related_name="+", verbose_name=_("意向工种")
    )
    notes = models.TextField(_("备注"), blank=True)
    worker = models.OneToOneField(
        "marketplace.WorkerProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_candidate",
        verbose_name=_("关联服务员"),
    )
    linked_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(_("关联时间"), null=True, blank=True)
    # Her consent to an account made on her behalf: how she gave it, to whom, when.
    consent_method = models.CharField(
        _("同意方式"), max_length=20, choices=ConsentMethod.choices, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_recorded_at = models.DateTimeField(_("同意记录时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["division", "village", "name"]
        verbose_name = _("培训意向人员")
        verbose_name_plural = _("培训意向人员")

    def __str__(self) -> str:
        return f"{self.name}（{self.village}）"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("已报名")
    WAITING = "waiting", _("候补中")
    WITHDRAWN = "withdrawn", _("已退出")


class CompletionResult(models.TextChoices):
    PASSED = "passed", _("合格结业")
    FAILED = "failed", _("未通过")


class Enrolment(models.Model):
    """A place on a course, held by a worker or by a candidate who has no account yet.

    When a candidate is linked to her worker profile, `worker` is filled in as well and a
    passed completion writes her TrainingRecord (programme.services.candidates).
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    worker = models.ForeignKey(
        "marketplace.WorkerProfile",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="enrolments"
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    enrolled_at = models.DateTimeField(_("报名时间"))
    enrolled_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    result = models.CharField(
        _("结业结果"), max_length=10, choices=CompletionResult.choices, blank=True
    )
    completed_at = models.DateTimeField(_("结业登记时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    training_record = models.OneToOneField(
        "marketplace.TrainingRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolment",
    )

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        verbose_name = _("报名记录")
        verbose_name_plural = _("报名记录")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "worker"],
                condition=Q(worker__isnull=False),
                name="one_enrolment_per_worker",
            ),
            models.UniqueConstraint(
                fields=["course", "candidate"],
                condition=Q(candidate__isnull=False),
                name="one_enrolment_per_candidate",
            ),
            models.CheckConstraint(
                condition=Q(worker__isnull=False) | Q(candidate__isnull=False),
                name="enrolment_has_a_person",
            ),
        ]
        indexes = [models.Index(fields=["result", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.worker or self.candidate} → {self.course}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session_on = models.DateField(_("上课日期"))
    is_present = models.BooleanField(_("出勤"), default=True)
    recorded_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session_on"]
        verbose_name = _("考勤")
        verbose_name_plural = _("考勤")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session_on"], name="one_attendance_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.session_on}"


class WaitlistEntry(models.Model):
    """A candidate waiting for a seat on a full course, in the order she was put on the list."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="waitlist")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="waitlist")
    added_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("登记时间"))

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("候补名单")
        verbose_name_plural = _("候补名单")
        constraints = [
            models.UniqueConstraint(fields=["course", "candidate"], name="one_waitlist_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} ⏳ {self.course_id}"
