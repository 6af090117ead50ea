"""Krippendorff's alpha and pairwise agreement (guifan.agreement, no Django)."""

from __future__ import annotations

import math

import pytest

from guifan.agreement import alpha, pairwise_agreement

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the example with three
# coders, 15 units and missing values: nominal 0.691, interval 0.811.
N = None
KRIPPENDORFF_2011 = [
    [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
    [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
    [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
]


def test_alpha_matches_the_published_example():
    assert alpha(KRIPPENDORFF_2011, level="nominal") == pytest.approx(0.691, abs=1e-3)
    assert alpha(KRIPPENDORFF_2011, level="interval") == pytest.approx(0.811, abs=1e-3)


def test_full_agreement_with_variation_is_one():
    assert alpha([[1, 0, 0.5, 1], [1, 0, 0.5, 1], [1, 0, 0.5, 1]]) == pytest.approx(1.0)


def test_alpha_is_undefined_without_two_coders_or_without_variation():
    assert alpha([[1, 0, 1]]) is None
    assert alpha([[1, 1, 1], [1, 1, 1]]) is None  # no expected disagreement
    assert alpha([[1, N], [N, 0]]) is None  # no unit rated twice


def test_disagreement_lowers_alpha():
    a = alpha([[1, 0, 1, 0.5], [0, 1, 1, 0.5]])
    assert a is not None and not math.isnan(a) and a < 0.5


def test_pairwise_agreement_counts_pairs():
    assert pairwise_agreement([1, 1, 0]) == pytest.approx(1 / 3)
    assert pairwise_agreement([1, N]) is None
    assert pairwise_agreement([3, 4], tolerance=1) == 1.0
