"""Field-service dispatch model (pure): technicians, jobs and a travel matrix.

Times are whole minutes after local midnight of the plan's date; distances are km.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float64]


class Tier(StrEnum):
    """Customer tier (DSP-01 ``tier_order``), highest first."""

    DIAMOND = "diamond"
    GOLD = "gold"
    SILVER = "silver"
    NORMAL = "normal"


@dataclass(frozen=True, slots=True)
class Break:
    """A break that starts within ``[earliest, latest]`` and lasts ``minutes``."""

    earliest: int
    latest: int
    minutes: int

    def __post_init__(self) -> None:
        if self.latest < self.earliest:
            raise ValueError(f"break latest {self.latest} before earliest {self.earliest}")
        if self.minutes <= 0:
            raise ValueError(f"break minutes must be > 0, got {self.minutes}")


@dataclass(frozen=True, slots=True)
class Technician:
    """A technician's day: shift, start and end location, certified skills (DSP-05).

    A re-plan continues a busy technician's day from a started job: ``start`` becomes that
    job's place and the shift starts at its (possibly overrun) end.
    """

    id: str
    start: str
    end: str
    shift: tuple[int, int]
    skills: frozenset[str]
    max_jobs: int | None = None
    break_: Break | None = None

    def __post_init__(self) -> None:
        if self.shift[1] < self.shift[0]:
            raise ValueError(f"technician {self.id}: shift ends before it starts")
        if self.max_jobs is not None and self.max_jobs < 0:
            raise ValueError(f"technician {self.id}: max_jobs must be >= 0")


@dataclass(frozen=True, slots=True)
class Job:
    """An appointment: the service must *start* inside ``window`` (both ends inclusive).

    ``technician`` pins the job to one technician (a dispatcher's choice or a started job).
    A window that ends before it starts is kept: such a job can never be served and the
    solver lists it as unassigned with a reason (issue 16); it is not a malformed file.
    """

    id: str
    location: str
    window: tuple[int, int]
    service_min: int
    skill: str
    tier: Tier
    technician: str | None = None

    @property
    def window_inverted(self) -> bool:
        """Whether the window ends before it starts (never servable)."""
        return self.window[1] < self.window[0]

    def __post_init__(self) -> None:
        if self.service_min < 0:
            raise ValueError(f"job {self.id}: service_min must be >= 0")


@dataclass(frozen=True, slots=True, eq=False)
class TravelMatrix:
    """Travel minutes and km between named locations (square, same order)."""

    locations: tuple[str, ...]
    minutes: FloatMatrix
    km: FloatMatrix
    index: dict[str, int] = field(init=False)
    # Whole minutes as nested lists: the route timing reads them millions of times, and a
    # list lookup is many times faster than indexing a numpy array element by element.
    _whole: list[list[int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        import numpy as np

        n = len(self.locations)
        if self.minutes.shape != (n, n) or self.km.shape != (n, n):
            raise ValueError(f"travel matrices must be {n}x{n}")
        object.__setattr__(self, "index", {loc: i for i, loc in enumerate(self.locations)})
        whole = np.ceil(np.asarray(self.minutes, dtype=np.float64) - 1e-9).astype(np.int64)
        object.__setattr__(self, "_whole", whole.tolist())

    def travel(self, a: str, b: str) -> int:
        """Whole travel minutes from ``a`` to ``b``, rounded up (never optimistic)."""
        return self._whole[self.index[a]][self.index[b]]

    def dist(self, a: str, b: str) -> float:
        """Kilometres from ``a`` to ``b``."""
        return float(self.km[self.index[a], self.index[b]])


@dataclass(frozen=True, slots=True)
class Problem:
    """One service area's day."""

    date: str
    technicians: tuple[Technician, ...]
    jobs: tuple[Job, ...]
    travel: TravelMatrix
