from __future__ import annotations

import json

import pytest
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


@pytest.mark.django_db
def test_user_sets_a_login_and_links_a_technician(monkeypatch):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from tests import factories as f

    tech = f.technician()
    monkeypatch.setenv("GUIFAN_PASSWORD", "long-enough-1")
    result = CliRunner().invoke(
        app, ["user", "wang", "--role", "technician", "--badge", tech.badge_no]
    )
    assert result.exit_code == 0, result.output
    # The login throttle (django-axes) counts per request, so authenticate() needs one.
    login = RequestFactory().post("/login/")
    person = authenticate(login, username="wang", password="long-enough-1")
    assert person is not None and person.role == "technician"
    tech.refresh_from_db()
    assert tech.user_id == person.id


@pytest.mark.django_db
def test_user_posts_a_dispatcher_to_areas_and_hall_staff_to_a_hall(monkeypatch):
    from guifan.apps.hall.models import Counter, Hall, HallPost
    from guifan.apps.workforce.models import DispatcherArea
    from tests import factories as f

    f.area("A01"), f.area("A02"), f.area("A03")
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=hall, number=2, categories=["A"])
    monkeypatch.setenv("GUIFAN_PASSWORD", "long-enough-1")
    runner = CliRunner()
    args = ["user", "li", "--role", "dispatcher", "--area", "A01", "--area", "A02"]
    assert runner.invoke(app, args).exit_code == 0
    assert (
        runner.invoke(app, ["user", "li", "--role", "dispatcher", "--area", "A03"]).exit_code == 0
    )
    codes = DispatcherArea.objects.filter(user__username="li").values_list("area__code", flat=True)
    assert list(codes) == ["A03"]
    from guifan.apps.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="user.dispatch_areas").count() == 2  # SEC-02
    args = ["user", "zhao", "--role", "hall_staff", "--hall", "H1", "--counter", "2"]
    assert runner.invoke(app, args).exit_code == 0
    post = HallPost.objects.get(user__username="zhao")
    assert (post.hall.code, post.counter.number) == ("H1", 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--role", "system"], "--role"),
        (["--role", "technician", "--badge", "NOPE"], "--badge"),
        (["--role", "technician", "--area", "A01"], "--area"),
        (["--role", "dispatcher", "--area", "NOPE"], "--area"),
        (["--role", "dispatcher", "--hall", "H1"], "--hall"),
        (["--role", "hall_staff", "--hall", "NOPE"], "--hall"),
    ],
)
def test_user_refuses_bad_options(monkeypatch, args, said):
    monkeypatch.setenv("GUIFAN_PASSWORD", "long-enough-1")
    result = CliRunner().invoke(app, ["user", "x", *args])
    assert result.exit_code == 2
    assert said in result.output


def _commands() -> list[list[str]]:
    """Every command a person can run: leaves, and groups that act on their own (norms)."""
    import typer.main

    root = typer.main.get_command(app)
    found: list[list[str]] = []

    def walk(cmd, path, ctx):
        subs = cmd.list_commands(ctx) if hasattr(cmd, "list_commands") else []
        if not subs or getattr(cmd, "invoke_without_command", False):
            found.append(path)
        for name in subs:
            sub = cmd.get_command(ctx, name)
            walk(sub, [*path, name], cmd.context_class(sub, parent=ctx))

    walk(root, [], root.context_class(root))
    return [p for p in found if p]


@pytest.mark.parametrize("path", _commands(), ids=" ".join)
def test_every_command_help_shows_an_example(path):
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"guifan {' '.join(path)} --help has no example"
