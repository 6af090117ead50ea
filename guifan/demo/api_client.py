"""An in-process HTTP client for the demo: every action goes through the real API stack."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any, ClassVar

from django.test import Client


class ApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body


class Api:
    # One sequence for every client of a run: request ids end up in the audit log, whose
    # rows are hashed, so the same seed must send the same ids (never random uuids).
    _ids: ClassVar[Iterator[int]] = itertools.count(1)

    def __init__(self, token: str) -> None:
        self.client = Client(headers={"Authorization": f"Bearer {token}"}, HTTP_HOST="localhost")
        self.calls = 0

    @classmethod
    def restart_request_ids(cls) -> None:
        cls._ids = itertools.count(1)

    def _headers(self, **headers: str) -> dict[str, str]:
        return {"X-Request-ID": f"demo-{next(Api._ids):08d}", **headers}

    def _handle(self, response: Any) -> Any:
        self.calls += 1
        if response.status_code == 204:
            return None
        body = response.json()
        if response.status_code >= 400:
            raise ApiError(response.status_code, body)
        return body

    def get(self, path: str, **params: Any) -> Any:
        return self._handle(self.client.get(f"/api/v1{path}", params, headers=self._headers()))

    def post(self, path: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
        data = json.dumps(body or {}, default=str)
        resp = self.client.post(
            f"/api/v1{path}",
            data=data,
            content_type="application/json",
            headers=self._headers(**headers),
        )
        return self._handle(resp)

    def post_status(self, path: str, body: dict[str, Any], **headers: str) -> tuple[int, Any]:
        data = json.dumps(body, default=str)
        resp = self.client.post(
            f"/api/v1{path}",
            data=data,
            content_type="application/json",
            headers=self._headers(**headers),
        )
        self.calls += 1
        return resp.status_code, resp.json()
