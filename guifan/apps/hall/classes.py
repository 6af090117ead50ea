"""Which class a waiting ticket belongs to (HAL-02, HAL-04, HAL-05), and when a class's wait
is at risk. Below the hall's services, monitor and selectors, which all need it."""

from __future__ import annotations

from guifan.apps.hall.models import Ticket

RISK_SHARE = 0.8  # a class's oldest wait past this share of its target raises "target at risk"


def ticket_class(ticket: Ticket, *, for_calling: bool = False) -> str:
    """star67 / star5 / normal from the *verified* star level (HAL-04); the vulnerable are
    called with the first class (HAL-05)."""
    if for_calling and ticket.vulnerable:
        return "star67"
    star = ticket.star_verified or 0
    return "star67" if star >= 6 else "star5" if star == 5 else "normal"
