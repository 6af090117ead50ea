"""The province mix, its statistics and the sizing arithmetic of ``bench/province_load.py``.

Pure: no Django, no network, so the CI test (``tests/pure/test_province_load.py``) checks the
arithmetic and the mix's paths cheaply. Issue 18 point 2.

A *flow* is what one actor does once (an order taken in, a ticket served, a visit worked); it
sends one or more *endpoints*. The province states how many flows a day it has; each flow says
how many requests of each endpoint it sends; the measured server CPU milliseconds per request
then give the cores a peak hour needs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Endpoint:
    """One endpoint of the mix: ``path`` with ``{placeholders}`` for ids (``sample`` fills
    them so the URL conf can be asked whether it exists)."""

    name: str
    method: str
    path: str
    auth: str  # token | session | device
    sample: dict[str, str] = field(default_factory=dict)

    def sample_path(self) -> str:
        return self.path.format(**self.sample) if self.sample else self.path


ENDPOINTS: tuple[Endpoint, ...] = (
    # CRM intake (system token, Idempotency-Key) and the call centre's appointment calls.
    Endpoint("intake", "POST", "/api/v1/orders", "token"),
    Endpoint("analysis", "POST", "/api/v1/orders/{order}/analysis", "token", {"order": "1"}),
    Endpoint("transition", "POST", "/api/v1/orders/{order}/transitions", "token", {"order": "1"}),
    Endpoint("slots", "GET", "/api/v1/orders/{order}/slots", "token", {"order": "1"}),
    Endpoint("appointment", "POST", "/api/v1/orders/{order}/appointments", "token", {"order": "1"}),
    # Technicians: the visit read, the phone's offline sync (session + CSRF), checklist steps.
    Endpoint("visit_read", "GET", "/api/v1/visits/{order}", "token", {"order": "1"}),
    Endpoint("kit_read", "GET", "/api/v1/visits/{order}/kit-check", "token", {"order": "1"}),
    Endpoint("kit_check", "POST", "/api/v1/visits/{order}/kit-check", "token", {"order": "1"}),
    Endpoint("sync", "POST", "/t/sync/", "session"),
    Endpoint("step", "POST", "/api/v1/visits/{order}/steps", "token", {"order": "1"}),
    # Halls: the kiosk device's ticket page, the counter's calls (hall staff token).
    Endpoint("kiosk_ticket", "POST", "/hall/{hall}/kiosk/ticket/", "device", {"hall": "H1"}),
    Endpoint(
        "call_next",
        "POST",
        "/api/v1/halls/{hall}/counters/{counter}/call-next",
        "token",
        {"hall": "H1", "counter": "1"},
    ),
    Endpoint(
        "ticket_start",
        "POST",
        "/api/v1/halls/{hall}/tickets/{ticket}/start",
        "token",
        {"hall": "H1", "ticket": "1"},
    ),
    Endpoint(
        "ticket_finish",
        "POST",
        "/api/v1/halls/{hall}/tickets/{ticket}/finish",
        "token",
        {"hall": "H1", "ticket": "1"},
    ),
    # Calling screens (device, SSE held open; one request per stream the server ends).
    Endpoint("screen_stream", "GET", "/hall/{hall}/screen/events/", "device", {"hall": "H1"}),
    # Dispatchers' board poll (session; 204 while nothing changed) and quality pages.
    Endpoint("board_poll", "GET", "/board/live/", "session"),
    Endpoint("quality_page", "GET", "/quality/", "session"),
)
BY_NAME = {e.name: e for e in ENDPOINTS}


@dataclass(frozen=True)
class Flow:
    """What one actor does once; ``requests`` per endpoint name."""

    name: str
    requests: dict[str, float]
    phase: str  # the harness phase that measures it


FLOWS: tuple[Flow, ...] = (
    Flow(
        "order",
        {"intake": 1, "analysis": 1, "transition": 1, "slots": 1, "appointment": 1},
        "crm",
    ),
    # One visit: read it, the pre-departure kit check (DSP-06), sync the departure and the
    # arrival, record the checklist's steps that need no photo: the broadband repair's 17
    # steps less VIS-03 (nobody home) and VIS-13 (the modem label's photo).
    Flow("visit", {"visit_read": 1, "kit_read": 1, "kit_check": 1, "sync": 2, "step": 15}, "field"),
    Flow("ticket", {"kiosk_ticket": 1}, "kiosk"),
    # A served ticket: the call, its start, its finish (an empty call is counted as a call).
    Flow("served", {"call_next": 1, "ticket_start": 1, "ticket_finish": 1}, "counter"),
    Flow("screen_hour", {"screen_stream": 1}, "screens"),
    Flow("board_poll", {"board_poll": 1}, "board"),
    Flow("quality_view", {"quality_page": 1}, "quality"),
)


@dataclass(frozen=True)
class Province:
    """The stated province. Business hours and the peak hour's share set the peak rate."""

    technicians: int = 10_000
    orders_per_day: int = 100_000
    halls: int = 2_000
    tickets_per_hall: int = 300
    screens: int = 4_000
    dispatchers: int = 250  # one per area of 40 technicians
    quality_staff: int = 100
    hours: float = 10.0  # 08:00-18:00 halls and field work
    peak_factor: float = 2.0  # the peak hour carries this many times the mean hour
    board_poll_s: float = 10.0  # the board's live poll (README)
    quality_views_per_hour: float = 30.0  # page views per quality person
    visits_per_order: float = 1.0
    # A screen's stream: the server ends it and the screen reconnects (SSE retry), so a
    # screen costs requests per hour; measured by the harness (``screen_streams_per_hour``).

    def peak_per_hour(self, flow: str, streams_per_screen_hour: float = 0.0) -> float:
        """The flow's count in the peak hour (screens and polls are flat: always on)."""
        mean = {
            "order": self.orders_per_day / self.hours,
            "visit": self.orders_per_day * self.visits_per_order / self.hours,
            "ticket": self.halls * self.tickets_per_hall / self.hours,
            "served": self.halls * self.tickets_per_hall / self.hours,
        }
        if flow in mean:
            return mean[flow] * self.peak_factor
        if flow == "screen_hour":
            return self.screens * streams_per_screen_hour
        if flow == "board_poll":
            return self.dispatchers * 3600 / self.board_poll_s
        if flow == "quality_view":
            return self.quality_staff * self.quality_views_per_hour
        raise KeyError(flow)


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), 0 for no values."""
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


@dataclass
class Stats:
    """One endpoint's samples in one phase."""

    latencies: list[float] = field(default_factory=list)  # seconds, answered requests
    errors: int = 0  # 5xx, timeouts, connection errors
    refused: int = 0  # 4xx: the harness's own requests should not be refused

    def add(self, seconds: float, status: int) -> None:
        self.latencies.append(seconds)
        if status >= 500 or status <= 0:
            self.errors += 1
        elif status >= 400:
            self.refused += 1

    @property
    def count(self) -> int:
        return len(self.latencies)

    def row(self, wall_s: float, cpu_ms_per_request: float | None) -> dict[str, float]:
        ms = [x * 1000 for x in self.latencies]
        return {
            "requests": float(self.count),
            "rps": self.count / wall_s if wall_s > 0 else 0.0,
            "p50": percentile(ms, 50),
            "p95": percentile(ms, 95),
            "p99": percentile(ms, 99),
            "errors": float(self.errors),
            "refused": float(self.refused),
            "cpu_ms": cpu_ms_per_request if cpu_ms_per_request is not None else float("nan"),
        }


