"""``guifan serve --demo``: refusals before anything starts."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guifan.cli import app


@pytest.fixture
def var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GUIFAN_VAR_DIR", str(tmp_path))
    return tmp_path


def test_serve_demo_before_any_demo_names_the_command_to_run_first(var: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--demo"])
    assert result.exit_code == 1
    assert "还没有演示数据" in result.output
    assert ".venv/bin/guifan demo" in result.output
    assert not (var / "demo-live.sqlite3").exists()


def test_serve_demo_after_an_unfinished_demo_says_the_same(var: Path) -> None:
    (var / "demo-live").mkdir()  # the demo was stopped before it wrote its manifest
    (var / "demo-live" / "0800.sqlite3").write_bytes(b"")
    result = CliRunner().invoke(app, ["serve", "--demo"])
    assert result.exit_code == 1
    assert ".venv/bin/guifan demo" in result.output


def _finished_demo(var: Path) -> None:
    live = var / "demo-live"
    live.mkdir()
    manifest = {"day": "2025-06-03", "seed": 1, "hours": list(range(8, 19))}
    (live / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("at", ["07:30", "19:00"])
def test_a_moment_outside_the_demos_copied_hours_is_refused(var: Path, at: str) -> None:
    _finished_demo(var)
    result = CliRunner().invoke(app, ["serve", "--demo", "--at", at])
    assert result.exit_code == 2
    assert "--at" in result.output and "08:00 到 18:59" in result.output


def test_a_moment_that_is_not_a_time_is_refused(var: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--demo", "--at", "noon"])
    assert result.exit_code == 2
    assert "--at" in result.output


def test_a_moment_without_the_demo_is_refused(var: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--at", "09:00"])
    assert result.exit_code == 2
    assert "--at 只用于 --demo" in result.output


def test_a_port_in_use_is_refused_before_the_worker_starts(var: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"--port：127.0.0.1:{port} 已被占用" in result.output
