"""``guifan user USERNAME --role ROLE``: create or update a person who logs in to the pages."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer

from guifan.cli import _django

if TYPE_CHECKING:
    from guifan.apps.workforce.models import Technician


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
    area: list[str] = typer.Option(
        [], "--area", help="For a dispatcher: a service area they run (repeat for several)."
    ),
    hall: str = typer.Option(
        "", "--hall", help="For hall staff or a duty manager: the hall code of their post."
    ),
    counter: int | None = typer.Option(
        None, "--counter", help="For hall staff: the counter number of their post."
    ),
) -> None:
    """Set a login for the web pages.

    The password is read from GUIFAN_PASSWORD or asked for. Dispatchers see only the areas
    given with --area; hall staff and duty managers act only in the hall of --hall.

    Example:

        GUIFAN_PASSWORD=... guifan user li --role dispatcher --area A01 --area A02
    """
    _django.setup()
    from django.db import transaction

    from guifan.apps.accounts.models import Role
    from guifan.apps.workforce.models import Technician
    from guifan.errors import GuifanError

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
    if area and role != Role.DISPATCHER:
        typer.echo("error: --area is for dispatchers", err=True)
        raise typer.Exit(2)
    if (hall or counter is not None) and role not in (Role.HALL_STAFF, Role.DUTY_MANAGER):
        typer.echo("error: --hall and --counter are for hall staff and duty managers", err=True)
        raise typer.Exit(2)
    password = os.environ.get("GUIFAN_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    if len(password) < 8:
        typer.echo("error: the password needs at least 8 characters", err=True)
        raise typer.Exit(2)
    try:
        with transaction.atomic():
            created = _save(
                username=username,
                role=role,
                name=name,
                password=password,
                tech=tech,
                areas=area,
                hall=hall,
                counter=counter,
            )
    except GuifanError as exc:
        typer.echo(f"error: --{exc.field or 'area'}: {exc.message}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{'created' if created else 'updated'} {username} ({role})")


def _save(
    *,
    username: str,
    role: str,
    name: str,
    password: str,
    tech: Technician | None,
    areas: list[str],
    hall: str,
    counter: int | None,
) -> bool:
    """Create or update the login, link the technician, post the dispatcher or hall staff."""
    from guifan.apps.accounts.services import user_login_set
    from guifan.apps.hall.posts import post_set
    from guifan.apps.workforce.services import dispatcher_areas_set

    person, created = user_login_set(
        username=username, role=role, password=password, name=name, by="cli"
    )
    if tech is not None:
        tech.user = person
        tech.save(update_fields=["user"])
    if areas:
        dispatcher_areas_set(user=person, area_codes=areas, by="cli")
    if hall:
        post_set(user=person, hall_code=hall, counter_number=counter, by="cli")
    return created
