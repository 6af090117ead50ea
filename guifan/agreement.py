"""Agreement between evaluators (calibration): Krippendorff's alpha and pairwise agreement.

Pure: no Django. The evaluation app adapts its rows to a matrix of coders x units (one row
per evaluator, one column per question of the form, ``None`` where a question was left out)
and calls these functions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Literal

import krippendorff
import numpy as np

Level = Literal["nominal", "ordinal", "interval", "ratio"]
Matrix = Sequence[Sequence[float | None]]


def alpha(ratings: Matrix, *, level: Level = "interval") -> float | None:
    """Krippendorff's alpha of ``ratings`` (coders x units; None = not rated).

    None when alpha is not defined: fewer than two coders, no unit rated by two coders, or
    every pairable value the same (no expected disagreement).
    """
    if len(ratings) < 2:
        return None
    data = np.array(
        [[math.nan if v is None else float(v) for v in row] for row in ratings], dtype=float
    )
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    if not pairable.any():
        return None
    values = data[:, pairable]
    values = values[~np.isnan(values)]
    if np.unique(values).size < 2:
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def pairwise_agreement(values: Sequence[float | None], *, tolerance: float = 0.0) -> float | None:
    """The share of evaluator pairs whose answers to one question agree (within ``tolerance``)."""
    given = [v for v in values if v is not None]
    pairs = list(itertools.combinations(given, 2))
    if not pairs:
        return None
    return sum(1 for a, b in pairs if abs(a - b) <= tolerance) / len(pairs)
