"""Travel matrix providers: haversine default, OSRM ``/table`` against a local stub server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest

from guifan.optimize.matrix import HaversineProvider, MatrixUnavailable, OsrmTableProvider, Point

POINTS = [Point("A", 31.80, 117.20), Point("B", 31.80, 117.30), Point("C", 31.90, 117.20)]


def test_haversine_applies_road_factor_and_speed():
    m = HaversineProvider(road_factor=1.5, speed_kmh=30).matrix(POINTS)
    # 0.1 degree of latitude is 11.12 km on the ground.
    assert m.dist("A", "C") == pytest.approx(11.12 * 1.5, rel=1e-3)
    assert m.travel("A", "C") == 34  # 16.68 km at 30 km/h = 33.4 min, rounded up
    assert m.dist("A", "A") == 0
    assert m.dist("A", "B") == pytest.approx(m.dist("B", "A"))


def test_haversine_refuses_a_road_factor_below_one():
    with pytest.raises(ValueError, match="road_factor"):
        HaversineProvider(road_factor=0.9)


class _Stub(BaseHTTPRequestHandler):
    answer: ClassVar[dict[str, Any]] = {}
    paths: ClassVar[list[str]] = []

    def do_GET(self):
        type(self).paths.append(self.path)
        body = json.dumps(type(self).answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    server = HTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Stub.paths = []
    yield server
    server.shutdown()
    server.server_close()


def url(server):
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_osrm_table_is_read_in_minutes_and_km(stub):
    _Stub.answer = {
        "code": "Ok",
        "durations": [[0, 600, 1200], [660, 0, 900], [1200, 900, 0]],
        "distances": [[0, 5000, 9000], [5200, 0, 7000], [9000, 7000, 0]],
    }
    m = OsrmTableProvider(url(stub)).matrix(POINTS)
    assert m.travel("A", "B") == 10
    assert m.travel("B", "A") == 11
    assert m.dist("B", "C") == pytest.approx(7.0)
    assert _Stub.paths[0].startswith("/table/v1/driving/117.200000,31.800000;117.300000,31.800000")
    assert "annotations=duration,distance" in _Stub.paths[0]


def test_an_error_answer_is_a_clear_error(stub):
    _Stub.answer = {"code": "InvalidQuery", "message": "nope"}
    with pytest.raises(MatrixUnavailable, match="answered 'InvalidQuery'"):
        OsrmTableProvider(url(stub)).matrix(POINTS)


def test_a_wrong_sized_table_is_refused(stub):
    _Stub.answer = {"code": "Ok", "durations": [[0]], "distances": [[0]]}
    with pytest.raises(MatrixUnavailable, match="not 3x3"):
        OsrmTableProvider(url(stub)).matrix(POINTS)


def test_an_unreachable_service_is_a_clear_error():
    with pytest.raises(MatrixUnavailable, match="unreachable"):
        OsrmTableProvider("http://127.0.0.1:9", timeout=1).matrix(POINTS)


def test_it_falls_back_only_when_configured():
    fallback = HaversineProvider()
    m = OsrmTableProvider("http://127.0.0.1:9", timeout=1, fallback=fallback).matrix(POINTS)
    assert m.dist("A", "C") == pytest.approx(fallback.matrix(POINTS).dist("A", "C"))


def test_a_non_http_url_is_refused():
    with pytest.raises(MatrixUnavailable, match="http"):
        OsrmTableProvider("file:///etc/passwd").matrix(POINTS)
