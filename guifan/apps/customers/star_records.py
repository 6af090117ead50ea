"""A customer's star record (STAR-01), looked up by phone or member card without importing
the stars app.

The stars app sits above the hall and orders (it asks ``hall.access`` and ``orders.access``
who may book an entitlement), so they cannot import it. It registers its lookup here when
Django starts (``StarsConfig.ready``); the hall's ticket issue and verification (HAL-04) and
the orders' intake (the star → field tier map of APT-02) ask ``star_record_find``. Without a
registered lookup nobody has a record, so nobody gets a star's priority or tier.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StarRecord:
    """What the record says: the CRM's key (the member card), the level and the masked phone."""

    ref: str
    level: int
    phone_masked: str


# (phone, member card) -> the record, None when there is none. May raise ValidationFailed
# (a phone shared by two members: the card is needed).
Lookup = Callable[[str, str], StarRecord | None]
_lookups: list[Lookup] = []


def star_lookup_register(fn: Lookup) -> None:
    if fn not in _lookups:
        _lookups.append(fn)


def star_record_find(*, phone: str = "", member_card: str = "") -> StarRecord | None:
    """The star record of the phone (normalised digits) or the member card, or None."""
    for fn in _lookups:
        found = fn(phone, member_card)
        if found is not None:
            return found
    return None
