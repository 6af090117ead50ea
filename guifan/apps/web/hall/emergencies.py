"""Emergency playbooks for the duty manager (HAL-11): start one, tick its steps, close it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role
from guifan.apps.hall.models import Hall, PlaybookRun
from guifan.apps.hall.playbooks import (
    playbook_close,
    playbook_get,
    playbook_start,
    playbook_step,
    playbooks,
)
from guifan.apps.hall.posts import post_get
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.hall.labels import PLAYBOOK
from guifan.apps.web.labels import label
from guifan.errors import GuifanError

MANAGER = (Role.DUTY_MANAGER,)
LIVE = "web/hall/_playbooks.html"


def playbooks_context(hall: Hall) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    open_runs = list(PlaybookRun.objects.filter(hall=hall, closed_at__isnull=True))
    for run in open_runs:
        steps = playbook_get(run.kind).steps
        runs.append(
            {
                "run": run,
                "name": label(PLAYBOOK, run.kind),
                "steps": [{"i": i, "text": s, "done": i in run.done} for i, s in enumerate(steps)],
            }
        )
    started = {run.kind for run in open_runs}
    return {
        "hall": hall,
        "runs": runs,
        "kinds": [
            {"kind": p.kind, "name": label(PLAYBOOK, p.kind)}
            for p in playbooks()
            if p.kind not in started
        ],
        "recent": [
            {"run": r, "name": label(PLAYBOOK, r.kind), "steps": len(r.done)}
            for r in PlaybookRun.objects.filter(hall=hall, closed_at__isnull=False).select_related(
                "started_by"
            )[:5]
        ],
    }


def _hall(request: HtmxHttpRequest) -> Hall:
    post = post_get(request.user)
    if post is None:
        raise Http404("no hall post")
    return post.hall


@require_GET
@role_required(*MANAGER)
def playbook_list(request: HtmxHttpRequest) -> HttpResponse:
    post = post_get(request.user)
    if post is None:  # an administrator without a post follows the menu here: say why
        return render(request, "web/hall/no_hall.html", {})
    return render(request, "web/hall/playbooks.html", playbooks_context(post.hall))


@require_POST
@role_required(*MANAGER)
def playbook_action(request: HtmxHttpRequest, action: str) -> HttpResponse:
    hall, data = _hall(request), request.POST
    error, status = None, 200
    try:
        if action == "start":
            playbook_start(hall=hall, kind=data.get("kind", ""), by=request.user)
        elif action == "step":
            playbook_step(
                run_id=int(data.get("run") or 0),
                hall=hall,
                step=int(data.get("step") or -1),
                done=data.get("done") == "1",
                by=request.user,
            )
        elif action == "close":
            playbook_close(run_id=int(data.get("run") or 0), hall=hall, by=request.user)
        else:
            raise Http404(action)
    except GuifanError as exc:
        error, status = error_text(exc), exc.http_status if exc.http_status in (404, 409) else 422
    except ValueError:
        error, status = "—", 422
    return render(request, LIVE, {**playbooks_context(hall), "error": error}, status=status)
