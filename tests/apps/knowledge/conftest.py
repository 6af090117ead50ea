"""Every knowledge test starts from the seed articles."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _seed_articles(knowledge_seeded: None) -> None:
    return None
