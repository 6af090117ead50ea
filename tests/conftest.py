from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from guifan import clock as clock_mod
from guifan.clock import FixedClock, at_local

if TYPE_CHECKING:
    from tests.city import City


def pytest_sessionstart(session: pytest.Session) -> None:
    # CI asks for PostgreSQL explicitly: a missing or unreachable one fails the run.
    if os.environ.get("GUIFAN_REQUIRE_POSTGRES") and not os.environ.get(
        "DATABASE_URL", ""
    ).startswith("postgres"):
        raise pytest.UsageError("GUIFAN_REQUIRE_POSTGRES is set but DATABASE_URL is not PostgreSQL")


@pytest.fixture(scope="session")
def pdf_font_cut(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PDFs' font cut to the common characters (``python -m guifan.pdffont``), built once
    per test process into a directory of its own (a few seconds)."""
    from guifan import pdffont

    out = tmp_path_factory.mktemp("fonts-built")
    pdffont.build(build_dir=out)
    return out


@pytest.fixture
def clock() -> Iterator[FixedClock]:
    """A fixed clock at Monday 2025-06-02 10:00 Asia/Shanghai, installed process-wide."""
    fixed = FixedClock(at_local(dt.date(2025, 6, 2), "10:00"))
    previous = clock_mod.set_clock(fixed)
    yield fixed
    clock_mod.set_clock(previous)


@pytest.fixture
def city(clock: FixedClock, db: None) -> City:
    """Areas A01/A02, halls H1/H2, each role's person and token (``tests.city``)."""
    from tests.city import build_city  # models load after pytest-django's setup

    return build_city(clock)


@pytest.fixture
def knowledge_seeded(request: pytest.FixtureRequest) -> None:
    """The seed articles a migration loads, loaded again when a transactional test elsewhere
    flushed the tables (pytest-django empties every table after one)."""
    names = request.fixturenames
    transactional = "transactional_db" in names or "live_server" in names
    request.getfixturevalue("transactional_db" if transactional else "db")
    from guifan.apps.knowledge.models import Article
    from guifan.apps.knowledge.services import knowledge_load

    if not Article.objects.exists():
        knowledge_load()
