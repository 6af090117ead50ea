"""The import-linter contracts of pyproject.toml (ADR 0010) hold, and each catches a violation.

Each test builds the real import graph of ``guifan``, adds one offending import (or module) and
checks the contract exactly as configured, so a contract loosened by accident goes red here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter import configuration
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.private_modules import PrivateModulesContract
from importlinter.domain.contract import Contract

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
TYPES: dict[str, type[Contract]] = {
    c.type_name: c for c in (ForbiddenContract, PrivateModulesContract, AcyclicSiblingsContract)
}
PRIVATE = "A private module is imported only inside its own package"
ACYCLIC = "No import cycles among sibling modules, in every package"
SELECTORS = "Selectors never import services"


def _config() -> dict[str, Any]:
    with PYPROJECT.open("rb") as f:
        config: dict[str, Any] = tomllib.load(f)["tool"]["importlinter"]
    return config


def contract(name: str) -> Contract:
    configuration.configure()
    config = _config()
    session = {k: v for k, v in config.items() if k != "contracts"}
    for options in config["contracts"]:
        if options["name"] == name:
            rest = {k: v for k, v in options.items() if k not in ("name", "type")}
            return TYPES[options["type"]](name, session, rest)
    raise LookupError(name)


def kept(name: str, graph: grimp.ImportGraph) -> bool:
    return bool(contract(name).check(graph, verbose=False).kept)


def guifan_graph() -> grimp.ImportGraph:
    return grimp.build_graph("guifan", include_external_packages=True, cache_dir=None)


def add(graph: grimp.ImportGraph, importer: str, imported: str) -> grimp.ImportGraph:
    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    return graph


@pytest.mark.parametrize("name", [c["name"] for c in _config()["contracts"]])
def test_the_code_keeps_every_contract(name):
    assert kept(name, guifan_graph())


def test_a_private_module_imported_from_another_app_breaks_the_contract():
    graph = guifan_graph()
    graph.add_module("guifan.apps.orders.services._hidden")
    assert kept(
        PRIVATE,
        add(graph, "guifan.apps.orders.services.visits", "guifan.apps.orders.services._hidden"),
    )
    assert not kept(
        PRIVATE, add(graph, "guifan.apps.dispatch.services", "guifan.apps.orders.services._hidden")
    )


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("guifan.optimize.params", "guifan.optimize.solve"),  # modules of one package
        ("guifan.apps.hall.classes", "guifan.apps.hall.services"),
        ("guifan.apps.norms.models", "guifan.apps.orders.models"),  # apps under guifan.apps
        ("guifan.apps.customers.models", "guifan.apps.orders.services.intake"),
    ],
)
def test_an_import_that_closes_a_cycle_among_siblings_breaks_the_contract(importer, imported):
    assert not kept(ACYCLIC, add(guifan_graph(), importer, imported))


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("guifan.apps.orders.selectors", "guifan.apps.orders.services.visits"),
        ("guifan.apps.hall.selectors", "guifan.apps.timers.services"),
        # indirectly: monitor arms timers through timers.services
        ("guifan.apps.hall.selectors", "guifan.apps.hall.monitor"),
        ("guifan.apps.fieldwork.selectors", "guifan.apps.fieldwork.services"),
    ],
)
def test_a_selector_that_reaches_a_service_breaks_the_contract(importer, imported):
    assert not kept(SELECTORS, add(guifan_graph(), importer, imported))
