"""Scripts for each moment (LNG-03), addressing the customer by surname and title (LNG-05).

The scripts are data (``catalog.json``, ``scripts``), adapted from the seeds' 话术 in NORMS.md
"Courtesy and required phrases". A placeholder ``{field}`` is filled from the arguments or the
catalog's defaults; ``{name}`` is the form of address and ``{name，}`` the same followed by a
comma, or nothing when the customer's name is unknown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

_FIELD = re.compile(r"\{(\w+)(，?)\}")
AGE_GROUPS = ("young", "elderly", "children")


@dataclass(frozen=True, slots=True)
class Script:
    """The lines staff say at one moment, with the channel and the seeds they come from."""

    moment: str
    channel: str
    lines: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScriptBook:
    """All moments' scripts, the placeholder defaults and the titles by age group (LNG-05)."""

    norm: str
    scripts: Mapping[str, Script]
    defaults: Mapping[str, str]
    titles: Mapping[str, tuple[str, ...]]

    def address(self, *, surname: str = "", title: str = "", age_group: str = "") -> str:
        """Form of address: surname + title (陈小姐); a title alone; or ``""`` if unknown.

        Without a title, ``age_group`` (young, elderly, children) picks the group's first title.
        """
        if not title and age_group:
            if age_group not in self.titles:
                raise ValueError(f"age_group: expected one of {', '.join(self.titles)}")
            title = self.titles[age_group][0]
        if not title:
            return ""
        return f"{surname}{title}"

    def render(self, moment: str, *, name: str = "", **fields: str) -> tuple[str, ...]:
        """Return the script's lines for ``moment`` with the placeholders filled.

        Raises
        ------
        KeyError
            If the moment is unknown or a placeholder has neither a value nor a default.
        """
        if moment not in self.scripts:
            raise KeyError(f"unknown moment {moment!r}; known: {', '.join(self.scripts)}")
        values = {**self.defaults, **{k: v for k, v in fields.items() if v}}

        def fill(m: re.Match[str]) -> str:
            key, comma = m.group(1), m.group(2)
            if key == "name":
                return f"{name}{comma}" if name else ("" if comma else "您")
            if key not in values:
                raise KeyError(f"{moment}: no value for {{{key}}}")
            return values[key]

        return tuple(_FIELD.sub(fill, line) for line in self.scripts[moment].lines)


def scriptbook_from_dict(data: Mapping[str, Any]) -> ScriptBook:
    """Build a :class:`ScriptBook` from the catalog data (``scripts`` and ``titles``)."""
    raw = data.get("scripts", {})
    moments = raw.get("moments", {})
    scripts = {
        moment: Script(
            moment=moment,
            channel=str(entry.get("channel", "")),
            lines=tuple(str(x) for x in entry["lines"]),
            sources=tuple(str(x) for x in entry.get("sources", [])),
        )
        for moment, entry in moments.items()
    }
    titles_raw = data.get("titles", {})
    titles = {g: tuple(titles_raw[g]) for g in AGE_GROUPS if g in titles_raw}
    return ScriptBook(
        norm=str(raw.get("norm", "LNG-03")),
        scripts=scripts,
        defaults={str(k): str(v) for k, v in raw.get("defaults", {}).items()},
        titles=titles,
    )


def scriptbook_load() -> ScriptBook:
    """Load the scripts of the built-in catalog."""
    text = resources.files("guifan.compliance").joinpath("catalog.json").read_text("utf-8")
    return scriptbook_from_dict(json.loads(text))
