"""``guifan token USERNAME``: issue an API token (the raw value is shown once)."""

from __future__ import annotations

import typer

from guifan.cli import _django


def token(
    username: str = typer.Argument(..., help="The user the token acts as (created if missing)."),
    role: str = typer.Option(
        "system",
        "--role",
        help="Role for a new user: system, dispatcher, technician, hall_staff, duty_manager, quality, admin.",
    ),
    name: str = typer.Option("cli", "--name", help="A label for the token."),
) -> None:
    """Issue a bearer token for the JSON API (header ``Authorization: Bearer TOKEN``).

    Example:

        guifan token crm --role system
    """
    _django.setup()
    from guifan.apps.accounts.models import Role
    from guifan.apps.accounts.services import api_token_create, user_get_or_create

    if role not in Role.values:
        typer.echo(f"error: --role must be one of {', '.join(Role.values)}", err=True)
        raise typer.Exit(2)
    user, _ = user_get_or_create(username=username, role=role, by="cli")
    typer.echo(api_token_create(user=user, name=name, by="cli"))
