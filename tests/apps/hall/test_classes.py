"""A ticket's class comes from the verified star level; the vulnerable are called first."""

from __future__ import annotations

import pytest

from guifan.apps.hall.classes import ticket_class
from guifan.apps.hall.models import Ticket


@pytest.mark.parametrize(
    ("verified", "claimed", "cls"),
    [(7, 7, "star67"), (6, 0, "star67"), (5, 7, "star5"), (None, 7, "normal"), (4, 4, "normal")],
)
def test_the_class_follows_the_verified_star_level_not_the_claim(verified, claimed, cls):
    assert ticket_class(Ticket(star_verified=verified, star_claimed=claimed)) == cls


def test_a_vulnerable_customer_is_called_with_the_first_class_but_waits_in_their_own():
    ticket = Ticket(star_verified=None, vulnerable=True)
    assert ticket_class(ticket, for_calling=True) == "star67"
    assert ticket_class(ticket) == "normal"
