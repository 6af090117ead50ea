"""Copy the front-end files the pages use from node_modules/ into the web app's static folder.

Run after `npm ci` when package.json changes: `python scripts/vendor_assets.py`. Only these
files are committed (telecom intranets have no internet, so the app serves them itself).

The CJK font is copied as the unicode-range slices @fontsource ships (about 100 per weight,
each a few tens of KB), with one stylesheet, ``fonts/noto-sans-sc.css``, that declares every
slice: a browser downloads only the slices holding the characters a page shows (ADR 0030).
A page's own words are spread over a dozen slices, so one more face per weight, declared last
(the browser tries it first), holds every character of the Chinese catalogs and templates:
the pages' words come from it, and only names, addresses and other data reach the slices.
Run this again when the catalogs gain characters (a character missing from it still shows,
from its slice).
"""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import polib
from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "guifan" / "apps" / "web" / "static" / "web" / "vendor"

FONT = "@fontsource/noto-sans-sc"
# One weight: the browser draws bold (headings, buttons) by emboldening it. With the 700 slices
# too, every page fetched about twice the font (route 402 KB instead of ~280 KB; ADR 0030).
FONT_WEIGHTS = (400,)
FONT_DIR = "fonts/noto-sans-sc"
FILES: dict[str, str] = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "htmx.org/LICENSE": "htmx.LICENSE.txt",
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images/layers.png": "leaflet/images/layers.png",
    "leaflet/dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
    "leaflet/dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
    "leaflet/LICENSE": "leaflet/LICENSE.txt",
    f"{FONT}/LICENSE": "fonts/OFL.txt",
}
# A source map the package does not ship in dist/: the reference would break collectstatic's
# hashing (ManifestStaticFilesStorage follows every reference).
SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=\S+\s*$")
FACE = re.compile(r"@font-face \{.*?\}", re.S)
WOFF2 = re.compile(r"url\(\./files/([\w.-]+\.woff2)\) format\('woff2'\)")


def font_css() -> tuple[str, list[str]]:
    """The stylesheet for every slice of FONT_WEIGHTS (woff2 only) and the files it names."""
    faces: list[str] = []
    files: list[str] = []
    for weight in FONT_WEIGHTS:
        css = (NODE / FONT / f"{weight}.css").read_text(encoding="utf-8")
        for face in FACE.findall(css):
            found = WOFF2.search(face)
            if found is None:
                raise SystemExit(f"{FONT}/{weight}.css: a @font-face without woff2: {face[:80]}")
            files.append(found.group(1))
            src = f'src: url("noto-sans-sc/{found.group(1)}") format("woff2");'
            faces.append(re.sub(r"src: [^;]+;", src, face).replace("'", '"'))
    head = (
        f"/* Noto Sans SC ({FONT}, SIL OFL 1.1: OFL.txt), weight "
        f"{' and '.join(map(str, FONT_WEIGHTS))}, in unicode-range slices:\n"
        "   a page downloads only the slices of the characters it shows.\n"
        "   Written by scripts/vendor_assets.py; do not edit. */\n"
    )
    return head + "\n".join(faces) + "\n", files


# The customer's pages (SMS links, the mobile ticket) get a face of their own words only: the
# staff pages' ~700 characters would cost a customer on a phone ~50 KB more (ADR 0030).
CUSTOMER_APPS = ("links",)


def ui_characters(apps: tuple[str, ...] = ()) -> str:
    """Every CJK character (and full-width punctuation) of the pages' own words: the Chinese
    catalogs and templates (not the norm catalog's texts, which only the quality pages show);
    with ``apps``, only those web apps' words, the base template's and the web core's."""
    found: set[str] = set()
    guifan = ROOT / "guifan"
    web = guifan / "apps" / "web"
    roots = [web / a for a in apps] if apps else [guifan]
    for root in roots:
        for po in root.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"):
            for entry in polib.pofile(str(po)):
                found.update(entry.msgstr, *entry.msgstr_plural.values())
        for template in root.glob("**/templates/**/*.html"):
            found.update(template.read_text(encoding="utf-8"))
    if apps:  # the base template and the web core's catalog (labels the pages share)
        found.update((web / "templates" / "web" / "base.html").read_text(encoding="utf-8"))
        for entry in polib.pofile(str(web / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")):
            found.update(entry.msgstr, *entry.msgstr_plural.values())
    return "".join(sorted(c for c in found if ord(c) >= 0x2E80))


def ui_face(weight: int, chars: str, kind: str = "ui") -> tuple[str, bytes]:
    """The @font-face of ``chars`` cut from the full Simplified Chinese file, and its woff2."""
    font = TTFont(NODE / FONT / "files" / f"noto-sans-sc-chinese-simplified-{weight}-normal.woff2")
    cutter = subset.Subsetter(subset.Options())
    cutter.populate(unicodes=[ord(c) for c in chars])
    cutter.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    name = f"noto-sans-sc-{kind}-{weight}-normal.woff2"
    ranges = ",".join(f"U+{ord(c):x}" for c in chars)
    face = (
        '@font-face {\n  font-family: "Noto Sans SC";\n  font-style: normal;\n'
        f"  font-display: swap;\n  font-weight: {weight};\n"
        f'  src: url("noto-sans-sc/{name}") format("woff2");\n  unicode-range: {ranges};\n}}'
    )
    return face, out.getvalue()


def main() -> int:
    missing = [src for src in FILES if not (NODE / src).exists()]
    if missing or not (NODE / FONT / "files").is_dir():
        print("run `npm ci` first; missing: " + ", ".join(missing or [FONT]), file=sys.stderr)
        return 1
    for src, dst in FILES.items():
        target = VENDOR / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix == ".js":
            text = (NODE / src).read_text(encoding="utf-8")
            target.write_text(SOURCE_MAP.sub("\n", text), encoding="utf-8")
        else:
            shutil.copyfile(NODE / src, target)
        print(f"{dst}  {target.stat().st_size:,} bytes")
    css, files = font_css()
    slices = VENDOR / FONT_DIR
    if slices.exists():
        shutil.rmtree(slices)
    slices.mkdir(parents=True)
    for name in files:
        shutil.copyfile(NODE / FONT / "files" / name, slices / name)
    for kind, css_name, apps in (
        ("ui", "noto-sans-sc.css", ()),
        ("customer", "noto-sans-sc-customer.css", CUSTOMER_APPS),
    ):
        chars = ui_characters(apps)
        sheet = css
        for weight in FONT_WEIGHTS:
            face, data = ui_face(weight, chars, kind)
            name = f"noto-sans-sc-{kind}-{weight}-normal.woff2"
            (slices / name).write_bytes(data)
            sheet += (
                "/* The pages' own characters: declared last, so tried first. */\n" + face + "\n"
            )
            print(f"{FONT_DIR}/{name}  {len(chars)} characters, {len(data):,} bytes")
        (VENDOR / "fonts" / css_name).write_text(sheet, encoding="utf-8")
    total = sum(p.stat().st_size for p in slices.iterdir())
    print(f"{FONT_DIR}/  {len(files)} slices, {total:,} bytes; fonts/noto-sans-sc.css")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
