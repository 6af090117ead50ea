"""Star levels (STAR-01) and yearly entitlement quotas (STAR-02), from catalog parameters.

Pure: the Django app `guifan.apps.stars` feeds it what the CRM sent and stores what it says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from guifan.norms.catalog import NormSet

PRODUCT_TYPES = ("mobile", "fixed", "broadband", "itv")
# What the caps of STAR-01 are called in the catalog, per product type.
CAP_PARAM = {
    "mobile": "max_mobile",
    "fixed": "max_fixed",
    "broadband": "max_broadband",
    "itv": "max_itv",
}
PRODUCT_LABEL = {"mobile": "移动", "fixed": "固话", "broadband": "宽带", "itv": "电视"}
ENTITLEMENTS = ("wireless_networking", "other_terminal_install", "move", "sim_replacement")
ENTITLEMENT_LABEL = {
    "wireless_networking": "无线组网",
    "other_terminal_install": "代装其他终端",
    "move": "移机",
    "sim_replacement": "免费补卡",
}


@dataclass(frozen=True, slots=True)
class StarFacts:
    """What the CRM knows about one real-name customer."""

    products: Mapping[str, int]  # product type -> count under the name
    enterprise_broadband: int  # 政企宽带 under the name
    enterprise_certificate: bool  # registered with an enterprise (政企单位) certificate
    growth: Sequence[int]  # monthly growth values inside the window, newest last


@dataclass(frozen=True, slots=True)
class StarLevel:
    level: int
    growth: int
    excluded: str  # why the customer takes no part in the rating ("" when rated)
    # The same as a reason's arguments (guifan.norms.reasons.hall): ``star_exclusion``, or
    # ``star_product`` and ``cap`` for a product over its cap; empty when rated.
    exclusion: Mapping[str, str | int] = field(default_factory=dict)


def star_level(facts: StarFacts, ns: NormSet) -> StarLevel:
    """The level from the last ``window_months`` of growth, or 0 with the exclusion."""
    window = int(ns.param("STAR-01", "window_months"))
    growth = sum(facts.growth[-window:]) if window > 0 else 0
    if facts.enterprise_certificate:
        why = {"star_exclusion": "enterprise_certificate"}
        return StarLevel(0, growth, "政企单位证件用户不参与评级", why)
    if facts.enterprise_broadband > 0:
        why = {"star_exclusion": "enterprise_broadband"}
        return StarLevel(0, growth, "政企宽带不参与评级", why)
    for kind in PRODUCT_TYPES:
        cap = int(ns.param("STAR-01", CAP_PARAM[kind]))
        if facts.products.get(kind, 0) > cap:
            text = f"名下{PRODUCT_LABEL[kind]}产品超过 {cap} 个，不参与评级"
            return StarLevel(0, growth, text, {"star_product": kind, "cap": cap})
    thresholds = {int(k): int(v) for k, v in ns.param("STAR-01", "growth_thresholds").items()}
    level = max((lv for lv, floor in thresholds.items() if growth >= floor), default=0)
    return StarLevel(level, growth, "")


def entitlement_quota(level: int, kind: str, ns: NormSet) -> int | None:
    """Free uses a year of ``kind`` at ``level``; None when the level does not carry it."""
    if kind == "sim_replacement":
        if level >= int(ns.param("STAR-02", "free_sim_min_level")):
            return int(ns.param("STAR-02", "free_sim_replacements_per_year"))
        return None
    table = ns.param("STAR-02", "onsite_quota_per_year")
    key = "star_7" if level >= 7 else "star_5_6" if level >= 5 else ""
    quota = table.get(key, {}).get(kind) if key else None
    return int(quota) if quota is not None else None


FIELD_TIERS = ("diamond", "gold", "silver", "normal")  # highest first (DSP-01's tier_order)


def field_tier_for_star(level: int, ns: NormSet) -> str:
    """The field tier (APT-02, DSP-01) a star level maps to; ``normal`` when not listed."""
    table = ns.param("APT-02", "star_to_field_tier")
    tier = str(table.get(str(level), "normal"))
    return tier if tier in FIELD_TIERS else "normal"


def field_tier_at_least(tier: str, floor: str) -> str:
    """The higher of two field tiers (an unknown tier counts as normal)."""

    def rank(t: str) -> int:
        return FIELD_TIERS.index(t) if t in FIELD_TIERS else len(FIELD_TIERS) - 1

    return tier if rank(tier) <= rank(floor) else floor
