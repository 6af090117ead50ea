"""The hall's calling policy (pure): which waiting customer a free counter calls next.

The default, ``"slack"``, calls the customer who has used the largest share of their class's
target wait (HAL-02: 8 / 15 / 30 minutes for 6-7-star, 5-star and other customers). A fresh
6-7-star customer beats a fresh normal one (0/8 ties 0/30; the shorter target wins the tie),
a 6-7-star customer who waited 4 minutes (50 %) beats a normal one who waited 10 (33 %), but a
normal customer who waited 25 minutes (83 %) beats a 6-7-star one who just arrived: no class
starves. Within a class the oldest ticket is always the one with the largest share, so only the
head of each class's queue is compared. ``"priority"`` (strict star first) and ``"fifo"``
exist for comparison in the bench.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from guifan.norms import NormSet

Policy = Literal["slack", "priority", "fifo"]

#: The classes of the ``guifan hall plan`` CSV, highest priority first.
CLASSES: tuple[str, ...] = ("star67", "star5", "normal")

#: CSV class -> key of HAL-02 ``max_wait_minutes``.
HAL02_KEYS: Mapping[str, str] = {"star67": "star_6_7", "star5": "star_5", "normal": "others"}


def targets_from_norms(norms: NormSet) -> dict[str, float]:
    """Target wait per class in minutes, read from HAL-02 ``max_wait_minutes``.

    Parameters
    ----------
    norms
        The norm snapshot.

    Returns
    -------
    dict
        ``{"star67": 8.0, "star5": 15.0, "normal": 30.0}`` with the default catalog.
    """
    limits = norms.param("HAL-02", "max_wait_minutes")
    return {cls: float(limits[key]) for cls, key in HAL02_KEYS.items()}


def call_next(
    now: float,
    oldest: Mapping[str, float | None],
    targets: Mapping[str, float],
    policy: Policy = "slack",
) -> str | None:
    """Pick the class whose oldest waiting customer a free counter calls next.

    Parameters
    ----------
    now
        Current time (minutes).
    oldest
        Per class, the ticket time of its oldest waiting customer, or ``None`` if nobody of
        that class waits.
    targets
        Per class, the target wait in minutes (``> 0``).
    policy
        ``"slack"``: largest ``waited / target``; ``"priority"``: shortest target first;
        ``"fifo"``: oldest ticket. Ties go to the shorter target, then to the older ticket,
        then to the class name, so the choice is deterministic.

    Returns
    -------
    str or None
        The class to call, or ``None`` when nobody waits.
    """
    best: str | None = None
    best_key: tuple[float, float, float, str] | None = None
    for cls, since in oldest.items():
        if since is None:
            continue
        target = targets[cls]
        if policy == "slack":
            first = -(now - since) / target
        elif policy == "priority":
            first = target
        elif policy == "fifo":
            first = since
        else:
            raise ValueError(f"unknown policy {policy!r}")
        key = (first, target, since, cls)
        if best_key is None or key < best_key:
            best, best_key = cls, key
    return best
