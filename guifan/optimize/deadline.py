"""A PyVRP stopping criterion on a wall-clock deadline.

``pyvrp.stop.MaxRuntime`` starts counting at its first call, after PyVRP has built its
neighbourhoods and improved a random start; under load that can take a second. A command
that promises a wall-clock limit needs the clock to start when the command does.
"""

from __future__ import annotations

import time


class Deadline:
    """True once ``time.perf_counter()`` reaches ``at``."""

    def __init__(self, at: float) -> None:
        self.at = at

    def __call__(self, best_cost: float) -> bool:
        return time.perf_counter() >= self.at
