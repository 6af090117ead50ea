from __future__ import annotations

import re
from pathlib import Path

import pytest

from guifan.norms import NormSet, catalog, norm_get

NORMS_MD = Path(__file__).resolve().parents[3] / "shared" / "NORMS.md"


def test_catalog_holds_every_norm_id_of_norms_md():
    ids = [n.id for n in catalog()]
    assert len(ids) == 89
    assert len(set(ids)) == 89
    if NORMS_MD.exists():
        in_md = re.findall(r"^\| ([A-Z]+-\d+) \|", NORMS_MD.read_text("utf-8"), re.M)
        assert ids == in_md


def test_parameters_carry_typed_defaults():
    assert norm_get("APT-02").param("deadline_hours").default == {
        "diamond": 2,
        "gold": 4,
        "silver": 8,
        "normal": 24,
    }
    assert norm_get("APT-03").param("quiet_start").default == "20:00"
    assert norm_get("HAL-09").param("temperature_c").default == [17, 27]


def test_normset_overrides_win_over_defaults():
    ns = NormSet({("APT-03", "min_lead_hours"): 48})
    assert ns.param("APT-03", "min_lead_hours") == 48
    assert NormSet().param("APT-03", "min_lead_hours") == 24


def test_unknown_norm_is_an_error():
    with pytest.raises(KeyError, match="ZZZ-1"):
        norm_get("ZZZ-1")
