"""Reading client frames on the socket: the error a bad frame raises and the field checks."""

from django.utils.translation import gettext

from backend import input_rules


class FrameError(Exception):
    """A client frame that cannot be served; the consumer answers it with an `error` frame."""

    def __init__(self, code: str, detail: str, field: str | None = None):
        super().__init__(detail)
        self.code, self.detail, self.field = code, detail, field


def int_field(content: dict, name: str, *, minimum: int) -> int:
    """`content[name]` as an int of at least `minimum` and within the API's integer bounds
    (backend.input_rules). Raises FrameError (required, invalid, out_of_range)."""
    value = content.get(name)
    if name not in content:
        raise FrameError("required", gettext("缺少字段 %(field)s。") % {"field": name}, name)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise FrameError(
            "invalid",
            gettext("%(field)s 须为不小于 %(minimum)d 的整数。")
            % {"field": name, "minimum": minimum},
            name,
        )
    if problem := input_rules.integer_problem(value, minimum):
        raise FrameError(*problem, name)
    return value


def string_field(content: dict, name: str) -> str:
    """`content[name]` as a string that obeys the API's text rule (backend.input_rules).
    Raises FrameError (required, invalid, control_characters)."""
    if content.get(name) is None:
        raise FrameError("required", gettext("缺少字段 %(field)s。") % {"field": name}, name)
    if not isinstance(content[name], str):
        raise FrameError("invalid", gettext("%(field)s 须为字符串。") % {"field": name}, name)
    if problem := input_rules.text_problem(content[name]):
        raise FrameError(*problem, name)
    return content[name]
