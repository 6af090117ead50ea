"""The installable app: manifest, service worker (scope /t/) and the offline queue's sync."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role, User
from guifan.apps.fieldwork.checklist import checklist_step_get
from guifan.apps.fieldwork.selectors import field_order_get
from guifan.apps.fieldwork.services import sync_apply
from guifan.apps.fieldwork.services.evidence import SIGNATURE_MAX_BYTES, photo_max_bytes
from guifan.apps.web.access import role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.field.evidence import evidence_from_post
from guifan.errors import GuifanError

# Files the phone keeps so the route opens without a connection.
SHELL_STATIC = (
    "web/app.css",
    "web/app.js",
    "web/vendor/htmx.min.js",
    "web/vendor/fonts/noto-sans-sc.css",
    "web/field/field.css",
    "web/field/queue.js",
    "web/field/field.js",
    "web/field/evidence.js",
    "web/field/door.js",
    "web/field/position.js",
    "web/field/icon.svg",
)
# The font's unicode-range slices: each is kept when a page first uses it (a route shows the
# same few hundred characters every day), not all ~200 up front.
FONT_SLICE = "web/vendor/fonts/noto-sans-sc/noto-sans-sc-119-400-normal.woff2"
# Bump when the shell's list or caching rules change, so phones drop the old cache.
SHELL_VERSION = "guifan-field-v4"


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /t/ so its scope is /t/ (a worker controls only paths under its own)."""
    context = {
        "shell": json.dumps([static(p) for p in SHELL_STATIC]),
        "home": json.dumps(reverse("field:today")),
        "cache_name": json.dumps(SHELL_VERSION),
        "queue": json.dumps(static("web/field/queue.js")),
        "fonts": json.dumps(static(FONT_SLICE).rsplit("/", 1)[0] + "/"),
    }
    response = render(
        request, "web/field/sw.js", context, content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("field:today")
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    home = reverse("field:today")
    data = {
        "name": _("guifan field app"),
        "short_name": _("Field app"),
        "lang": "zh-CN",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": "#f5f7fa",
        "theme_color": "#0b5cad",
        "icons": [
            {"src": static("web/field/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("web/field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("web/field/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


# The evidence key a step's own picture fills, by the step's kind of evidence.
ATTACHMENT_KEYS = {"modem_label": "photo_id", "data_risk": "signature_photo_id"}


def _step_evidence(actions: list[Any], user: User) -> None:
    """A step queued from the page carries its form's raw ``ev-*`` fields (``form``): they are
    read into the evidence object exactly as the online form post is (``field.evidence``)."""
    for raw in actions:
        if not isinstance(raw, dict) or raw.get("kind") != "step" or "form" not in raw:
            continue
        form = raw.pop("form")
        step = checklist_step_get(str(raw.get("norm", "")))
        kind = step.evidence if step else ""
        if not isinstance(form, dict) or not kind or raw.get("outcome") != "done":
            continue
        post = QueryDict(mutable=True)
        for name, value in form.items():
            if isinstance(value, str):
                post[name] = value
        order_id = raw.get("order")
        if not isinstance(order_id, int) or isinstance(order_id, bool) or not 0 < order_id < 2**63:
            continue  # the sync refuses the action in its place
        try:
            order = field_order_get(order_id=order_id, user=user)
        except GuifanError:
            continue  # the sync answers for an order that is not the technician's
        raw["evidence"] = evidence_from_post(
            kind, post, broadband=order.service_type == "broadband"
        )
        if "file" in raw and kind in ATTACHMENT_KEYS:
            raw["attachment"] = ATTACHMENT_KEYS[kind]


def _read_files(request: HttpRequest) -> dict[str, bytes]:
    # One byte past the largest limit is enough for the services to refuse a bigger file.
    limit = max(photo_max_bytes(), SIGNATURE_MAX_BYTES) + 1
    files: dict[str, bytes] = {}
    for name in request.FILES:
        upload = request.FILES.get(name)
        if isinstance(upload, UploadedFile):
            files[name] = upload.read(limit)
    return files


@require_POST
@role_required(Role.TECHNICIAN)
def sync(request: HttpRequest) -> JsonResponse:
    """Apply the offline queue: per action ok / conflict / error / skipped (CSRF applies as for
    forms). JSON ``{"actions": [...]}``, or multipart with the same JSON in the ``actions``
    field and each queued picture as a file part its action names (``"file": part``)."""
    multipart = request.content_type == "multipart/form-data"
    try:
        text = request.POST.get("actions", "") if multipart else request.body
        body: Any = {"actions": json.loads(text)} if multipart else json.loads(text or b"{}")
    except ValueError:
        return JsonResponse({"message": _("The request is not valid JSON.")}, status=400)
    actions = body.get("actions") if isinstance(body, dict) else None
    if not isinstance(actions, list):
        return JsonResponse({"message": _("The request needs a list of actions.")}, status=400)
    user = request.user
    assert isinstance(user, User)
    _step_evidence(actions, user)
    try:
        results = sync_apply(
            actions=actions, by=user, files=_read_files(request) if multipart else None
        )
    except GuifanError as exc:
        return JsonResponse({"message": error_text(exc)}, status=exc.http_status)
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
