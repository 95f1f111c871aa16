"""People and files for the programme console tests: village officers, village lists, codes."""

from __future__ import annotations

import io

from marketplace.models import Division, Role, VillageOfficerProfile
from notifications.kinds import ACCOUNT_CODE
from notifications.models import Notification
from notifications.sealing import unseal
from tests import factories

SEAT = "371581001000"  # 青年路街道
SONGLIN = "371581101000"  # 松林镇
HEADER = ["姓名", "手机号", "镇街", "村", "意向工种"]


def village_officer(*codes: str, name: str = "王网格") -> VillageOfficerProfile:
    user = factories.UserFactory(role=Role.VILLAGE_OFFICER, display_name=name)
    profile = VillageOfficerProfile.objects.create(user=user, name=name)
    profile.divisions.set(Division.objects.filter(code__in=codes))
    return profile


def federation_user():
    return factories.FederationOfficerFactory().user


def xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def village_rows(count: int = 3, *, division: str = "青年路街道", start: int = 1) -> list[list]:
    # Phones typed as numbers, as Excel keeps them.
    return [
        [f"村民{n}", 13900000000 + n, division, "前屯村", "家政服务员"]
        for n in range(start, start + count)
    ]


def claim_code(user) -> str:
    """The last claim code sent to the user (read from its sealed notification)."""
    notification = (
        Notification.objects.filter(user=user, type=ACCOUNT_CODE, payload__purpose="claim")
        .order_by("-pk")
        .first()
    )
    return unseal(notification.payload["sealed"])
