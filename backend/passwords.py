"""Password validators that answer in the caller's language.

Django 5.2.19's MinimumLengthValidator words its message with `%d`, a msgid that no catalogue
of Django's translates (they hold the `%(min_length)d` wording), so it answered in English
whatever the language. This one asks for the wording the catalogues translate.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                self.get_error_message(),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
