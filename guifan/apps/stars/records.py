"""The stars app's answer to ``customers.star_records``: a member found by phone or card."""

from __future__ import annotations

from guifan.apps.customers.masking import mask_phone
from guifan.apps.customers.star_records import StarRecord, star_lookup_register
from guifan.apps.stars.models import StarMember
from guifan.errors import ValidationFailed


def star_record_lookup(phone: str, member_card: str) -> StarRecord | None:
    """The member with this card (the CRM's key) or phone; None when there is no record."""
    if member_card:
        found = list(StarMember.objects.filter(ref=member_card)[:1])
    elif phone:
        found = list(StarMember.objects.filter(phone=phone.replace("-", ""))[:2])
        if len(found) > 1:
            raise ValidationFailed(
                "stars.ambiguous", "该号码对应多个星级客户，请出示会员卡", field="phone"
            )
    else:
        return None
    if not found:
        return None
    m = found[0]
    return StarRecord(ref=m.ref, level=m.level, phone_masked=mask_phone(m.phone))


def install() -> None:
    star_lookup_register(star_record_lookup)
