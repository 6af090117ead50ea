"""Every API error in one documented shape: ``{"code","message","field","rule","request_id"}``.

The handlers map the service errors, shape and auth failures, oversized bodies and unexpected
exceptions (500: logged with its traceback and request id, never shown to the caller).
``ErrorsDocumentedAPI`` declares these answers on every operation of the OpenAPI document, so
the document tells the truth about them without each route repeating them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from guifan.errors import GuifanError
from guifan.requestid import current_request_id

logger = logging.getLogger("guifan.api")


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None
    rule: str | None
    request_id: str


# Answers any operation may give besides its own (auth, role, object, state, shape, size).
ERROR_STATUSES = {
    400: "请求无法解析",
    401: "需要有效的 API 令牌",
    403: "无权执行此操作",
    404: "对象不存在",
    409: "状态已变化或幂等键冲突",
    413: "请求体过大",
    422: "输入不合规（字段与规范见 field、rule）",
    429: "请求过于频繁",
    500: "服务器内部错误（已记录，凭 request_id 查询）",
}


def error_body(
    code: str, message: str, *, field: str | None = None, rule: str | None = None
) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "field": field,
        "rule": rule,
        "request_id": current_request_id(),
    }


class ErrorsDocumentedAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists the error answers of every operation."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema()
        ref = {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        }
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                for status, text in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": text, **ref})
        return schema


def install(api: NinjaAPI, *, on_refusal: Callable[[HttpRequest, GuifanError], None]) -> None:
    """Register the handlers on ``api``; ``on_refusal`` remembers an error that names a norm
    and carries no recorder of its own (errors know nothing of apps)."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(GuifanError)
    def on_guifan_error(request: HttpRequest, exc: GuifanError) -> HttpResponse:
        # A refused attempt at an enforced norm is recorded once its transaction is gone
        # (guifan.apps.norms.refusals), with the caller and the body it sent.
        record = getattr(exc, "record_refusal", None)
        if callable(record):
            record()
        else:
            on_refusal(request, exc)
        return respond(
            request, exc.http_status, {**exc.as_dict(), "request_id": current_request_id()}
        )

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        """Shape errors (bad JSON, wrong types, bad text) naming the first bad field."""
        first = exc.errors[0] if exc.errors else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "payload")]
        # A header or query parameter is named as the caller sent it (Idempotency-Key).
        field = ".".join(loc[1:] if loc[:1] in (["header"], ["query"], ["path"]) else loc)
        message = str(first.get("msg", "请求格式错误"))
        body = error_body("request.invalid", message, field=field or None)
        body["errors"] = [_plain(e) for e in exc.errors]
        return respond(request, 422, body)

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(
            request, 413, error_body("request.too_large", "请求体超过 1 MB", field="body")
        )

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = error_body("auth.required", "需要有效的 API 令牌", field="Authorization")
        return respond(request, 401, body)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        message = ERROR_STATUSES.get(status, "请求无法处理")
        return respond(request, status, error_body(f"http.{status}", message))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", "对象不存在"))

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        rid = current_request_id()
        logger.error(
            "API 500 request_id=%s %s %s",
            rid,
            request.method,
            request.path,
            exc_info=exc,
            extra={"request_id": rid},
        )
        return respond(request, 500, error_body("server.error", ERROR_STATUSES[500]))


def _plain(error: dict[str, Any]) -> dict[str, Any]:
    """A pydantic error without its ``ctx``/``url`` (exception objects are not JSON)."""
    return {k: v for k, v in error.items() if k in ("type", "loc", "msg")}
