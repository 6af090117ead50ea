"""Message catalogs: compile every app's django.po to .mo (pure Python, no gettext tools needed).

``bin/setup`` runs ``python -m guifan.i18n``; the .mo files are build output and not committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent


def catalogs(root: Path = ROOT) -> list[Path]:
    return sorted(root.glob("**/locale/*/LC_MESSAGES/django.po"))


def compile_all(root: Path = ROOT) -> list[Path]:
    written = []
    for po_path in catalogs(root):
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    done = compile_all()
    print(f"compiled {len(done)} message catalogs", file=sys.stderr)
