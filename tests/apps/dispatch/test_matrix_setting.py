"""GUIFAN_OSRM_URL points dispatch at an intranet OSRM table service; down means haversine."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from guifan.apps.dispatch.problem import matrix_provider
from guifan.optimize.matrix import HaversineProvider, OsrmTableProvider, Point
from tests import factories as f

pytestmark = pytest.mark.django_db


class _Table(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # OSRM's /table answer for two points: 7 minutes apart
        body = json.dumps(
            {"code": "Ok", "durations": [[0, 420], [420, 0]], "distances": [[0, 3000], [3000, 0]]}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_without_a_url_dispatch_uses_great_circle_times(settings):
    settings.GUIFAN_OSRM_URL = ""
    assert isinstance(matrix_provider(f.area()), HaversineProvider)


def test_the_configured_service_gives_the_times(settings):
    server = HTTPServer(("127.0.0.1", 0), _Table)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.GUIFAN_OSRM_URL = f"http://127.0.0.1:{server.server_port}"
        provider = matrix_provider(f.area())
        assert isinstance(provider, OsrmTableProvider)
        m = provider.matrix([Point("a", 30.6, 104.0), Point("b", 30.7, 104.1)])
        assert m.travel("a", "b") == 7
    finally:
        server.shutdown()


def test_an_unreachable_service_falls_back(settings):
    settings.GUIFAN_OSRM_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    m = matrix_provider(f.area()).matrix([Point("a", 30.6, 104.0), Point("b", 30.7, 104.1)])
    assert m.travel("a", "b") > 7  # great-circle at the area's speed, not the table
