"""Fill a catalog's translations from a JSON object {msgid: msgstr}: `po_fill.py PO JSON`.

Also clears the header's fuzzy flag that makemessages sets. Entries not in the JSON are kept.
"""

from __future__ import annotations

import json
import sys

import polib


def fill(po_path: str, mapping: dict[str, str]) -> int:
    po = polib.pofile(po_path, wrapwidth=0)
    po.metadata_is_fuzzy = False
    po.metadata["Language"] = "zh_Hans"
    changed = 0
    for entry in po:
        if entry.msgid in mapping:
            if entry.msgid_plural:  # Chinese has one plural form
                entry.msgstr_plural = {0: mapping[entry.msgid]}
            else:
                entry.msgstr = mapping[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            changed += 1
    po.save(po_path)
    return changed


if __name__ == "__main__":
    with open(sys.argv[2], encoding="utf-8") as fh:
        n = fill(sys.argv[1], json.load(fh))
    print(f"{n} entries filled")
