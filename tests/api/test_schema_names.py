"""Every API schema has its own name: the OpenAPI document keys components by class name, so
two schemas of one name would share one description (and one of them would be wrong)."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

import guifan.api  # noqa: F401  (registers every router and its schemas)


def _schemas(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_schemas(sub)]
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    for s in _schemas(Schema):
        if s.__module__.startswith("guifan"):
            by_name[s.__name__].add(s.__module__)
    shared = {name: sorted(mods) for name, mods in by_name.items() if len(mods) > 1}
    assert shared == {}, f"rename one of each: {shared}"
