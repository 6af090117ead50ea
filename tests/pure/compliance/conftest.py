from __future__ import annotations

import pytest

from guifan.compliance.checker import Checker, checker_build


@pytest.fixture(scope="session")
def checker() -> Checker:
    """The checker over the built-in catalog (built once: the automaton is immutable)."""
    return checker_build()
