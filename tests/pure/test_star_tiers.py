"""The star → field tier map (APT-02 ``star_to_field_tier``) and the higher of two tiers."""

from __future__ import annotations

import pytest

from guifan.norms import NormSet
from guifan.norms.stars import field_tier_at_least, field_tier_for_star


@pytest.mark.parametrize(
    ("level", "tier"),
    [(7, "diamond"), (6, "gold"), (5, "silver"), (4, "normal"), (1, "normal"), (0, "normal")],
)
def test_the_catalog_default_maps_seed_004s_groups(level, tier):
    assert field_tier_for_star(level, NormSet()) == tier


def test_an_edited_map_and_an_unknown_tier():
    ns = NormSet({("APT-02", "star_to_field_tier"): {"5": "gold", "6": "platinum"}})
    assert (field_tier_for_star(5, ns), field_tier_for_star(6, ns)) == ("gold", "normal")


@pytest.mark.parametrize(
    ("tier", "floor", "out"),
    [("normal", "diamond", "diamond"), ("gold", "silver", "gold"), ("bogus", "silver", "silver")],
)
def test_the_higher_tier_wins(tier, floor, out):
    assert field_tier_at_least(tier, floor) == out
