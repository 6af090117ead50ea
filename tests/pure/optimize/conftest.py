"""Tiny seeded instances for the optimizer tests."""

from __future__ import annotations

import pytest

SMALL = """SMALL

VEHICLE
NUMBER     CAPACITY
  3         30

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      50         50          0          0        400          0
    1      60         50         10          0         60         10
    2      70         50         10         20        120         10
    3      40         50         10          0        100         10
    4      30         60         10         50        200         10
    5      50         80         10        100        300         10
    6      50         20         10          0        300         10
"""


@pytest.fixture
def small_text() -> str:
    return SMALL


def solomon(rows: list[str], vehicles: int = 3, capacity: int = 30) -> str:
    """Solomon text with the given customer rows (depot first)."""
    head = f"T\n\nVEHICLE\nNUMBER     CAPACITY\n  {vehicles}  {capacity}\n\nCUSTOMER\n"
    return head + "CUST NO.  XCOORD. YCOORD. DEMAND READY DUE SERVICE\n\n" + "\n".join(rows) + "\n"
