"""The catalog's Chinese texts: built from scripts/norms_zh.toml, complete, full-width."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from guifan.norms import catalog, norm_get
from guifan.norms.punct import fullwidth, half_width_report, half_width_spots

ROOT = Path(__file__).resolve().parents[2]
# ../shared/NORMS.md beside the checkout (or beside the folder of worktrees).
NORMS_MD = next(
    (
        p
        for p in (ROOT.parent / "shared" / "NORMS.md", ROOT.parents[1] / "shared" / "NORMS.md")
        if p.exists()
    ),
    ROOT.parent / "shared" / "NORMS.md",
)


def _script() -> Any:
    spec = importlib.util.spec_from_file_location(
        "build_norm_catalog", ROOT / "scripts" / "build_norm_catalog.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


build = _script()


def _shipped() -> list[dict[str, Any]]:
    text = resources.files("guifan.norms").joinpath("catalog.json").read_text("utf-8")
    return json.loads(text)["norms"]


def _english_only() -> list[dict[str, Any]]:
    """The shipped catalog without its Chinese fields (what parse() gives from NORMS.md)."""
    norms = copy.deepcopy(_shipped())
    for n in norms:
        n.pop("applies_to_zh")
        n.pop("rule_zh")
        for p in n["params"]:
            p.pop("label_zh")
            p.pop("value_zh", None)
    return norms


def test_every_norm_and_parameter_has_its_chinese_text() -> None:
    for n in catalog():
        assert n.applies_to_zh and n.rule_zh, n.id
        for p in n.params:
            assert p.label_zh, f"{n.id} {p.name}"
            assert p.name not in p.label_zh


def test_chinese_texts_come_from_the_seeds_wording() -> None:
    dsp04 = norm_get("DSP-04")
    assert "15 分钟" in dsp04.rule_zh and "服务用户太多" in dsp04.rule_zh
    assert dsp04.param("late_call_lead_minutes").label_zh == "迟到须提前致电"
    assert norm_get("ORD-01").param("required_fields").value_zh.startswith("客户姓名、地址")


def test_merge_adds_only_the_chinese_fields() -> None:
    merged = build.merge_zh(_english_only(), build.load_zh())
    assert merged == _shipped()


@pytest.mark.skipif(not NORMS_MD.exists(), reason="needs ../shared/NORMS.md")
def test_the_script_rebuilds_the_shipped_catalog() -> None:
    built = build.build(NORMS_MD.read_text("utf-8"), build.load_zh())
    assert built == _shipped()


def test_a_norm_without_chinese_text_fails_the_build_naming_it() -> None:
    zh = build.load_zh()
    del zh["DSP-04"]
    with pytest.raises(build.MissingChinese, match=r"DSP-04: no Chinese text"):
        build.merge_zh(_english_only(), zh)


def test_a_missing_rule_fails_naming_norm_and_field() -> None:
    zh = build.load_zh()
    del zh["APT-03"]["rule"]
    with pytest.raises(build.MissingChinese, match=r"APT-03 rule: no Chinese text"):
        build.merge_zh(_english_only(), zh)


def test_a_parameter_without_label_fails_naming_it() -> None:
    zh = build.load_zh()
    del zh["DSP-04"]["labels"]["late_call_lead_minutes"]
    with pytest.raises(build.MissingChinese, match=r"DSP-04 parameter late_call_lead_minutes"):
        build.merge_zh(_english_only(), zh)


def test_an_extra_param_needs_a_label_too() -> None:
    zh = build.load_zh()
    del zh["HAL-03"]["labels"]["action_minutes"]  # added by EXTRA_PARAMS, not by NORMS.md
    with pytest.raises(build.MissingChinese, match=r"HAL-03 parameter action_minutes label"):
        build.merge_zh(_english_only(), zh)


def test_an_english_default_needs_a_chinese_reading() -> None:
    zh = build.load_zh()
    del zh["APT-06"]["values"]["reason_codes"]
    with pytest.raises(build.MissingChinese, match=r"APT-06 parameter reason_codes value"):
        build.merge_zh(_english_only(), zh)


def test_an_unknown_norm_or_parameter_in_the_chinese_file_fails() -> None:
    zh = build.load_zh()
    zh["ZZZ-1"] = {"applies_to": "某处", "rule": "某规则"}
    with pytest.raises(build.MissingChinese, match=r"ZZZ-1"):
        build.merge_zh(_english_only(), zh)
    zh = build.load_zh()
    zh["DSP-04"]["labels"]["late_call_minutes"] = "迟到"
    with pytest.raises(build.MissingChinese, match=r"DSP-04 labels.late_call_minutes"):
        build.merge_zh(_english_only(), zh)


def test_half_width_punctuation_in_a_chinese_text_fails_the_build() -> None:
    zh = build.load_zh()
    zh["APT-07"]["rule"] = "上门前约 30 分钟通知客户,并登记。"
    with pytest.raises(build.MissingChinese, match=r"APT-07 rule: half-width.*⟦,⟧"):
        build.merge_zh(_english_only(), zh)


def test_the_build_makes_titles_full_width() -> None:
    assert norm_get("ORD-03").title_zh == "远程优先，限时回访"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("取号繁忙,请重试", ","),
        ("好吧?!", "?!"),
        ("进门前:门禁", ":"),
        ("上门(AM)", "()"),
        ("共%(n)s条(含%(m)s)", "()"),
        ("20:00–08:00", ""),
        ("%(name)s", ""),
        ("Hello, world (en)", ""),
        ("（AM）", ""),
    ],
)
def test_the_punctuation_rule(text: str, flagged: str) -> None:
    assert "".join(text[i] for i in half_width_spots(text)) == flagged
    assert not half_width_report(fullwidth(text))
