"""Every date or time an API operation takes is checked before it reaches the database: a bare
``datetime`` lets an offset beyond ±14 h or a year PostgreSQL cannot store through as a 500,
where ``textinput.Instant`` and ``textinput.Day`` answer 422 naming the field."""

from __future__ import annotations

import datetime as dt
import typing

from pydantic import BaseModel

from guifan.api import api


def _bare_dates(model: type[BaseModel], seen: set[type]) -> list[str]:
    if model in seen:
        return []
    seen.add(model)
    found = []
    for name, field in model.model_fields.items():
        stack: list[object] = [field.annotation]
        while stack:
            a = stack.pop()
            if typing.get_origin(a) is typing.Annotated:
                continue  # Instant / Day carry their validator
            if a in (dt.datetime, dt.date) and not field.metadata:
                found.append(f"{model.__name__}.{name}")
            elif isinstance(a, type) and issubclass(a, BaseModel):
                found += _bare_dates(a, seen)
            else:
                stack.extend(typing.get_args(a))
    return found


def test_every_input_date_is_an_instant_or_a_day() -> None:
    seen: set[type] = set()
    bare = []
    operations = 0
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                operations += 1
                for model in op.models:
                    bare += [f"{prefix}{path}: {b}" for b in _bare_dates(model, seen)]
    assert operations > 50
    assert bare == []
