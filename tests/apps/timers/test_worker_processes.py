"""Real worker processes on PostgreSQL: killed mid-batch, cut off from the database, and two
in parallel."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.db import connection

from guifan.apps.norms.models import NormCheck
from guifan.apps.timers.models import Timer
from tests import factories as f

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.slow]
N = 240


def _env(application_name: str = "") -> dict[str, str]:
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    if application_name:  # names the worker's connections in pg_stat_activity
        url += f"?application_name={application_name}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "guifan.settings.dev",
        "GUIFAN_DEBUG": "0",
    }


def _worker(*args: str, application_name: str = "") -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "guifan", "worker", "--interval", "0.05", *args]
    env = _env(application_name)
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _due_timers(clock, n: int = N) -> None:
    """n diamond orders whose first-contact deadline (APT-02) has passed in real time."""
    for i in range(n):
        f.order(tier="diamond", phone=f"139{i:08d}")
    clock.advance(dt.timedelta(hours=3))
    assert Timer.objects.filter(kind="apt02.first_contact", status="pending").count() == n


def _assert_each_fired_once(n: int = N) -> None:
    assert Timer.objects.filter(kind="apt02.first_contact", status="fired").count() == n
    per_order = Counter(
        NormCheck.objects.filter(norm_id="APT-02").values_list("order_id", flat=True)
    )
    assert len(per_order) == n
    assert set(per_order.values()) == {1}


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("worker process tests run on PostgreSQL (DATABASE_URL)")


def test_a_worker_killed_mid_batch_loses_no_timer_and_repeats_no_effect(clock):
    _due_timers(clock)
    proc = _worker("--pause-ms", "15")
    deadline = time.monotonic() + 60
    while Timer.objects.filter(status="fired").count() < N // 4:
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail(
                f"worker made no progress: {Counter(Timer.objects.values_list('status', flat=True))}"
            )
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    fired_before = Timer.objects.filter(status="fired").count()
    assert 0 < fired_before < N, "the kill must land mid-batch"
    assert NormCheck.objects.filter(norm_id="APT-02").count() == fired_before

    restarted = _worker("--batch")
    _out, err = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, err.decode()
    _assert_each_fired_once()


def test_two_workers_in_parallel_never_fire_the_same_timer(clock):
    _due_timers(clock)
    procs = [_worker("--batch", "--pause-ms", "10", "--worker-id", f"w{i}") for i in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    _assert_each_fired_once()
    by_worker = Counter(Timer.objects.values_list("fired_by", flat=True))
    assert set(by_worker) == {"w0", "w1"}, by_worker


def test_sigterm_stops_the_worker_between_timers(clock):
    _due_timers(clock)
    proc = _worker("--pause-ms", "20")
    deadline = time.monotonic() + 60
    while Timer.objects.filter(status="fired").count() < 10:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()
    fired = Timer.objects.filter(status="fired").count()
    assert f"worker: {fired} items" in out.decode()
    assert 0 < fired < N
    assert NormCheck.objects.filter(norm_id="APT-02").count() == fired


def test_a_worker_whose_connection_is_killed_reconnects_and_fires_each_timer_once(clock):
    _due_timers(clock)
    name = f"guifan-worker-test-{os.getpid()}"
    proc = _worker("--pause-ms", "15", application_name=name)
    killed = 0
    deadline = time.monotonic() + 90
    try:
        for share in (4, 2):  # kill it twice, mid-batch
            while Timer.objects.filter(status="fired").count() < N // share:
                assert time.monotonic() < deadline, "worker made no progress"
                assert proc.poll() is None, proc.communicate()[1].decode()
                time.sleep(0.05)
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM ("
                    " SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = %s) t",
                    [name],
                )
                killed += cur.fetchone()[0]
        assert killed >= 2
        while Timer.objects.filter(status="fired").count() < N:
            assert time.monotonic() < deadline, "worker made no progress after the kill"
            assert proc.poll() is None, proc.communicate()[1].decode()
            time.sleep(0.05)
        time.sleep(0.5)  # a repeated effect would show now
        assert proc.poll() is None, "the worker must outlive its connection"
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()
    assert "reconnecting" in err.decode()
    _assert_each_fired_once()
