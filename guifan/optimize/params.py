"""What besides the problem changes a dispatch plan: DSP-02 margins, DSP-01 tier weights and
the solver's knobs (pure). Its own module, below both ``solve`` and ``pyvrp_dispatch``."""

from __future__ import annotations

from dataclasses import dataclass

from guifan.norms import NormSet
from guifan.optimize.problem import Tier
from guifan.optimize.schedule import Timing


@dataclass(frozen=True, slots=True)
class DispatchParams:
    """Everything besides the problem that changes a plan; read from the norm catalog."""

    timing: Timing
    tier_weights: tuple[tuple[Tier, int], ...]
    threads: int = 1
    exploration: int | None = None  # VROOM 0..5; None picks by size (its heuristics take time)
    # False: PyVRP with the seed and a work budget, no clock — the same plan in any process,
    # whatever the machine's speed (the demo's day, tests; ADR 0018); True: VROOM's plan,
    # then PyVRP's improvement within the wall-clock limit.
    improve: bool = True

    def __post_init__(self) -> None:
        if self.threads < 1 or self.exploration not in (None, 0, 1, 2, 3, 4, 5):
            raise ValueError("threads >= 1 and exploration in 0..5")

    def exploration_for(self, n_jobs: int) -> int:
        """VROOM's exploration level: thorough for small days, quick for large ones."""
        if self.exploration is not None:
            return self.exploration
        return 5 if n_jobs <= 300 else 3 if n_jobs <= 800 else 1

    @classmethod
    def from_norms(
        cls, norms: NormSet, *, threads: int = 1, exploration: int | None = None
    ) -> DispatchParams:
        """DSP-02 margins and DSP-01 tier order (weights 8, 4, 2, 1 for four tiers)."""
        order = [Tier(t) for t in norms.param("DSP-01", "tier_order")]
        weights = tuple((t, 2 ** (len(order) - 1 - i)) for i, t in enumerate(order))
        timing = Timing(
            norms.minutes("DSP-02", "early_min_minutes"),
            norms.minutes("DSP-02", "early_max_minutes"),
        )
        return cls(timing, weights, threads, exploration)

    def weight(self, tier: Tier) -> int:
        return dict(self.tier_weights)[tier]
