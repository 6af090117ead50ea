"""The server's entry points freeze the start-up heap (ADR 0031)."""

from __future__ import annotations

import gc
import sys

import pytest

from guifan.heap import heap_freeze


@pytest.fixture
def unfrozen() -> object:
    yield
    gc.unfreeze()


def test_the_start_up_heap_leaves_the_collectors_generations(unfrozen: object) -> None:
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    heap_freeze()
    assert gc.get_freeze_count() > 10_000
    assert "guifan.apps.web.quality.views" in sys.modules
