"""``guifan user USERNAME --role ROLE``: create or update a person who logs in to the pages."""

from __future__ import annotations

import os

import typer

from guifan.cli import _django


def user(
    username: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option(
        ...,
        "--role",
        help="admin, dispatcher, technician, hall_staff, duty_manager or quality.",
    ),
    badge: str = typer.Option(
        "", "--badge", help="For a technician: the badge number of their Technician row."
    ),
    name: str = typer.Option("", "--name", help="Display name (given name and surname)."),
) -> None:
    """Set a login for the web pages. The password is read from GUIFAN_PASSWORD or asked for."""
    _django.setup()
    from django.db import transaction

    from guifan.apps.accounts.models import Role
    from guifan.apps.accounts.services import user_login_set
    from guifan.apps.workforce.models import Technician

    if role not in Role.values or role == Role.SYSTEM:
        typer.echo(
            "error: --role must be a role with pages: "
            + ", ".join(r for r in Role.values if r != Role.SYSTEM),
            err=True,
        )
        raise typer.Exit(2)
    tech = None
    if badge:
        tech = Technician.objects.filter(badge_no=badge).first()
        if tech is None:
            typer.echo(f"error: --badge: no technician with badge number {badge!r}", err=True)
            raise typer.Exit(2)
    password = os.environ.get("GUIFAN_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    if len(password) < 8:
        typer.echo("error: the password needs at least 8 characters", err=True)
        raise typer.Exit(2)
    with transaction.atomic():
        person, created = user_login_set(
            username=username, role=role, password=password, name=name, by="cli"
        )
        if tech is not None:
            tech.user = person
            tech.save(update_fields=["user"])
    typer.echo(f"{'created' if created else 'updated'} {username} ({role})")
