"""Who the customer is for HAL-04: a phone number or a member card, and the star record it
finds (through ``customers.star_records``, which the stars app fills; the hall may not import
the stars app, which sits above it). Below the hall's services and its verification.

A phone without a record is a customer without stars (a normal ticket), never an error; a
member card without a record is a wrong card (422 naming ``member_card``). Only the masked
phone is kept on the ticket (SEC-01).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guifan.apps.customers.masking import mask_phone, phone_normalize
from guifan.apps.customers.star_records import StarRecord, star_record_find
from guifan.errors import GuifanError, ValidationFailed

CARD = re.compile(r"^[0-9A-Za-z-]{1,40}$")


@dataclass(frozen=True, slots=True)
class StarIdentity:
    record: StarRecord | None
    phone_masked: str  # as given (masked); "" when only a card was shown

    @property
    def level(self) -> int:
        return self.record.level if self.record is not None else 0


def star_claim_check(claimed: int, *, field: str = "star_claimed") -> int:
    """A level the customer said: 0 (no claim) to 7."""
    if isinstance(claimed, bool) or not 0 <= claimed <= 7:
        raise ValidationFailed("ticket.star", "星级须在 0–7 之间（0 表示未自报）", field=field)
    return claimed


def star_identify(*, phone: str = "", member_card: str = "") -> StarIdentity | None:
    """The record of the card (preferred) or the phone; None when neither was given."""
    phone, member_card = (phone or "").strip(), (member_card or "").strip()
    if not phone and not member_card:
        return None
    digits = ""
    if phone:
        try:
            digits = phone_normalize(phone, field="phone")
        except GuifanError:
            # Not an intake (ORD-01): the hall's own message, and no norm refused anything.
            raise ValidationFailed(
                "ticket.phone", "请输入 11 位手机号或带区号的固定电话", field="phone"
            ) from None
    if member_card:
        if not CARD.match(member_card):
            raise ValidationFailed(
                "ticket.member_card", "会员卡号只能包含字母、数字和短横线", field="member_card"
            )
        record = star_record_find(member_card=member_card)
        if record is None:
            raise ValidationFailed(
                "ticket.member_card", "会员卡无效：没有该卡的星级档案", field="member_card"
            )
    else:
        record = star_record_find(phone=digits)
    return StarIdentity(record=record, phone_masked=mask_phone(digits) if digits else "")
