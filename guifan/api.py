"""The JSON API under /api/v1/: mounts routers and maps GuifanError to 4xx."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from guifan.errors import GuifanError

api = NinjaAPI(title="guifan API", version="1", urls_namespace="api-v1")


@api.exception_handler(GuifanError)
def on_guifan_error(request: HttpRequest, exc: GuifanError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


@api.get("/health", auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}
