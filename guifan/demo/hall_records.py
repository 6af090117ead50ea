"""Star customers at the hall come with the phone or member card of a star record (HAL-04).

The hall's day draws each walk-in's star level as before (``guifan.demo.hall``); this module
turns it into who the customer is: one who would have claimed 5–7 stars is most often a
member of the CRM's file (``guifan.demo.stars``) who gives the phone or shows the card, and
sometimes says a level the record does not hold, or has no record at all; now and then a low
member gives the phone too. The greeter verifies from the record; a hurried clerk sometimes
tries without checking identity, which the product refuses (and remembers: HAL-04 broken).
Draws come from this module's own streams, so the hall's shared draws stay as they were.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from guifan.apps.norms.models import NormCheck
from guifan.demo.api_client import Api
from guifan.demo.runner import Runner

CARD_SHARE = 0.3  # of members: show the member card instead of giving the phone
WRONG_CLAIM = 0.15  # a member who says a level above the record's
NO_RECORD = 0.1  # a would-be star customer with no record at all (claims anyway)
LOW_MEMBER_GIVES_PHONE = 0.3  # of the 1–3 star walk-ins: a low member gives the phone
SKIPS_ID = 0.06  # the greeter first tries to verify without checking identity (refused)


@dataclass(slots=True)
class HallRecords:
    seed: int
    hall: str
    levels: dict[str, int] = field(default_factory=dict)  # member phone -> level (the rule's)
    seen: int = 0

    def _rng(self, what: str, n: int) -> random.Random:
        return random.Random(f"records:{self.seed}:{what}:{n}")

    def identify(self, drawn_star: int) -> dict[str, Any]:
        """What the customer gives at the greeter or kiosk, for the star level they were drawn
        with: ``phone`` or ``member_card``, and the level they say (``star_claimed``)."""
        self.seen += 1
        rng = self._rng("who", self.seen)
        high = sorted(p for p, lv in self.levels.items() if lv >= 5)
        low = sorted(p for p, lv in self.levels.items() if 1 <= lv <= 4)
        if drawn_star >= 5:
            if not high or rng.random() < NO_RECORD:
                stranger = f"139{rng.randrange(10**8):08d}"
                return {"phone": stranger, "star_claimed": drawn_star}
            phone = rng.choice(high)
            level = self.levels[phone]
            claimed = min(7, level + 1) if rng.random() < WRONG_CLAIM else level
            return {**self._who(phone, rng), "star_claimed": claimed}
        if drawn_star >= 1 and low and rng.random() < LOW_MEMBER_GIVES_PHONE:
            return {**self._who(rng.choice(low), rng), "star_claimed": 0}
        return {"star_claimed": 0}

    @staticmethod
    def _who(phone: str, rng: random.Random) -> dict[str, str]:
        # The demo CRM's key for a member (guifan.demo.stars) is printed on the member card.
        if rng.random() < CARD_SHARE:
            return {"member_card": f"CRM-{phone[-8:]}"}
        return {"phone": phone}

    def verify(self, runner: Runner, staff: Api, ticket_id: int) -> None:
        """Staff check identity and read the level from the record; a hurried one first
        tries without the identity check (422 naming HAL-04, remembered)."""
        path = f"/halls/{self.hall}/tickets/{ticket_id}/verify-star"
        if self._rng("skip", ticket_id).random() < SKIPS_ID:
            runner.call(lambda: staff.post(path, {"id_checked": False}), "verify")
        runner.call(lambda: staff.post(path, {"id_checked": True}), "verify")


def verifications_report() -> dict[str, int]:
    """HAL-04 at the hall: verifications, how many read a record, mismatches, refusals."""
    checks = NormCheck.objects.filter(norm_id="HAL-04")
    done = checks.filter(kept=True, detail__verification=True).aggregate(
        count=Count("id"),
        from_record=Count("id", filter=Q(detail__from_record=True)),
        mismatches=Count("id", filter=Q(detail__mismatch=True)),
    )
    return {**done, "refused": checks.filter(kept=False).count()}
