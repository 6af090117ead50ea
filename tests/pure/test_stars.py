"""STAR-01 levels and STAR-02 quotas from the catalog (pure)."""

from __future__ import annotations

from guifan.norms import NormSet
from guifan.norms.stars import StarFacts, entitlement_quota, star_level

NS = NormSet()


def facts(growth: list[int], **over: object) -> StarFacts:
    base: dict[str, object] = {
        "products": {"mobile": 2, "broadband": 1},
        "enterprise_broadband": 0,
        "enterprise_certificate": False,
        "growth": growth,
    }
    base.update(over)
    return StarFacts(**base)  # type: ignore[arg-type]


def test_the_level_is_the_highest_threshold_the_window_reaches():
    assert star_level(facts([0] * 12), NS).level == 0
    assert star_level(facts([50] * 12), NS).level == 2  # 600
    assert star_level(facts([1000] * 12), NS).level == 7  # 12000
    assert star_level(facts([299] * 12), NS).level == 4  # 3588 < 3600


def test_only_the_last_window_months_count():
    old_and_new = [5000] * 6 + [100] * 12
    result = star_level(facts(old_and_new), NS)
    assert (result.growth, result.level) == (1200, 3)
    ns = NormSet({("STAR-01", "window_months"): 3})
    assert star_level(facts(old_and_new), ns).growth == 300


def test_the_seed_exclusions_rate_nobody():
    assert (
        "政企单位证件" in star_level(facts([1000] * 12, enterprise_certificate=True), NS).excluded
    )
    assert star_level(facts([1000] * 12, enterprise_broadband=1), NS).level == 0
    over = star_level(facts([1000] * 12, products={"mobile": 11}), NS)
    assert over.level == 0 and "超过 10 个" in over.excluded
    at_cap = star_level(facts([1000] * 12, products={"mobile": 10, "itv": 5}), NS)
    assert at_cap.level == 7 and at_cap.excluded == ""


def test_quotas_follow_the_seed_per_level():
    assert entitlement_quota(7, "move", NS) == 1
    assert entitlement_quota(6, "move", NS) is None
    assert entitlement_quota(5, "wireless_networking", NS) == 1
    assert entitlement_quota(4, "wireless_networking", NS) is None
    assert entitlement_quota(5, "sim_replacement", NS) == 2
    assert entitlement_quota(4, "sim_replacement", NS) is None
