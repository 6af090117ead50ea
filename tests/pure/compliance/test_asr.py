"""Forbidden phrases spelled by speech recognition: homophones and similar shapes (ADR 0023)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from guifan.compliance.asr import phrase_readings, readings, shapes_builtin, shapes_load
from guifan.compliance.checker import Checker, checker_build
from guifan.compliance.phrases import CatalogError, catalog_from_dict, catalog_load


def found(checker: Checker, text: str) -> list[tuple[str, str, str]]:
    out = []
    for f in checker.find(text):
        assert text[f.start : f.end] == f.text
        out.append((f.text, f.phrase, f.variant))
    return out


@pytest.mark.parametrize(
    ("said", "as_said", "phrase", "variant"),
    [
        # The example: an added 太 and a homophone 青 for 清.
        ("这个我也不太青楚，您去问别人", "我也不太青楚", "我也不清楚", "homophone"),
        ("我也不青楚", "我也不青楚", "我也不清楚", "homophone"),
        ("您稍等，服务用护太多了", "服务用护太多", "服务用户太多", "homophone"),
        (
            "这个问题不是我门的职责范围",
            "这个问题不是我门的职责范围",
            "这个问题不是我们的职责范围",
            "homophone",
        ),
        (
            "刚才跟你说锅了，怎么还问？",
            "刚才跟你说锅了，怎么还问",
            "刚才跟你说过了,怎么还问?",
            "homophone",
        ),
        # A similar-shape character (睛 for 清 is on one line of the shape table).
        ("我也不睛楚", "我也不睛楚", "我也不清楚", "shape"),
        (
            "您这个问题不是我们的职贫范围",
            "这个问题不是我们的职贫范围",
            "这个问题不是我们的职责范围",
            "shape",
        ),
        # Both in a long phrase.
        (
            "我们营业厅解决不了您这个问提",
            "我们营业厅解决不了您这个问提",
            "我们营业厅解决不了你这个问题",
            "homophone",
        ),
        (
            "我门营业厅解决不了您这个问提",
            "我门营业厅解决不了您这个问提",
            "我们营业厅解决不了你这个问题",
            "homophone",
        ),
        (
            "这个问题不是我门的职负范围",
            "这个问题不是我门的职负范围",
            "这个问题不是我们的职责范围",
            "mixed",
        ),
    ],
)
def test_asr_spelling_is_found_with_its_variant(checker, said, as_said, phrase, variant):
    assert found(checker, said) == [(as_said, phrase, variant)]


@pytest.mark.parametrize(
    "said",
    [
        # Two homophones in a five-character phrase: 我怎么指导 is ordinary speech.
        "我怎么指导您操作比较好",
        # A negation is never a substitution: 不 → 步 reverses nothing but is not allowed.
        "我也步清楚",
        # Across punctuation the phrase has none of.
        "不关我的，是您的",
        # Sounds alike but is another sentence.
        "我也不轻松",
        "服务用户态度好",
        # Quoted, as the wording rule says.
        "您说的“我也不青楚”这句话我们会处理",
    ],
)
def test_sounds_alike_is_not_a_finding(checker, said):
    assert found(checker, said) == []


def test_exact_and_wording_findings_carry_no_variant_key(checker):
    assert "variant" not in checker.find("我也不清楚")[0].as_json()
    assert "variant" not in checker.find("我也不太清楚")[0].as_json()
    assert checker.find("我也不青楚")[0].as_json()["variant"] == "homophone"


def test_polyphones_use_the_phrase_reading_in_context():
    # 得 reads de in 说得很清楚; 还 reads hai in 怎么还问.
    assert phrase_readings("说得很清楚")[1] == "de"
    assert phrase_readings("怎么还问")[2] == "hai"
    assert {"hai", "huan"} <= readings("还")


def test_shape_table_is_symmetric_and_large():
    shapes = shapes_builtin()
    assert len(shapes) > 2000
    assert "情" in shapes["清"] and "清" in shapes["情"]
    assert shapes_load("# comment\n甲\t乙\n") == {"甲": frozenset("乙"), "乙": frozenset("甲")}


def test_asr_can_be_switched_off():
    catalog = catalog_load()
    off = replace(
        catalog,
        matching=replace(catalog.matching, asr=replace(catalog.matching.asr, enabled=False)),
    )
    assert checker_build(off).find("我也不青楚") == ()


@pytest.mark.parametrize(
    ("asr", "field"),
    [
        ({"min_length": 3}, "min_length"),
        ({"chars_per_sub": 1}, "chars_per_sub"),
        ({"enabled": "yes"}, "enabled"),
        ([], "asr"),
    ],
)
def test_bad_asr_settings_name_the_field(asr, field):
    with pytest.raises(CatalogError, match=field):
        catalog_from_dict({"courtesy": {"words": []}, "matching": {"asr": asr}})
