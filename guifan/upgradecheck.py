"""Can the previous release keep serving on the schema a migration leaves? (issue 18, ADR 0043)

A rolling upgrade migrates first and replaces the app servers one by one, so for a while the
old code runs on the new schema (expand / contract, ``docs/operations.md``). That old code
reads every column its models name and inserts rows without the columns it does not know.
So after each migration, for every table the models *before* it used:

- the table and each of its columns still exist (a drop or rename breaks old reads);
- each column the old models do not know is nullable or has a database default (otherwise
  the old code's INSERT fails: Django's ``default=`` lives in Python, not in the schema);
- a column the old models let be NULL has not become NOT NULL.

``walk`` applies the migrations one by one to an empty database and checks each step against
the live schema by introspection, so ``RunSQL`` and partitioning steps are judged by what they
really did. It changes the database it is given: use a scratch database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ModelState, ProjectState


@dataclass(frozen=True)
class Problem:
    migration: str  # "app.0003_name"
    table: str
    column: str
    rule: str  # "table.dropped" | "column.dropped" | "column.required" | "column.now_required"

    def key(self) -> str:
        """The baseline line: ``app.migration table[.column] rule``."""
        where = f"{self.table}.{self.column}" if self.column else self.table
        return f"{self.migration} {where} {self.rule}"

    def as_dict(self) -> dict[str, str]:
        return {
            "migration": self.migration,
            "table": self.table,
            "column": self.column,
            "rule": self.rule,
            "message": str(self),
        }

    def __str__(self) -> str:
        what = {
            "table.dropped": "drops a table the previous release reads",
            "column.dropped": "drops or renames a column the previous release reads",
            "column.required": "adds a NOT NULL column without a database default "
            "(the previous release's INSERT fails)",
            "column.now_required": "makes a column NOT NULL that the previous release may "
            "leave NULL",
        }[self.rule]
        where = f"{self.table}.{self.column}" if self.column else self.table
        return f"{self.migration}: {where} — {what} [{self.rule}]"


@dataclass(frozen=True)
class _Column:
    name: str
    null: bool


def _table(app_label: str, model: ModelState) -> str:
    return str(model.options.get("db_table") or f"{app_label}_{model.name_lower}")


def _columns(model: ModelState) -> list[_Column]:
    out = []
    for name, field in model.fields.items():
        if field.many_to_many or getattr(field, "generated", False):
            continue  # a join table or a computed column: the INSERT never names it
        column = field.db_column or (f"{name}_id" if field.is_relation else name)
        out.append(_Column(column, bool(field.null)))
    return out


def _models(state: ProjectState) -> Iterable[tuple[str, ModelState]]:
    for (app_label, _), model in state.models.items():
        opts = model.options
        if opts.get("proxy") or not opts.get("managed", True):
            continue
        swappable = opts.get("swappable")
        if swappable and getattr(settings, swappable) != f"{app_label}.{model.name}":
            continue  # swapped out (auth.User): its table never exists
        yield app_label, model


def check_step(
    connection: BaseDatabaseWrapper, before: ProjectState, migration: str
) -> list[Problem]:
    """What the previous release would meet on the schema as it is now."""
    problems = []
    intro = connection.introspection
    with connection.cursor() as cursor:
        tables = set(intro.table_names(cursor))
        for app_label, model in _models(before):
            table = _table(app_label, model)
            if table not in tables:
                problems.append(Problem(migration, table, "", "table.dropped"))
                continue
            live = {c.name: c for c in intro.get_table_description(cursor, table)}
            known = {c.name: c for c in _columns(model)}
            for name, col in known.items():
                if name not in live:
                    problems.append(Problem(migration, table, name, "column.dropped"))
                elif col.null and not live[name].null_ok:
                    problems.append(Problem(migration, table, name, "column.now_required"))
            for name, info in live.items():
                if name in known or info.null_ok or info.default is not None:
                    continue
                if getattr(info, "is_autofield", False) or _is_identity(info):
                    continue
                problems.append(Problem(migration, table, name, "column.required"))
    return problems


def _is_identity(info: object) -> bool:
    default = str(getattr(info, "default", "") or "")
    return default.startswith("nextval(")


def walk(connection: BaseDatabaseWrapper) -> list[Problem]:
    """Apply every migration to an empty database, one at a time, checking each step."""
    executor = MigrationExecutor(connection)
    if executor.loader.applied_migrations:
        raise ValueError("walk needs an empty database: migrations are already applied")
    targets = executor.loader.graph.leaf_nodes()
    plan = executor.migration_plan(targets, clean_start=True)
    state = ProjectState(real_apps=executor.loader.unmigrated_apps)
    problems: list[Problem] = []
    for migration, _backwards in plan:
        before = state.clone()
        state = executor.apply_migration(state, migration)
        problems.extend(check_step(connection, before, f"{migration.app_label}.{migration.name}"))
    return problems
