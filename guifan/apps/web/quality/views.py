"""Norm compliance for managers and quality supervisors: tables, trends and the drill-down."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guifan.apps.accounts.models import Role
from guifan.apps.compliance.selectors import (
    compliance_by_area,
    compliance_by_norm,
    compliance_by_team_and_person,
    compliance_trend,
    norm_breaches,
    refusals_by_person,
)
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.norm_text import norm_text, norm_title
from guifan.apps.web.quality.forms import LedgerFilterForm
from guifan.apps.web.quality.present import (
    breach_views,
    mode_label,
    pages,
    table,
    trend,
)
from guifan.norms import norm_get

ROLES = (Role.QUALITY, Role.DUTY_MANAGER)
# Rows per area, team and person table before "show all" (the worst first).
SHOWN = 30


def _fragment(request: HtmxHttpRequest) -> bool:
    """An htmx filter change gets the body only; a history restore needs the full page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_GET
@role_required(*ROLES)
def index(request: HtmxHttpRequest) -> HttpResponse:
    """Compliance per norm (worst first), per area, team and person, and a trend over days."""
    form = LedgerFilterForm(request.GET, with_norm=True)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        f = form.ledger_filter()
        norm = form.cleaned_data["norm"] or None
        keep = form.query(norm="")
        # A province's month has hundreds of areas and people: the worst come first and a
        # longer list is drawn on request (each row's sparkline is most of the page's time).
        every = request.GET.get("all") == "1"
        shown = None if every else SHOWN
        teams, people = compliance_by_team_and_person(f, series_for=shown)
        areas = compliance_by_area(f, series_for=shown)
        context.update(
            norms=table(compliance_by_norm(f), link_query=keep),
            areas=table(areas[:shown]),
            teams=table(teams[:shown]),
            people=table(people[:shown]),
            hidden={
                "areas": max(0, len(areas) - SHOWN) if not every else 0,
                "teams": max(0, len(teams) - SHOWN) if not every else 0,
                "people": max(0, len(people) - SHOWN) if not every else 0,
            },
            shown=SHOWN,
            all_query=form.query(all="1"),
            refusals=refusals_by_person(f),
            trend=trend(compliance_trend(f, norm_id=norm)),
            trend_norm=norm_get(norm) if norm else None,
            trend_title=norm_title(norm_get(norm)) if norm else "",
        )
    template = "web/quality/_index_body.html" if _fragment(request) else "web/quality/index.html"
    return render(request, template, context, status=200 if form.is_valid() else 422)


@require_GET
@role_required(*ROLES)
def norm_detail(request: HtmxHttpRequest, norm_id: str) -> HttpResponse:
    """One norm: its text and parameters, its trend, and the occasions it was broken."""
    try:
        norm = norm_get(norm_id)
    except KeyError:
        raise Http404(norm_id) from None
    form = LedgerFilterForm(request.GET, with_norm=False)
    context: dict[str, Any] = {
        "form": form,
        "norm": norm,
        "mode": mode_label(norm.mode),
        "text": norm_text(norm, norms_snapshot()),
    }
    if form.is_valid():
        f = form.ledger_filter()
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        breaches = norm_breaches(f, norm_id=norm.id, page=page)
        series = compliance_trend(f, norm_id=norm.id)
        context.update(
            trend=trend(series, narrow=True),
            breaches=breaches,
            breach_rows=breach_views(breaches.items, norm=norm.id),
            pages=pages(breaches.number, breaches.num_pages, form),
            back_query=form.query(),
        )
    template = "web/quality/_norm_body.html" if _fragment(request) else "web/quality/norm.html"
    return render(request, template, context, status=200 if form.is_valid() else 422)
