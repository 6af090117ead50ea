from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest

from guifan.compliance.checker import checker_build
from guifan.compliance.phrases import CatalogError, catalog_extend, catalog_from_dict, catalog_load

NORMS_MD = Path(__file__).resolve().parents[4] / "shared" / "NORMS.md"


def test_catalog_holds_the_sixteen_forbidden_phrases_with_sources():
    catalog = catalog_load()
    assert len(catalog.forbidden) == 16
    assert {p.norm for p in catalog.forbidden} == {"LNG-02"}
    assert all(p.source.endswith(".txt") for p in catalog.forbidden)
    assert len({p.phrase for p in catalog.forbidden}) == 16


def test_phrase_is_the_seed_text_in_simplified_chinese():
    t2s = opencc.OpenCC("t2s")
    for p in catalog_load().forbidden:
        assert p.phrase == t2s.convert(p.seed_text)
    phrases = {p.phrase for p in catalog_load().forbidden}
    assert "这个问题不是我们的职责范围" in phrases
    assert "服务用户太多" in phrases


def test_seed_texts_match_norms_md_verbatim():
    if not NORMS_MD.exists():
        pytest.skip("shared NORMS.md not present")
    section = NORMS_MD.read_text("utf-8").split("## Forbidden phrases")[1].split("## Courtesy")[0]
    rows = re.findall(r"^\| \d+ \| (.*?) \| (\S+\.txt) \|", section, re.M)
    assert [(p.seed_text, p.source) for p in catalog_load().forbidden] == rows


def test_courtesy_words_and_channels_follow_the_norms():
    catalog = catalog_load()
    assert [w.word for w in catalog.courtesy] == ["您好", "请", "对不起", "谢谢", "再见"]
    assert catalog.channels["phone"].required == (
        "greeting",
        "self_introduction",
        "confirm_person",
        "reason",
        "confirm_time",
        "thanks",
        "farewell",
    )
    assert catalog.channels["hall"].norm == "LNG-06"
    assert set(catalog.channels) == {"phone", "visit", "hall"}


def test_supervisor_adds_a_phrase_and_a_variant():
    catalog = catalog_extend(
        catalog_load(),
        {
            "forbidden": [
                {"phrase": "爱办不办", "note": "contempt"},
                {"phrase": "我也不清楚", "variants": ["我也搞不明白"]},
            ]
        },
    )
    checker = checker_build(catalog)
    said = checker.find("爱办不办，随便你。我也搞不明白。")
    assert [(f.text, f.phrase) for f in said] == [
        ("爱办不办", "爱办不办"),
        ("我也搞不明白", "我也不清楚"),
    ]
    assert len(catalog.forbidden) == 17


def test_malformed_catalog_names_the_field():
    with pytest.raises(CatalogError, match=r"forbidden\[0\]\.phrase"):
        catalog_extend(catalog_load(), {"forbidden": [{"variants": ["x"]}]})
    with pytest.raises(CatalogError, match="unknown element 'nope'"):
        catalog_from_dict(
            {
                "courtesy": {"words": []},
                "elements": {},
                "channels": {"phone": {"required": ["nope"]}},
            }
        )
