"""The worker loop (built out with the durable timers)."""

from __future__ import annotations


def run_worker(
    *, batch: bool, interval: float, max_items: int | None, worker_id: str | None
) -> None:
    raise NotImplementedError("the durable-timer worker lands with issue 3")
