"""Refresh every web app's zh_Hans catalog from its code and templates.

`python scripts/make_messages.py [APP ...]` runs Django's makemessages in each app folder that has a
locale/ (the web core skips its sub-apps, which keep their own catalogs). Then translate the
new empty entries; tests/web/test_i18n.py fails while any entry is empty or fuzzy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "guifan" / "apps" / "web"


def app_dirs() -> list[Path]:
    return [WEB, *sorted(p.parent for p in WEB.glob("*/locale"))]


def refresh(app: Path, out_root: Path | None = None) -> None:
    ignore = [f"--ignore={p.name}/*" for p in app.iterdir() if (p / "locale").is_dir()]
    cmd = [
        sys.executable,
        str(ROOT / "manage.py"),
        "makemessages",
        "--locale=zh_Hans",
        "--no-location",
        "--no-obsolete",
        "--no-wrap",
        "--ignore=static/*",
        *ignore,
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "guifan.settings.test"}
    subprocess.run(cmd, cwd=out_root or app, check=True, env=env, capture_output=True)


if __name__ == "__main__":
    # Optional arguments name the apps to refresh: `make_messages.py field` (web core: `web`).
    wanted = set(sys.argv[1:])
    for app in app_dirs():
        if wanted and app.name not in wanted:
            continue
        refresh(app)
        print(f"refreshed {app.relative_to(ROOT)}/locale")
