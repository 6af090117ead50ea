"""Hall inspections (HAL-09): the history per hall and the scored checklist form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guifan.apps.accounts.models import Role
from guifan.apps.hall.access import hall_for
from guifan.apps.hall.inspections import inspection_record
from guifan.apps.hall.models import Hall, Inspection
from guifan.apps.hall.posts import post_get
from guifan.apps.web.access import HtmxHttpRequest, role_allows, role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.hall.forms import InspectionForm
from guifan.errors import GuifanError, NotFound

INSPECTORS = (Role.DUTY_MANAGER, Role.QUALITY)


@require_GET
@role_required(*INSPECTORS)
def inspection_halls(request: HtmxHttpRequest) -> HttpResponse:
    halls = Hall.objects.order_by("code")
    if not role_allows(request.user, (Role.QUALITY,)):
        post = post_get(request.user)
        halls = halls.filter(id=post.hall_id if post else 0)
    latest = {i.hall_id: i for i in Inspection.objects.order_by("at")}
    rows = [{"hall": h, "last": latest.get(h.id)} for h in halls]
    return render(request, "web/hall/inspection_halls.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@role_required(*INSPECTORS)
def inspections(request: HtmxHttpRequest, hall: str) -> HttpResponse:
    try:
        found = hall_for(by=request.user, code=hall, inspect=True)
    except NotFound:
        return render(request, "web/not_found.html", {}, status=404)
    form = InspectionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                done = inspection_record(
                    hall_code=found.code,
                    answers=form.answers(),
                    measurements=form.measurements(),
                    by=request.user,
                )
            except GuifanError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, error_text(exc))
            else:
                text = _("Inspection recorded: score %(s)s.") % {"s": done.score}
                messages.success(request, text, extra_tags="ok")
                return HttpResponseRedirect(reverse("hall:inspections", args=[found.code]))
    history = Inspection.objects.filter(hall=found).select_related("inspector")[:10]
    ctx = {"hall": found, "form": form, "history": history}
    return render(request, "web/hall/inspections.html", ctx, status=status)
