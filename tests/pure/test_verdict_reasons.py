"""Verdict reasons are messages with a Chinese and an English text (guifan.norms.reasons)."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from guifan.norms.punct import half_width_spots, has_cjk
from guifan.norms.reasons import LABELS, TEXTS, Reason, reason, reason_text
from guifan.norms.verdict import Verdict

ROOT = Path(__file__).resolve().parents[2] / "guifan"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_each_reason_has_the_same_arguments_in_both_languages(code: str) -> None:
    text = TEXTS[code]
    assert _fields(text.zh) == _fields(text.en), code
    words = "".join(literal for literal, *_ in string.Formatter().parse(text.zh))
    assert has_cjk(text.zh) or not words.strip(), f"{code}: the Chinese text has no Chinese"
    assert not half_width_spots(text.zh), f"{code}: half-width punctuation in {text.zh!r}"
    assert not has_cjk(text.en), f"{code}: Chinese in the English text {text.en!r}"


def test_every_label_has_chinese_and_english() -> None:
    for name, table in LABELS.items():
        for code, label in table.items():
            assert has_cjk(label.zh) and not has_cjk(label.en), (name, code)


def test_a_verdict_keeps_the_chinese_text_and_the_code() -> None:
    code = next(iter(sorted(TEXTS)))
    args = {name: 1 for name in _fields(TEXTS[code].zh)}
    made = reason(code, **args)
    verdict = Verdict.broke("APT-03", made, field="date")
    assert verdict.reason == made.zh()
    assert verdict.message() == {"msg": code, "args": args}
    assert verdict.detail == {"field": "date"}
    assert reason_text(code, args, "en") == made.en()


def test_an_unknown_code_or_a_missing_argument_fails_where_the_rule_is_written() -> None:
    with pytest.raises(KeyError):
        reason("no.such.code")
    with_args = [c for c in sorted(TEXTS) if _fields(TEXTS[c].zh)]
    if with_args:
        with pytest.raises(KeyError):
            reason(with_args[0])


def test_a_row_from_another_version_renders_as_none() -> None:
    assert reason_text("no.such.code", {}, "en") is None
    assert Reason("x").args == {}


def _literal_reason(call: ast.Call) -> bool:
    if len(call.args) >= 2:
        arg: ast.expr | None = call.args[1]
    else:
        arg = next((k.value for k in call.keywords if k.arg == "reason"), None)
    return isinstance(arg, ast.JoinedStr) or (
        isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value != ""
    )


def test_no_rule_writes_its_reason_as_a_string() -> None:
    """A reason written as a string literal would stay Chinese on the English pages."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"keep", "broke"}
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "Verdict"
                and _literal_reason(node)
            ):
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    assert not found, "reasons written as strings:\n" + "\n".join(found)


def test_label_tables_copied_from_a_catalog_keep_its_chinese() -> None:
    """The routine elements (compliance catalog) and the ORD-02 analysis items (norm catalog)
    are named in both languages here; their Chinese must stay the catalog's."""
    from guifan.compliance.phrases import element_label
    from guifan.norms import norm_get

    for code, text in LABELS["routine_elements"].items():
        assert text.zh == element_label(code, zh=True), code
    checklist = norm_get("ORD-02").param("checklist")
    items = LABELS["analysis_items"]
    assert list(items) == list(checklist.default)
    assert "、".join(items[c].zh for c in checklist.default) == checklist.value_zh
    for norm, param, table in (
        ("QA-03", "steps", "missing_steps"),
        ("APT-06", "reason_codes", "change_reason"),
        ("APT-10", "confirm_fields", "missing_fields"),
        ("HAL-05", "priority_groups", "priority_group"),
        ("HAL-11", "playbooks", "playbook"),
    ):
        values, named = norm_get(norm).param(param), LABELS[table]
        assert list(named) == list(values.default), table
        assert "、".join(named[c].zh for c in values.default) == values.value_zh, table


def test_a_work_type_is_named_without_a_doubled_word() -> None:
    from guifan.norms.reasons import work_type_names

    assert work_type_names("broadband_install") == {"zh": "宽带装机", "en": "broadband install"}
    assert work_type_names("appliance_repair") == {"zh": "上门产品维修", "en": "appliance repair"}
    assert work_type_names("iptv_install") == {"zh": "IPTV装机", "en": "IPTV install"}
    assert work_type_names("home_care_care") == {"zh": "居家照护定期上门", "en": "home care visit"}
    assert work_type_names("odd") == {"zh": "odd", "en": "odd"}
    made = reason(
        "stf04.certificate_expired",
        work_type=work_type_names("fixed_line_move"),
        until="2025-05-01",
    )
    assert made.zh() == "固话移机 资格证书已于 2025-05-01 过期"
    assert made.en() == "fixed line move certificate expired on 2025-05-01"
