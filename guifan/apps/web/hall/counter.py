"""The counter terminal (hall staff): call, serve, verify stars, pause and hand over."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall import services
from guifan.apps.hall.models import Counter
from guifan.apps.hall.posts import post_get
from guifan.apps.hall.selectors import counter_current
from guifan.apps.hall.verification import ticket_verify_star
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.hall.terminal import panel_context, queue_context
from guifan.errors import Conflict, GuifanError, ValidationFailed

STAFF = (Role.HALL_STAFF,)
ACTIONS = frozenset(
    {"call", "recall", "start", "finish", "no-show", "transfer", "verify", "status", "handover"}
)
PANEL = "web/hall/_counter_panel.html"


def _my_counter(user: User) -> Counter | None:
    post = post_get(user)
    return post.counter if post is not None else None


@require_GET
@role_required(*STAFF)
def counter(request: HtmxHttpRequest) -> HttpResponse:
    """The terminal of the counter the user is posted to; the panel alone for htmx."""
    mine = _my_counter(request.user)
    if mine is None and request.htmx:
        return _refresh()  # posted away meanwhile (a handover): reload the whole page
    if mine is None:
        return render(request, "web/hall/no_post.html", {})
    ctx = panel_context(mine, user=request.user)
    if request.htmx:
        return render(request, PANEL, ctx)
    return render(request, "web/hall/counter.html", {**ctx, **queue_context(mine)})


@require_GET
@role_required(*STAFF)
def counter_queue(request: HtmxHttpRequest) -> HttpResponse:
    mine = _my_counter(request.user)
    if mine is None:
        return HttpResponse(status=204)
    return render(request, "web/hall/_counter_queue.html", queue_context(mine))


def _refresh() -> HttpResponse:
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


def _int(data: QueryDict, name: str) -> int:
    try:
        return int(data.get(name, ""))
    except ValueError:
        raise ValidationFailed("form.number", _("Choose a value."), field=name) from None


def _current_ticket_id(c: Counter, data: QueryDict) -> int:
    """The ticket the page showed must still be the counter's: a stale page is told, not obeyed."""
    shown = _int(data, "ticket")
    current = counter_current(c)
    if current is None or current.id != shown:
        raise Conflict("ticket.stale", _("The page was out of date; it is now refreshed."))
    return shown


def _handover(c: Counter, data: QueryDict, user: User) -> None:
    to = User.objects.filter(username=data.get("to", ""), is_active=True).first()
    if to is None:
        raise ValidationFailed("user.not_found", _("Choose who takes over."), field="to")
    pending = [line.strip() for line in data.get("pending", "").splitlines() if line.strip()]
    services.counter_handover(counter_id=c.id, to=to, pending_replies=pending, by=user)


def _act(action: str, c: Counter, data: QueryDict, user: User) -> str | None:
    """Run one action through the hall services; returns a notice to show, if any."""
    hall = c.hall.code
    ticket_actions: dict[str, Callable[..., object]] = {
        "recall": services.ticket_recall,
        "start": services.ticket_start,
        "finish": services.ticket_finish,
        "no-show": services.ticket_no_show,
    }
    if action == "call":
        if services.ticket_call_next(counter_id=c.id, by=user) is None:
            return _("Nobody is waiting for this counter.")
    elif action in ticket_actions:
        ticket_actions[action](ticket_id=_current_ticket_id(c, data), hall_code=hall, by=user)
    elif action == "transfer":
        moved = services.ticket_transfer(
            ticket_id=_current_ticket_id(c, data),
            hall_code=hall,
            category=data.get("category", ""),
            by=user,
        )
        return _("Transferred: the customer's new number is %(code)s.") % {"code": moved.code}
    elif action == "verify":
        return _verify(hall, data, user)
    elif action == "status":
        services.counter_set_status(counter_id=c.id, status=data.get("status", ""), by=user)
    elif action == "handover":
        _handover(c, data, user)
    return None


def _verify(hall: str, data: QueryDict, user: User) -> str:
    """HAL-04: the clerk checked identity; the level is read from the record, never typed."""
    t = ticket_verify_star(
        ticket_id=_int(data, "ticket"),
        hall_code=hall,
        by=user,
        id_checked=data.get("id_checked") == "1",
        phone=data.get("phone", ""),
        member_card=data.get("member_card", ""),
    )
    if t.star_record is None:
        text = _("%(code)s: no star record; served as a normal customer.") % {"code": t.code}
    else:
        text = _("%(code)s: %(level)s star from the record.") % {
            "code": t.code,
            "level": t.star_record,
        }
    if t.star_mismatch:
        text += " " + _("The customer said %(claimed)s star: the mismatch is recorded.") % {
            "claimed": t.star_claimed
        }
    return text


@require_POST
@role_required(*STAFF)
def counter_action(request: HtmxHttpRequest, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404(action)
    mine = _my_counter(request.user)
    if mine is None:
        return render(request, "web/hall/no_post.html", {}, status=409)
    error, status, notice = None, 200, None
    try:
        notice = _act(action, mine, request.POST, request.user)
    except GuifanError as exc:
        # A stale page's control may be gone: that error shows at the top of the panel.
        where = "page" if exc.code == "ticket.stale" else action
        error = {"action": where, "field": exc.field, "message": error_text(exc)}
        # Another hall's ticket is a 404, as if it did not exist (issue 12).
        status = exc.http_status if exc.http_status in (404, 409) else 422
    mine.refresh_from_db()
    if action == "handover" and error is None:
        return _refresh()  # the counter is someone else's now
    ctx = {**panel_context(mine, user=request.user), "error": error, "notice": notice}
    return render(request, PANEL, ctx, status=status)
