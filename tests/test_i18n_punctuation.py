"""Full-width punctuation in Chinese text (guifan.norms.punct states the rule).

Checked over every Chinese msgstr of every .po catalog in the project, over the norm catalog's
Chinese fields and over Chinese string literals in the code; a failure names file:line (or the
norm and field) and brackets the offending mark as ⟦,⟧.
"""

from __future__ import annotations

import ast
from pathlib import Path

import polib
import pytest

from guifan.apps.hall.inspections import checklist
from guifan.norms import catalog
from guifan.norms.punct import half_width_report, has_cjk

ROOT = Path(__file__).resolve().parent.parent
GUIFAN = ROOT / "guifan"
CATALOGS = sorted(GUIFAN.glob("**/locale/zh_Hans/LC_MESSAGES/*.po"))

# Files whose Chinese literals are not user-facing sentences, with the reason they are skipped.
SKIPPED = {
    # Verbatim seed quotes and the dialect-prefix data format (方言:<name>) matched against speech.
    "guifan/compliance/phrases.py": "verbatim seed phrases",
    "guifan/compliance/scripts.py": "a regular expression",
    # The demo's simulated speech and notes: changing them would change the demo's day.
    "guifan/demo/agents.py": "simulated speech",
    "guifan/demo/asr.py": "simulated speech, 方言:<name> data format",
    "guifan/demo/scenario.py": "simulated speech, a regular expression",
    "guifan/demo/hall.py": "simulated speech",
    "guifan/demo/evaluation.py": "verbatim forbidden phrase",
    # group:item keys of the kit checklist (an identifier before the colon).
    "guifan/apps/orders/services/kit.py": "group:item keys",
    # English help naming Chinese words.
    "guifan/cli/__init__.py": "English help",
    "guifan/cli/transcripts.py": "English help",
}
# Model field verbose names: changing one needs a migration (left for a migration of its own).
SKIPPED_NAMES = {"models.py"}


def po_offences(path: Path) -> list[str]:
    po = polib.pofile(str(path))
    bad = []
    for e in po:
        for text in [e.msgstr, *e.msgstr_plural.values()]:
            shown = half_width_report(text)
            if shown:
                bad.append(f"{path.relative_to(ROOT)}:{e.linenum}: {shown}")
    return bad


def test_there_are_chinese_catalogs() -> None:
    assert len(CATALOGS) >= 10


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(GUIFAN)))
def test_chinese_msgstrs_use_full_width_punctuation(po_path: Path) -> None:
    bad = po_offences(po_path)
    assert not bad, "half-width punctuation next to Chinese:\n" + "\n".join(bad)


def test_a_half_width_comma_in_a_chinese_msgstr_is_named(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Wrong, start again"\nmsgstr "有误,请从头开始"\n',
        encoding="utf-8",
    )
    # polib numbers an entry by its msgid line
    assert po_offences_at(po, tmp_path) == ["django.po:5: 有误⟦,⟧请从头开始"]


def po_offences_at(path: Path, root: Path) -> list[str]:
    po = polib.pofile(str(path))
    return [
        f"{path.relative_to(root)}:{e.linenum}: {half_width_report(e.msgstr)}"
        for e in po
        if half_width_report(e.msgstr)
    ]


def test_the_norm_catalogs_chinese_fields_use_full_width_punctuation() -> None:
    bad = []
    for n in catalog():
        fields = {"title_zh": n.title_zh, "applies_to_zh": n.applies_to_zh, "rule_zh": n.rule_zh}
        for p in n.params:
            fields[f"{p.name}.label_zh"] = p.label_zh
            fields[f"{p.name}.value_zh"] = p.value_zh
        bad += [
            f"{n.id} {k}: {half_width_report(v)}" for k, v in fields.items() if half_width_report(v)
        ]
    assert not bad, "\n".join(bad)


def literal_offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    bad = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and has_cjk(node.value)
        ):
            shown = half_width_report(node.value)
            if shown:
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {shown}")
    return bad


def test_chinese_string_literals_in_the_code_use_full_width_punctuation() -> None:
    bad = []
    for path in sorted(GUIFAN.rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        if "migrations" in path.parts or rel in SKIPPED or path.name in SKIPPED_NAMES:
            continue
        bad += literal_offences(path)
    assert not bad, "half-width punctuation next to Chinese:\n" + "\n".join(bad)


def test_the_hall_inspections_chinese_items_use_full_width_punctuation() -> None:
    """The checklist's Chinese wording is what the inspection page shows (the sources' own
    quotes elsewhere stay verbatim)."""
    bad = [
        f"item {item.no}: {half_width_report(item.quote)}"
        for item in checklist()
        if half_width_report(item.quote)
    ]
    assert not bad, "half-width punctuation next to Chinese:\n" + "\n".join(bad)
