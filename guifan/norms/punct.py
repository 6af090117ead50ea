"""Full-width punctuation in Chinese text (pure).

The rule, checked over every Chinese msgstr, the catalog's Chinese fields and Chinese string
literals in the code: a half-width ``,`` ``:`` ``;`` ``?`` ``!`` ``(`` ``)`` directly next to a
CJK character (a Han character, CJK punctuation such as 、。「」 or a full-width form such as
，（）) on either side is wrong; the full-width form (，：；？！（）) belongs there. A pair of
parentheses is one unit: ``(`` and ``)`` around a text are both flagged when either touches a CJK
character, so ``上门(AM)`` is reported whole, and a run such as ``?!`` counts as one mark. Times (``08:00``), ``%(name)s`` placeholders and
English text keep their half-width marks, since no CJK character touches them.
"""

from __future__ import annotations

import re

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
HALF = ",:;?!()"
FULL = dict(zip(HALF, "，：；？！（）", strict=True))
_CJK_CHAR = re.compile(f"[{CJK}]")
# A balanced half-width pair without nested parentheses; %(name)s placeholders are not pairs.
# A run of marks such as ?! counts as one: all of it is flagged when it touches CJK.
_RUN = re.compile(r"(?<!%)[,:;?!()]+")
_PAIR = re.compile(r"(?<!%)\((?:%\(\w+\)|[^()])*\)")


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))


def _touches_cjk(text: str, i: int, width: int = 1) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + width] if i + width < len(text) else ""
    return bool(_CJK_CHAR.fullmatch(before) or _CJK_CHAR.fullmatch(after))


def half_width_spots(text: str) -> list[int]:
    """Indexes of half-width marks that break the rule (sorted)."""
    spots: set[int] = set()
    paired: set[int] = set()
    for m in _PAIR.finditer(text):
        lo, hi = m.start(), m.end() - 1
        paired.update((lo, hi))
        if _touches_cjk(text, lo) or _touches_cjk(text, hi):
            spots.update((lo, hi))
    for m in _RUN.finditer(text):
        run = [i for i in range(m.start(), m.end()) if i not in paired]
        if run and _touches_cjk(text, m.start(), m.end() - m.start()):
            spots.update(run)
    return sorted(spots)


def half_width_report(text: str) -> str:
    """The text with each offending mark bracketed as ⟦,⟧, or "" when the text is clean."""
    spots = half_width_spots(text)
    if not spots:
        return ""
    out = list(text)
    for i in spots:
        out[i] = f"⟦{text[i]}⟧"
    return "".join(out)


def fullwidth(text: str) -> str:
    """The text with every offending half-width mark replaced by its full-width form."""
    while spots := set(half_width_spots(text)):  # a fixed mark can expose its neighbour
        text = "".join(FULL[ch] if i in spots else ch for i, ch in enumerate(text))
    return text
