"""Light pages (ADR 0030): pages and JSON gzipped for a browser that accepts it, event streams
never (a compressor would hold each event back), hashed static names cached for a year."""

from __future__ import annotations

import gzip
from contextlib import aclosing

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient, Client

from guifan.apps.accounts.models import Role
from guifan.apps.hall.posts import post_set
from guifan.compression import ONE_YEAR, StaticFilesMiddleware
from tests import factories as f
from tests.web.test_hall_screen_stream import URL, hall  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_a_page_is_gzipped_for_a_browser_that_accepts_it() -> None:
    response = Client(headers={"accept-encoding": "gzip, deflate, br"}).get("/login/")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "csrfmiddlewaretoken" in html


def test_a_client_without_gzip_gets_the_page_as_it_is() -> None:
    response = Client().get("/login/")
    assert not response.has_header("Content-Encoding")
    assert b"csrfmiddlewaretoken" in response.content


def test_the_calling_screens_event_stream_is_not_compressed(hall) -> None:  # noqa: F811
    user = f.user(Role.HALL_STAFF, "screen-gz")
    post_set(user=user, hall_code="H1")
    client = AsyncClient(headers={"accept-encoding": "gzip, deflate, br"})
    client.force_login(user)

    async def first_event() -> tuple[object, str]:
        response = await client.get(URL)
        async with aclosing(response.streaming_content) as chunks:
            async for chunk in chunks:
                if b"event: calls" in chunk:
                    return response, chunk.decode()
        raise AssertionError("the stream ended early")

    response, text = async_to_sync(first_event)()
    assert not response.has_header("Content-Encoding")  # type: ignore[attr-defined]
    assert "event: calls" in text


def test_a_hashed_static_name_is_cached_for_a_year_and_a_plain_one_is_not() -> None:
    middleware = StaticFilesMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    headers: dict[str, str] = {}
    middleware.immutable_file_test = lambda path, url: url.endswith(".0a7ec90b5ea0.woff2")  # type: ignore[method-assign]
    middleware.add_cache_headers(headers, "x", "/static/web/f.0a7ec90b5ea0.woff2")
    assert headers["Cache-Control"] == f"max-age={ONE_YEAR}, public, immutable"
    middleware.add_cache_headers(headers, "x", "/static/web/app.css")
    assert "immutable" not in headers["Cache-Control"]
