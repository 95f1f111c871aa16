from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """The federation's programme: courses, enrolment, exams, competitions, job fairs."""

    name = "programme"
    verbose_name = _("妇联培训就业项目")
