from __future__ import annotations

import json

from typer.testing import CliRunner

from guifan.cli import app


def test_norms_json_prints_the_catalog_fields():
    result = CliRunner().invoke(app, ["norms", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert len(rows) == 89
    assert rows[0] == {
        "id": "ORD-01",
        "title": "Work order verified complete on receipt",
        "mode": "enforced",
    }
    assert all(set(r) == {"id", "title", "mode"} for r in rows)


def test_help_lists_the_commands():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "worker", "norms", "manage"):
        assert command in result.output


def test_token_refuses_an_unknown_role():
    result = CliRunner().invoke(app, ["token", "someone", "--role", "king"])
    assert result.exit_code == 2
    assert "--role" in result.output
