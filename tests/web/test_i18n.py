"""The zh_Hans catalogs are complete and match the code (no string left untranslated)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from guifan.i18n import catalogs

ROOT = Path(__file__).resolve().parent.parent.parent
WEB = ROOT / "guifan" / "apps" / "web"
WEB_CATALOGS = [p for p in catalogs() if WEB in p.parents]


def test_every_web_app_has_a_chinese_catalog() -> None:
    apps = {p.parent for p in WEB.glob("*/apps.py")} | {WEB}
    with_catalog = {p.parents[3] for p in WEB_CATALOGS}
    assert apps <= with_catalog, sorted(str(a) for a in apps - with_catalog)


@pytest.mark.parametrize("po_path", WEB_CATALOGS, ids=lambda p: str(p.relative_to(WEB)))
def test_catalog_is_fully_translated(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"untranslated in {po_path}: {missing}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy}"


# A half-width , : ; ? ! right after a Chinese character (or a full-width bracket).
HALF_WIDTH_AFTER_CHINESE = re.compile(r"[\u4e00-\u9fff）」』》][,:;?!]")


@pytest.mark.parametrize("po_path", WEB_CATALOGS, ids=lambda p: str(p.relative_to(WEB)))
def test_chinese_strings_use_full_width_punctuation(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    bad = [
        f"line {e.linenum}: {text}"
        for e in po
        for text in [e.msgstr, *e.msgstr_plural.values()]
        if HALF_WIDTH_AFTER_CHINESE.search(text)
    ]
    assert not bad, f"half-width punctuation in Chinese strings of {po_path}: {bad}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext")
def test_catalogs_match_the_code(tmp_path: Path) -> None:
    """makemessages on a copy finds no msgid the committed catalogs lack (or keep needlessly)."""
    copy = tmp_path / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "vendor"))
    script = ROOT / "scripts" / "make_messages.py"
    code = (
        f"import sys; sys.path.insert(0, {str(script.parent)!r}); import make_messages as m;"
        f"from pathlib import Path; root = Path({str(copy)!r});"
        "[m.refresh(a) for a in [root, *sorted(p.parent for p in root.glob('*/locale'))]]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    for fresh in copy.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"):
        committed = WEB / fresh.relative_to(copy)
        want = {e.msgid for e in polib.pofile(str(fresh))}
        have = {e.msgid for e in polib.pofile(str(committed))}
        assert want == have, (
            f"{committed}: run scripts/make_messages.py; new {sorted(want - have)}, "
            f"stale {sorted(have - want)}"
        )


def test_a_msgid_has_one_translation_across_the_web_apps() -> None:
    """Django merges every app's catalog into one: the same msgid must read the same."""
    seen: dict[tuple[str, str], tuple[Path, str]] = {}
    clashes = []
    for po_path in WEB_CATALOGS:
        for e in polib.pofile(str(po_path)):
            text = e.msgstr or e.msgstr_plural.get(0, "")
            first = seen.setdefault((e.msgctxt or "", e.msgid), (po_path, text))
            if first[1] != text:
                clashes.append(f"{e.msgid!r}: {first[0]} {first[1]!r} vs {po_path} {text!r}")
    assert not clashes, "\n".join(clashes)
