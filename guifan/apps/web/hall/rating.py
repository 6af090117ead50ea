"""The rating device at a counter: the customer rates the service just finished (issue 15).

``/hall/<hall>/rating/?counter=N`` shows the ticket just finished at counter N with five big
touch targets (and optional reasons); it re-reads every few seconds, so the next finished
service appears by itself. Customer-facing: no norm codes, Chinese by default. Runs as a
paired rating device of the hall (ADR 0027), never under a staff login.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from guifan.apps.hall.models import Counter, Hall
from guifan.apps.hall.ratings import REASONS, rating_counter, rating_due, ticket_rate
from guifan.apps.web.access import HtmxHttpRequest
from guifan.apps.web.error_text import error_text
from guifan.apps.web.errors import not_found
from guifan.apps.web.hall.device_access import device_hall, device_page
from guifan.clock import now as clock_now
from guifan.errors import GuifanError, NotFound

PANEL = "web/hall/_rating_panel.html"
FACES = (
    (5, gettext_lazy("Very satisfied")),
    (4, gettext_lazy("Satisfied")),
    (3, gettext_lazy("So-so")),
    (2, gettext_lazy("Unsatisfied")),
    (1, gettext_lazy("Very unsatisfied")),
)
REASON_LABELS = {
    "wait": gettext_lazy("Long wait"),
    "attitude": gettext_lazy("Staff attitude"),
    "unsolved": gettext_lazy("Problem not solved"),
    "process": gettext_lazy("Too many steps"),
    "environment": gettext_lazy("Hall and facilities"),
}
assert set(REASON_LABELS) == set(REASONS)


def _context(hall: Hall, counter: Counter, **extra: object) -> dict[str, object]:
    return {
        "hall": hall,
        "counter": counter,
        "ticket": rating_due(counter, clock_now()),
        "faces": FACES,
        "reasons": list(REASON_LABELS.items()),
        **extra,
    }


@require_http_methods(["GET", "POST"])
@device_page("rating")
def rating(request: HtmxHttpRequest, hall: str) -> HttpResponse:
    """GET: the page (or, for htmx, its panel); POST: take the rating, then thank."""
    found = device_hall(request, hall)
    if isinstance(found, HttpResponse):
        return found
    params = request.POST if request.method == "POST" else request.GET
    try:
        counter = rating_counter(found, params.get("counter"))
    except NotFound:
        return not_found(request)
    except GuifanError as exc:
        ctx = {"hall": found, "error": error_text(exc)}
        return render(request, "web/hall/rating_counter.html", ctx, status=422)
    if request.method == "GET":
        template = PANEL if request.htmx else "web/hall/rating.html"
        return render(request, template, _context(found, counter))
    try:
        ticket_id = int(params.get("ticket") or "")
        score = int(params.get("score") or "")
    except ValueError:
        return render(
            request, PANEL, _context(found, counter, error=_("Please tap a face.")), status=422
        )
    try:
        ticket_rate(
            ticket_id=ticket_id,
            hall_code=found.code,
            score=score,
            reason=params.get("reason", ""),
            by=None,  # the rating device, bound to this hall by device_page
        )
    except NotFound:
        return not_found(request)
    except GuifanError as exc:
        # Customer-facing: a plain sentence, never the service's codes or field names.
        message = (
            _("Please tap a face.")
            if exc.http_status == 422
            else _("This service has already been rated or can no longer be rated.")
        )
        return render(
            request, PANEL, _context(found, counter, error=message), status=exc.http_status
        )
    return render(request, PANEL, {"hall": found, "counter": counter, "thanks": True})
