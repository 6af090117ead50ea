"""The one ``guifan`` command. Pure commands start without Django; DB commands set it up lazily."""

from __future__ import annotations

import typer

from guifan.cli import (
    audit,
    demo,
    dispatch,
    hall,
    manage,
    norms,
    partitions,
    plans,
    serve,
    stars,
    token,
    transcripts,
    upgrade,
    user,
    vrptw,
)

app = typer.Typer(
    name="guifan",
    help="guifan (规范): telecom service standards as running software.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Paragraphs reflow and indented examples stay as typed ("rich" keeps every source line).
    rich_markup_mode="markdown",
)
app.add_typer(norms.app, name="norms")
app.add_typer(vrptw.app, name="vrptw")
app.add_typer(dispatch.app, name="dispatch")
app.add_typer(transcripts.app, name="transcripts")
app.add_typer(hall.app, name="hall")
app.add_typer(audit.app, name="audit")
app.add_typer(stars.app, name="stars")
app.add_typer(partitions.app, name="partitions")
app.add_typer(plans.app, name="plans")
app.add_typer(upgrade.app, name="upgrade")
app.command("demo")(demo.demo)
app.command(
    "manage",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    help="Pass through to Django's manage.py (migrate, runserver, createsuperuser, ...).\n\n"
    "Example:\n\n    guifan manage migrate",
)(manage.manage)
app.command("worker")(manage.worker)
app.command("serve")(serve.serve)
app.command("token")(token.token)
app.command("user")(user.user)


def main() -> None:
    app()
