"""Load the shipped catalog and expose parameter snapshots."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

Mode = Literal["enforced", "measured", "assisted"]
MODES: tuple[Mode, ...] = ("enforced", "measured", "assisted")


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    default: Any
    text: str
    note: str
    # Inclusive bounds of a numeric parameter, where the catalog gives them.
    range: tuple[float, float] | None = None
    # What the parameter means, in Chinese words (the name stays the identifier).
    label_zh: str = ""
    # The default as Chinese readers read it, where the default holds English words.
    value_zh: str = ""


@dataclass(frozen=True, slots=True)
class Norm:
    id: str
    title: str
    title_zh: str
    mode: Mode
    applies_to: str
    rule: str
    sources: str
    params: tuple[Param, ...] = field(default=())
    applies_to_zh: str = ""
    rule_zh: str = ""

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{self.id} has no parameter {name!r}")

    def as_catalog_entry(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "mode": self.mode}


@cache
def catalog() -> tuple[Norm, ...]:
    """Every norm of the catalog, in NORMS.md order."""
    raw = json.loads(resources.files("guifan.norms").joinpath("catalog.json").read_text("utf-8"))
    norms = []
    for n in raw["norms"]:
        if n["mode"] not in MODES:
            raise ValueError(f"{n['id']}: unknown mode {n['mode']!r}")
        params = tuple(
            Param(
                p["name"],
                p["default"],
                p["text"],
                p["note"],
                tuple(p["range"]) if "range" in p else None,
                p.get("label_zh", ""),
                p.get("value_zh", ""),
            )
            for p in n["params"]
        )
        norms.append(
            Norm(
                id=n["id"],
                title=n["title"],
                title_zh=n["title_zh"],
                mode=n["mode"],
                applies_to=n.get("applies_to", ""),
                rule=n.get("rule", ""),
                sources=n.get("sources", ""),
                params=params,
                applies_to_zh=n.get("applies_to_zh", ""),
                rule_zh=n.get("rule_zh", ""),
            )
        )
    return tuple(norms)


@cache
def _by_id() -> dict[str, Norm]:
    return {n.id: n for n in catalog()}


def norm_get(norm_id: str) -> Norm:
    try:
        return _by_id()[norm_id]
    except KeyError:
        raise KeyError(f"unknown norm ID {norm_id!r}") from None


@dataclass(frozen=True, slots=True)
class NormSet:
    """Parameter values in force at one moment: catalog defaults overlaid with edits."""

    overrides: Mapping[tuple[str, str], Any] = field(default_factory=dict)

    def param(self, norm_id: str, name: str) -> Any:
        key = (norm_id, name)
        if key in self.overrides:
            return self.overrides[key]
        return norm_get(norm_id).param(name).default

    def minutes(self, norm_id: str, name: str) -> int:
        value = self.param(norm_id, name)
        if not isinstance(value, int | float):
            raise TypeError(f"{norm_id}.{name} is not a number: {value!r}")
        return int(value)