def cpu_ms_per_request(cpu_s: float, requests: int) -> float:
    """Server CPU milliseconds per request of a phase (nan for no request)."""
    return cpu_s * 1000 / requests if requests else float("nan")


@dataclass(frozen=True)
class SizingRow:
    flow: str
    peak_per_hour: float
    cpu_ms: float  # server CPU ms per flow
    cores: float


def sizing(
    province: Province,
    cpu_ms: dict[str, float],
    *,
    streams_per_screen_hour: float,
    flows: Iterable[Flow] = FLOWS,
) -> list[SizingRow]:
    """Cores per flow in the peak hour: count x CPU ms of its requests / 3,600,000 ms."""
    rows = []
    for f in flows:
        per_flow = sum(n * cpu_ms[e] for e, n in f.requests.items())
        peak = province.peak_per_hour(f.name, streams_per_screen_hour)
        rows.append(SizingRow(f.name, peak, per_flow, peak * per_flow / 3_600_000))
    return rows


def servers_needed(cores: float, *, utilisation: float = 0.6, cores_per_server: int = 8) -> int:
    """App servers of ``cores_per_server`` cores at ``utilisation`` (headroom for a lost
    server and the peak minute), plus one spare so one server may die at the peak."""
    if cores <= 0:
        return 1
    return math.ceil(cores / (utilisation * cores_per_server)) + 1


def slice_rates(
    province: Province, fraction: float, *, streams_per_screen_hour: float
) -> dict[str, float]:
    """Per-second rate of each flow in the peak hour of ``fraction`` of the province."""
    return {
        f.name: province.peak_per_hour(f.name, streams_per_screen_hour) * fraction / 3600
        for f in FLOWS
    }
