"""Copy the front-end files the pages use from node_modules/ into the web app's static folder.

Run after `npm ci` when package.json changes: `python scripts/vendor_assets.py`. Only these few
files are committed (telecom intranets have no internet, so the app serves them itself).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "guifan" / "apps" / "web" / "static" / "web" / "vendor"

FONT = "@fontsource/noto-sans-sc/files"
FILES: dict[str, str] = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "htmx.org/LICENSE": "htmx.LICENSE.txt",
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/LICENSE": "leaflet/LICENSE.txt",
    f"{FONT}/noto-sans-sc-chinese-simplified-400-normal.woff2": "fonts/noto-sans-sc-zh-400.woff2",
    f"{FONT}/noto-sans-sc-latin-400-normal.woff2": "fonts/noto-sans-sc-latin-400.woff2",
    "@fontsource/noto-sans-sc/LICENSE": "fonts/OFL.txt",
}


def main() -> int:
    missing = [src for src in FILES if not (NODE / src).exists()]
    if missing:
        print("run `npm ci` first; missing: " + ", ".join(missing), file=sys.stderr)
        return 1
    for src, dst in FILES.items():
        target = VENDOR / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE / src, target)
        print(f"{dst}  {target.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
