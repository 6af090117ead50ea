from __future__ import annotations

import pytest

from guifan.clock import FixedClock
from tests.apps.stock.stages import Stage, stage_build


@pytest.fixture
def stage(clock: FixedClock, db: None) -> Stage:
    return stage_build(clock)
