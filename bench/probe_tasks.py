"""A slow django-task used by bench/timers_bench.py to observe a worker killed mid-task."""

from __future__ import annotations

import time

from django_tasks import task


@task()
def slow_probe(seconds: float) -> str:
    time.sleep(seconds)
    return "done"
