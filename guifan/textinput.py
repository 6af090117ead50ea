"""Text from outside: at most its column's length, and nothing PostgreSQL cannot store.

One rule for every entry point. ``Annotated[str, Text(50)]`` bounds an API schema field, query,
path or header parameter (422 naming the field, ``maxLength`` in the OpenAPI document);
``text_check`` does the same for payloads parsed by hand (the offline sync); ``TextInputMiddleware``
refuses NUL in any query string, form field or path before a view sees it. NUL (U+0000) and lone
surrogates (U+D800–DFFF, which JSON's ``"\\ud800"`` escapes produce) are refused everywhere:
PostgreSQL cannot store them, so they would otherwise end as a 500.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from pydantic import AfterValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from guifan.clock import ZONE
from guifan.errors import ValidationFailed
from guifan.requestid import current_request_id

# Free text without a column length (TextField, JSON) still has a bound.
LONG_TEXT = 2000
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def whole_number(text: str, *, maximum: int = 2**63 - 1) -> int | None:
    """``text`` as a whole number written in ASCII digits, at most ``maximum`` (a database
    bigint by default), or None. ``str.isdigit`` alone lets "²" through to ``int()`` (a
    ValueError, a 500), other scripts' digits into stored values, and any length through to
    the database (an overflow)."""
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= maximum else None


def text_storable(value: str) -> str:
    """``value`` with the characters the databases cannot store replaced (U+FFFD)."""
    return _UNSTORABLE.sub("\ufffd", value)


def text_problem(value: str, max_length: int | None = None) -> str | None:
    """Why ``value`` cannot be taken (a Chinese sentence), or None when it can."""
    if "\x00" in value:
        return "不得包含空字符（U+0000）"
    if _UNSTORABLE.search(value):
        return "不得包含不成对的代理字符（U+D800–DFFF）"
    if max_length is not None and len(value) > max_length:
        return f"最多 {max_length} 个字符（收到 {len(value)} 个）"
    return None


def text_check(value: str, *, field: str, max_length: int | None = LONG_TEXT) -> str:
    """``value`` unchanged, or ValidationFailed naming ``field``."""
    problem = text_problem(value, max_length)
    if problem is not None:
        raise ValidationFailed("text.invalid", f"{field}：{problem}", field=field)
    return value


@dataclass(frozen=True, slots=True)
class Text:
    """Pydantic metadata: a string of at most ``max_length`` storable characters."""

    max_length: int = LONG_TEXT

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        limit = self.max_length

        def check(value: str) -> str:
            problem = text_problem(value, limit)
            if problem is not None:
                raise PydanticCustomError("text_invalid", problem)
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        value = handler(schema)
        value["maxLength"] = self.max_length
        return value


def _calendar_safe(value: dt.date) -> dt.date:
    # Near year 1 or 9999 a time-zone shift or a day's arithmetic overflows (a 500).
    if not 2 <= value.year <= 9998:
        raise PydanticCustomError("date_out_of_range", "日期超出可处理的范围")
    return value


def _aware(value: dt.datetime) -> dt.datetime:
    _calendar_safe(value)
    offset = value.utcoffset()
    # Real offsets lie within ±14 h; PostgreSQL refuses a larger one (a 500, not a 422).
    if offset is not None and abs(offset) > dt.timedelta(hours=14):
        raise PydanticCustomError("offset_out_of_range", "时区偏移超出范围（须在 ±14 小时内）")
    # A time without an offset is read on the service's clock (Asia/Shanghai).
    return value if value.tzinfo is not None else value.replace(tzinfo=ZONE)


# A date or instant from outside that arithmetic cannot overflow; instants are always aware.
Day = Annotated[dt.date, AfterValidator(_calendar_safe)]
Instant = Annotated[dt.datetime, AfterValidator(_aware)]


def _first_nul(request: HttpRequest, *, api: bool) -> str | None:
    """The name of the first query, form or path part that holds a NUL.

    On the API the path parameters are typed (``Text``) and name themselves, and bodies are
    JSON; on pages the path and form posts are checked here."""
    sources = [request.GET]
    if not api:
        if "\x00" in request.path:
            return "path"
        if request.method == "POST":
            sources.append(request.POST)
    for source in sources:
        for name, values in source.lists():
            if "\x00" in name or any("\x00" in v for v in values if isinstance(v, str)):
                return name.replace("\x00", "")
    return None


class TextInputMiddleware:
    """Refuse NUL in query strings (and on pages in form posts and paths): 422 naming the
    parameter on the API, Django's 400 page elsewhere.

    Form posts and query strings cannot carry lone surrogates (Django decodes them with
    replacement characters), so NUL is the one to stop here; JSON bodies are checked by their
    schema (``Text``) or by ``text_check``."""

    # Both: under ASGI an async view keeps its event loop (no thread is taken for this check).
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if iscoroutinefunction(self):
            return self._acall(request)
        refusal = _refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        refusal = _refusal(request)
        return refusal if refusal is not None else await self.get_response(request)


def _refusal(request: HttpRequest) -> HttpResponse | None:
    api = request.path.startswith("/api/")
    field = _first_nul(request, api=api)
    if field is None:
        return None
    if api:
        body = {
            "code": "text.invalid",
            "message": f"{field}：{text_problem(chr(0))}",
            "field": field,
            "rule": None,
            "request_id": current_request_id(),
        }
        return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})
    raise BadRequest(f"NUL in {field}")


# A page size: at least one row, at most a thousand (a larger page is a bulk export, not a read).
Limit = Annotated[int, Field(ge=1, le=1000)]
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a database bigint: larger ids are a 422
