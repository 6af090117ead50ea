"""Phone validation and masking (SEC-01: first 3 + last 4 digits visible)."""

from __future__ import annotations

import re

from guifan.errors import ValidationFailed

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def phone_normalize(raw: str, *, field: str = "phone") -> str:
    """A mainland mobile (11 digits) or landline (area code + 7–8 digits), or an error."""
    phone = (raw or "").strip().replace(" ", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not phone:
        raise ValidationFailed("phone.missing", "联系电话不能为空", field=field, rule="ORD-01")
    if MOBILE.match(phone) or LANDLINE.match(phone):
        return phone
    raise ValidationFailed(
        "phone.malformed",
        f"联系电话格式不正确：{raw!r}（应为11位手机号或带区号的固定电话）",
        field=field,
        rule="ORD-01",
    )


def mask_phone(phone: str) -> str:
    digits = phone.replace("-", "")
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
