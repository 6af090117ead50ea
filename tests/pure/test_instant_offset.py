"""An instant from outside keeps to real time-zone offsets (PostgreSQL refuses beyond ±15 h)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import TypeAdapter, ValidationError

from guifan.textinput import Instant

INSTANT: TypeAdapter[dt.datetime] = TypeAdapter(Instant)


def test_a_real_offset_is_kept() -> None:
    assert INSTANT.validate_python("2026-12-06T10:00:00+14:00").utcoffset() == dt.timedelta(
        hours=14
    )


def test_an_offset_beyond_fourteen_hours_is_refused() -> None:
    with pytest.raises(ValidationError, match="时区偏移超出范围"):
        INSTANT.validate_python("5514-06-03T01:36:52+19:07")
