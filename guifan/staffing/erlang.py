"""Erlang C and a multi-class (priority) M/M/c approximation (pure).

Units: rates per minute, times in minutes, offered load ``a = sum(rate * service)`` in Erlangs.

Formulas
--------
* **Erlang C** (FCFS M/M/c): ``C(c, a)`` from the Erlang B recursion
  ``B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1))`` and ``C = c B / (c - a (1 - B))``;
  mean wait ``W = C / (c mu - lambda)`` and ``P(W > t) = C exp(-(c mu - lambda) t)``.
* **Classes** (``class_waits``): the mean queueing delay of each class under a
  non-preemptive, work-conserving discipline is computed for a single server ``c`` times
  faster (an M/G/1 with exponential services of mean ``s_k / c``) and scaled by the ratio of
  the FCFS M/G/c wait to that M/G/1's FCFS wait (Bondi and Buzen, 1984). The FCFS M/G/c wait
  is the M/M/c wait at the mix's mean service times Allen-Cunneen's ``(1 + scv) / 2``, ``scv``
  the squared coefficient of variation of the mix of exponential services (1, so no change,
  when all classes share a mean service time). Disciplines:

  - ``"priority"``: strict non-preemptive priority, Cobham's formula
    ``W_k = W0 / ((1 - sigma_{k-1}) (1 - sigma_k))`` with ``sigma_k`` the load of classes
    ``1..k`` (``1`` = highest priority) and ``W0 = sum(lambda_i E[S_i^2]) / 2``.
  - ``"slack"``: the hall's policy (``guifan.staffing.policy``): the waiting customer with the
    largest share of its class's target already waited is called first. That is Kleinrock's
    delay-dependent priority (1964) with slopes ``b_k = 1 / target_k``; with classes sorted by
    ascending ``b``: ``W_p = (W_F - sum_{i<p} rho_i W_i (1 - b_i/b_p)) /
    (1 - sum_{i>p} rho_i (1 - b_p/b_i))``, ``W_F = W0 / (1 - rho)``.
  - ``"fifo"``: every class waits the FCFS wait.

  Assumptions: Poisson arrivals per class, exponential services, infinite patience (no
  abandonment), steady state (``a < c``). With equal mean service times across classes the
  means are exact (a queued customer then releases a server every ``1 / (c mu)`` minutes on
  average, whatever its class); with unequal means they are the Bondi-Buzen and Allen-Cunneen
  approximations.
* **Tail** (``within_target``): an arriving customer of any class waits iff all counters are
  busy (PASTA, work-conserving), so ``P(W_k > 0) = C``; the conditional wait is taken as
  exponential with mean ``W_k / C``, giving ``P(W_k <= t) = 1 - C exp(-C t / W_k)``. Exact for
  FCFS; for the priority disciplines it is a two-moment approximation (the slack policy trims
  the long tails, so the true share within target is usually higher: see ``docs/staffing.md``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Discipline = Literal["slack", "priority", "fifo"]


@dataclass(frozen=True, slots=True)
class ClassLoad:
    """One customer class in one interval.

    Parameters
    ----------
    name
        Class name (``star67``, ``star5``, ``normal``).
    rate
        Arrivals per minute (``>= 0``).
    service
        Mean service minutes (``> 0``), exponential.
    target
        Target wait in minutes (HAL-02), ``> 0``; also the class's priority rank: a shorter
        target means a higher priority.
    """

    name: str
    rate: float
    service: float
    target: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.rate) and self.rate >= 0):
            raise ValueError(f"{self.name}: rate must be finite and >= 0, got {self.rate}")
        if not (math.isfinite(self.service) and self.service > 0):
            raise ValueError(f"{self.name}: service must be finite and > 0, got {self.service}")
        if not (math.isfinite(self.target) and self.target > 0):
            raise ValueError(f"{self.name}: target must be > 0, got {self.target}")

    @property
    def load(self) -> float:
        """Offered load of the class in Erlangs."""
        return self.rate * self.service


@dataclass(frozen=True, slots=True)
class ClassWait:
    """Predicted waiting (ticket to start of service) of one class.

    Parameters
    ----------
    name
        Class name.
    mean_wait
        Mean wait in minutes.
    within_target
        Share of the class whose service starts within its target.
    """

    name: str
    mean_wait: float
    within_target: float


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of M/M/c/c (Erlang B) by the stable recursion.

    Parameters
    ----------
    c
        Number of servers, ``>= 0``.
    a
        Offered load in Erlangs, ``>= 0``.

    Returns
    -------
    float
        ``B(c, a)``.
    """
    if c < 0 or a < 0:
        raise ValueError(f"need c >= 0 and a >= 0, got c={c}, a={a}")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits in M/M/c (Erlang C).

    Parameters
    ----------
    c
        Number of servers, ``>= 1``.
    a
        Offered load in Erlangs; ``a >= c`` (unstable) gives 1.

    Returns
    -------
    float
        ``C(c, a)``.
    """
    if c < 1:
        raise ValueError(f"need c >= 1, got {c}")
    if a >= c:
        return 1.0
    if a <= 0:
        return 0.0
    b = erlang_b(c, a)
    return c * b / (c - a * (1.0 - b))


def fcfs_mean_wait(c: int, a: float, service: float) -> float:
    """Mean wait in FCFS M/M/c: ``C / (c mu - lambda)`` (``inf`` when ``a >= c``)."""
    if a >= c:
        return math.inf
    return erlang_c(c, a) * service / (c - a)


def fcfs_wait_within(c: int, a: float, service: float, t: float) -> float:
    """``P(W <= t)`` in FCFS M/M/c: ``1 - C exp(-(c - a) t / service)``."""
    if a >= c:
        return 0.0
    return 1.0 - erlang_c(c, a) * math.exp(-(c - a) * t / service)


def class_waits(
    classes: Sequence[ClassLoad], c: int, discipline: Discipline = "slack"
) -> tuple[ClassWait, ...]:
    """Mean wait and share within target per class on ``c`` counters (see the module doc).

    A class with no arrivals gets the values a single customer of that class would see (the
    limit of a vanishing rate), so an empty class still says what its wait would be.

    Parameters
    ----------
    classes
        The classes of the interval; at least one.
    c
        Number of counters, ``>= 1``.
    discipline
        ``"slack"`` (the hall's policy), ``"priority"`` (strict) or ``"fifo"``.

    Returns
    -------
    tuple of ClassWait
        In the order of ``classes``. With ``a >= c`` every wait is ``inf`` and every share 0.
    """
    if c < 1:
        raise ValueError(f"need c >= 1, got {c}")
    a = sum(k.load for k in classes)
    if a >= c:
        return tuple(ClassWait(k.name, math.inf, 0.0) for k in classes)
    if a <= 0:
        return tuple(ClassWait(k.name, 0.0, 1.0) for k in classes)
    means = _mean_waits(classes, c, a, discipline)
    prob_wait = erlang_c(c, a)
    out = []
    for k, w in zip(classes, means, strict=True):
        within = 1.0 if w <= 0 else 1.0 - prob_wait * math.exp(-prob_wait * k.target / w)
        out.append(ClassWait(k.name, w, within))
    return tuple(out)


def _mean_waits(
    classes: Sequence[ClassLoad], c: int, a: float, discipline: Discipline
) -> list[float]:
    rate = sum(k.rate for k in classes)
    service = a / rate  # the mix's mean service time
    # The mix of exponentials is more variable than one exponential: Allen-Cunneen's factor
    # (1 + scv) / 2 with scv = E[S^2] / E[S]^2 - 1 (1 when all classes share a mean service).
    second = sum(k.rate * 2.0 * k.service**2 for k in classes) / rate
    scv = second / service**2 - 1.0
    w_mmc = fcfs_mean_wait(c, a, service) * (1.0 + scv) / 2.0
    if discipline == "fifo":
        return [w_mmc] * len(classes)
    rho = a / c
    # M/G/1 with exponential services of mean s/c: E[S^2] = 2 (s/c)^2.
    w0 = sum(k.rate * (k.service / c) ** 2 for k in classes)
    w_fast = w0 / (1.0 - rho)
    scale = w_mmc / w_fast  # Bondi-Buzen: M/G/c FCFS over M/G/1 FCFS
    rhos = [k.load / c for k in classes]
    if discipline == "priority":
        waits = _cobham(classes, rhos, w0)
    elif discipline == "slack":
        waits = _kleinrock(classes, rhos, w_fast)
    else:
        raise ValueError(f"unknown discipline {discipline!r}")
    return [w * scale for w in waits]


def _cobham(classes: Sequence[ClassLoad], rhos: Sequence[float], w0: float) -> list[float]:
    order = sorted(range(len(classes)), key=lambda i: classes[i].target)
    waits = [0.0] * len(classes)
    sigma = 0.0
    for i in order:
        before = sigma
        sigma += rhos[i]
        waits[i] = w0 / ((1.0 - before) * (1.0 - sigma))
    return waits


def _kleinrock(classes: Sequence[ClassLoad], rhos: Sequence[float], w_fcfs: float) -> list[float]:
    # Slopes b = 1 / target; lowest priority (smallest b, longest target) first, since each
    # class's formula needs the waits of the classes below it.
    order = sorted(range(len(classes)), key=lambda i: -classes[i].target)
    b = [1.0 / k.target for k in classes]
    waits = [0.0] * len(classes)
    for pos, p in enumerate(order):
        lower = sum(rhos[i] * waits[i] * (1.0 - b[i] / b[p]) for i in order[:pos])
        higher = sum(rhos[i] * (1.0 - b[p] / b[i]) for i in order[pos + 1 :])
        waits[p] = (w_fcfs - lower) / (1.0 - higher)
    return waits
