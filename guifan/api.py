"""The JSON API under /api/v1/: mounts routers and maps errors to 4xx with one shape."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from guifan.apps.compliance.api import router as compliance_router
from guifan.apps.dispatch.api import router as dispatch_router
from guifan.apps.hall.api import router as hall_router
from guifan.apps.orders.api import router as orders_router
from guifan.errors import GuifanError

api = NinjaAPI(title="guifan API", version="1", urls_namespace="api-v1")
api.add_router("/orders", orders_router)
api.add_router("/dispatch", dispatch_router)
api.add_router("/halls", hall_router)
api.add_router("", compliance_router)


@api.exception_handler(GuifanError)
def on_guifan_error(request: HttpRequest, exc: GuifanError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Shape errors (bad JSON, wrong types) in the same form, naming the first bad field."""
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "payload")]
    field = ".".join(loc) or None
    message = str(first.get("msg", "请求格式错误"))
    body = {
        "code": "request.invalid",
        "message": message,
        "field": field,
        "rule": None,
        "errors": exc.errors,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    body = {
        "code": "request.too_large",
        "message": "请求体超过 1 MB",
        "field": "body",
        "rule": None,
    }
    return api.create_response(request, body, status=413)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {
        "code": "auth.required",
        "message": "需要有效的 API 令牌",
        "field": "Authorization",
        "rule": None,
    }
    return api.create_response(request, body, status=401)


@api.get("/health", auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}
