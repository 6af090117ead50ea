"""The province load harness's arithmetic and mix (bench/load_mix.py, issue 18 point 2)."""

from __future__ import annotations

import math

import pytest
from django.urls import Resolver404, resolve

from bench.load_mix import (
    BY_NAME,
    ENDPOINTS,
    FLOWS,
    Province,
    Stats,
    cpu_ms_per_request,
    percentile,
    servers_needed,
    sizing,
    slice_rates,
)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_every_endpoint_of_the_mix_is_in_the_url_conf(endpoint) -> None:  # type: ignore[no-untyped-def]
    path = endpoint.sample_path().split("?")[0]
    assert "{" not in path, "every placeholder has a sample"
    match = resolve(path)
    assert match.func is not None


def test_a_path_not_in_the_url_conf_is_noticed() -> None:
    with pytest.raises(Resolver404):
        resolve("/hall/H1/kiosk/no-such-thing/")


def test_every_flow_sends_endpoints_of_the_mix_and_every_endpoint_is_in_a_flow() -> None:
    used = {e for f in FLOWS for e in f.requests}
    assert used <= set(BY_NAME)
    assert used == set(BY_NAME)


def test_percentiles_interpolate_as_numpy_does() -> None:
    xs = [float(x) for x in range(1, 101)]  # 1..100
    assert percentile(xs, 50) == pytest.approx(50.5)
    assert percentile(xs, 95) == pytest.approx(95.05)
    assert percentile(xs, 99) == pytest.approx(99.01)
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) == 0.0
    assert percentile([3.0, 1.0, 2.0], 0) == 1.0  # unsorted input


def test_stats_count_errors_and_refusals_apart() -> None:
    s = Stats()
    for seconds, status in ((0.010, 200), (0.020, 201), (0.030, 409), (0.040, 500), (1.0, -1)):
        s.add(seconds, status)
    row = s.row(wall_s=2.0, cpu_ms_per_request=12.5)
    assert row["requests"] == 5
    assert row["rps"] == 2.5
    assert row["errors"] == 2  # the 500 and the timeout
    assert row["refused"] == 1
    assert row["p50"] == pytest.approx(30.0)
    assert row["cpu_ms"] == 12.5


def test_cpu_ms_per_request() -> None:
    assert cpu_ms_per_request(1.5, 100) == 15.0
    assert math.isnan(cpu_ms_per_request(1.0, 0))


def test_peak_hour_counts_of_the_stated_province() -> None:
    p = Province()  # 100,000 orders and 600,000 tickets over 10 hours, peak 2x the mean
    assert p.peak_per_hour("order") == 20_000
    assert p.peak_per_hour("ticket") == 120_000
    assert p.peak_per_hour("served") == 120_000
    assert p.peak_per_hour("board_poll") == 250 * 360
    assert p.peak_per_hour("screen_hour", streams_per_screen_hour=100) == 400_000
    with pytest.raises(KeyError):
        p.peak_per_hour("nothing")


def test_sizing_multiplies_requests_by_cpu_and_the_peak_rate() -> None:
    cpu = dict.fromkeys(BY_NAME, 0.0)
    cpu["kiosk_ticket"] = 18.0  # ms
    rows = {r.flow: r for r in sizing(Province(), cpu, streams_per_screen_hour=100)}
    # 120,000 tickets in the peak hour x 18 ms = 2,160 CPU s over 3,600 s = 0.6 cores
    assert rows["ticket"].cores == pytest.approx(0.6)
    assert rows["order"].cores == 0.0
    cpu["step"] = 10.0
    visit = {r.flow: r for r in sizing(Province(), cpu, streams_per_screen_hour=100)}["visit"]
    steps = dict(next(f for f in FLOWS if f.name == "visit").requests)["step"]
    assert visit.cpu_ms == pytest.approx(10.0 * steps)
    assert visit.cores == pytest.approx(20_000 * 10.0 * steps / 3_600_000)


def test_servers_keep_headroom_and_a_spare() -> None:
    assert servers_needed(0) == 1
    assert servers_needed(4.8) == 2  # 4.8 / (0.6 x 8) = 1 server, plus the spare
    assert servers_needed(4.9) == 3
    assert servers_needed(10, utilisation=0.5, cores_per_server=4) == 6


def test_a_slice_is_the_fraction_of_the_peak_hour_per_second() -> None:
    rates = slice_rates(Province(), 0.02, streams_per_screen_hour=100)
    assert rates["order"] == pytest.approx(20_000 * 0.02 / 3600)
    assert rates["ticket"] == pytest.approx(120_000 * 0.02 / 3600)
    assert rates["screen_hour"] == pytest.approx(4000 * 100 * 0.02 / 3600)


def test_the_visit_flow_counts_the_steps_the_harness_sends_for_a_broadband_repair() -> None:
    from bench.province_load import STEP_EVIDENCE, steps_sent
    from guifan.apps.fieldwork.checklist import checklist_for

    steps = checklist_for(service_type="broadband", kind="repair")
    doc = {"steps": [{"norm_id": s.norm_id, "evidence": s.evidence} for s in steps]}
    sent = steps_sent(doc)
    visit = next(f for f in FLOWS if f.name == "visit")
    assert len(sent) == visit.requests["step"]
    assert {s.evidence or None for s in steps} >= set(STEP_EVIDENCE)  # no stale evidence kind
