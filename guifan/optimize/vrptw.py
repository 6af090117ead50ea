"""Solomon VRPTW instances: reader, solution writer and feasibility checker (pure).

Feasibility follows CONTRACTS.md (``guifan vrptw solve``): travel time equals the unrounded
Euclidean distance, service starts at ``max(arrival, ready)`` and must be ``<= due``, every
route is back at the depot by the depot's due date, capacity holds and every servable
customer is visited exactly once.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path

from guifan.errors import ValidationFailed

EPS = 1e-6
CUSTOMER_FIELDS = ("CUST NO.", "XCOORD.", "YCOORD.", "DEMAND", "READY TIME", "DUE DATE", "SERVICE")


class InstanceFormatError(ValidationFailed):
    """A Solomon file that cannot be read; ``line`` is 1-based, ``field`` names the column."""

    def __init__(self, path: str, line: int, field: str, message: str) -> None:
        super().__init__("vrptw.bad_instance", f"{path}:{line}: {field}: {message}", field=field)
        self.line = line


@dataclass(frozen=True, slots=True)
class Customer:
    """One row of the CUSTOMER table; ``id`` 0 is the depot."""

    id: int
    x: float
    y: float
    demand: int
    ready: float
    due: float
    service: float


@dataclass(frozen=True, slots=True)
class Instance:
    """A Solomon instance: ``nodes[0]`` is the depot, ``nodes[i].id == i``."""

    name: str
    vehicles: int
    capacity: int
    nodes: tuple[Customer, ...]

    def dist(self, i: int, j: int) -> float:
        """Unrounded Euclidean distance (and travel time) between nodes ``i`` and ``j``."""
        a, b = self.nodes[i], self.nodes[j]
        return math.hypot(a.x - b.x, a.y - b.y)


@dataclass(frozen=True, slots=True)
class Unserved:
    """A customer no vehicle can serve, with the reason."""

    customer: int
    reason: str


def _number(path: str, lineno: int, field: str, token: str, *, integer: bool) -> float:
    try:
        value = float(token)
    except ValueError:
        raise InstanceFormatError(path, lineno, field, f"{token!r} is not a number") from None
    if not math.isfinite(value):
        raise InstanceFormatError(path, lineno, field, f"{token!r} is not a finite number")
    if integer and value != int(value):
        raise InstanceFormatError(path, lineno, field, f"{token!r} is not a whole number")
    return value


def _next_data(lines: list[str], start: int) -> int:
    """Index of the first non-blank line at or after ``start`` (``len(lines)`` if none)."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _expect(path: str, lines: list[str], i: int, word: str) -> int:
    i = _next_data(lines, i)
    if i >= len(lines) or not lines[i].strip().upper().startswith(word):
        got = lines[i].strip() if i < len(lines) else "end of file"
        raise InstanceFormatError(path, i + 1, word, f"expected a {word} line, got {got!r}")
    return i + 1


def _read_fleet(path: str, lines: list[str], i: int) -> tuple[int, int, int]:
    i = _expect(path, lines, i, "VEHICLE")
    i = _expect(path, lines, i, "NUMBER")
    i = _next_data(lines, i)
    if i >= len(lines):
        raise InstanceFormatError(path, i + 1, "NUMBER", "missing vehicle number and capacity")
    parts = lines[i].split()
    if len(parts) != 2:
        raise InstanceFormatError(
            path, i + 1, "NUMBER", f"expected 2 values (NUMBER CAPACITY), got {len(parts)}"
        )
    vehicles = int(_number(path, i + 1, "NUMBER", parts[0], integer=True))
    capacity = int(_number(path, i + 1, "CAPACITY", parts[1], integer=True))
    if vehicles < 1:
        raise InstanceFormatError(path, i + 1, "NUMBER", f"must be at least 1, got {vehicles}")
    if capacity < 0:
        raise InstanceFormatError(path, i + 1, "CAPACITY", f"must be >= 0, got {capacity}")
    return vehicles, capacity, i + 1


def _read_customer(path: str, lineno: int, text: str, expected_id: int) -> Customer:
    parts = text.split()
    if len(parts) != len(CUSTOMER_FIELDS):
        field = CUSTOMER_FIELDS[min(len(parts), len(CUSTOMER_FIELDS) - 1)]
        raise InstanceFormatError(
            path, lineno, field, f"expected 7 values per customer row, got {len(parts)}"
        )
    integer = {"CUST NO.", "DEMAND"}
    vals = [
        _number(path, lineno, f, t, integer=f in integer)
        for f, t in zip(CUSTOMER_FIELDS, parts, strict=True)
    ]
    if int(vals[0]) != expected_id:
        raise InstanceFormatError(
            path, lineno, "CUST NO.", f"expected customer {expected_id}, got {parts[0]}"
        )
    if vals[6] < 0:
        raise InstanceFormatError(path, lineno, "SERVICE", f"must be >= 0, got {parts[6]}")
    return Customer(int(vals[0]), vals[1], vals[2], int(vals[3]), vals[4], vals[5], vals[6])


def parse_solomon(text: str, path: str = "<instance>") -> Instance:
    """Parse Solomon text; raise :class:`InstanceFormatError` naming line and field.

    Parameters
    ----------
    text
        The file contents.
    path
        Shown in error messages.

    Returns
    -------
    Instance
        The parsed instance.
    """
    lines = text.splitlines()
    first = _next_data(lines, 0)
    if first >= len(lines):
        raise InstanceFormatError(path, 1, "NAME", "empty file")
    name = lines[first].strip()
    vehicles, capacity, i = _read_fleet(path, lines, first + 1)
    i = _expect(path, lines, i, "CUSTOMER")
    i = _expect(path, lines, i, "CUST")
    nodes: list[Customer] = []
    for k in range(i, len(lines)):
        if lines[k].strip():
            nodes.append(_read_customer(path, k + 1, lines[k], len(nodes)))
    if len(nodes) < 2:
        raise InstanceFormatError(
            path, len(lines) + 1, "CUST NO.", "need a depot row (0) and at least one customer"
        )
    return Instance(name, vehicles, capacity, tuple(nodes))


def read_solomon(path: str | Path) -> Instance:
    """Read a Solomon instance file; errors name the line number and field."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceFormatError(str(p), 0, "file", f"cannot read: {exc}") from None
    return parse_solomon(text, str(p))


def unservable(inst: Instance) -> tuple[Unserved, ...]:
    """Customers that no route can serve alone: the reason for each (never dropped silently)."""
    depot = inst.nodes[0]
    out: list[Unserved] = []
    for c in inst.nodes[1:]:
        reason = _unservable_reason(inst, depot, c)
        if reason:
            out.append(Unserved(c.id, reason))
    return tuple(out)


def _unservable_reason(inst: Instance, depot: Customer, c: Customer) -> str | None:
    if c.demand > inst.capacity:
        return f"demand {c.demand} above vehicle capacity {inst.capacity}"
    if c.demand < 0:
        return f"negative demand {c.demand}"
    if c.due < c.ready:
        return f"inverted time window [{c.ready:g}, {c.due:g}]"
    if c.due < 0:
        return f"negative time window [{c.ready:g}, {c.due:g}]"
    start = max(depot.ready + inst.dist(0, c.id), c.ready)
    if start > c.due + EPS:
        return f"window [{c.ready:g}, {c.due:g}] closes before a vehicle can arrive ({start:.2f})"
    back = start + c.service + inst.dist(c.id, 0)
    if back > depot.due + EPS:
        return f"cannot return to the depot by {depot.due:g} after serving (at {back:.2f})"
    return None


def route_errors(inst: Instance, k: int, route: list[int]) -> list[str]:
    """Time-window and capacity errors of one route under real Euclidean times."""
    errors: list[str] = []
    t, prev, load = inst.nodes[0].ready, 0, 0
    for c in route:
        node = inst.nodes[c]
        start = max(t + inst.dist(prev, c), node.ready)
        if start > node.due + EPS:
            errors.append(f"route {k}: customer {c} starts at {start:.4f} after due {node.due:g}")
        t, prev, load = start + node.service, c, load + node.demand
    back = t + inst.dist(prev, 0)
    if back > inst.nodes[0].due + EPS:
        errors.append(f"route {k}: back at depot at {back:.4f} after {inst.nodes[0].due:g}")
    if load > inst.capacity:
        errors.append(f"route {k}: load {load} above capacity {inst.capacity}")
    return errors


def check(
    inst: Instance, routes: list[list[int]], excused: frozenset[int] = frozenset()
) -> list[str]:
    """Every feasibility error of ``routes`` (empty when feasible).

    Parameters
    ----------
    inst
        The instance.
    routes
        Customer ids per route, depot excluded.
    excused
        Customers reported unservable; they must not be visited.
    """
    errors: list[str] = []
    seen: dict[int, int] = {}
    for k, route in enumerate(routes, 1):
        bad = [c for c in route if not 1 <= c < len(inst.nodes)]
        if bad:
            errors.append(f"route {k}: unknown customers {bad}")
            continue
        errors += route_errors(inst, k, route)
        for c in route:
            seen[c] = seen.get(c, 0) + 1
    wanted = set(range(1, len(inst.nodes))) - excused
    missing = sorted(wanted - seen.keys())
    if missing:
        errors.append(f"customers not visited: {missing}")
    dupes = sorted(c for c, n in seen.items() if n > 1)
    if dupes:
        errors.append(f"customers visited more than once: {dupes}")
    if sum(1 for r in routes if r) > inst.vehicles:
        errors.append(f"more than {inst.vehicles} routes")
    return errors


def cost(inst: Instance, routes: list[list[int]]) -> float:
    """Unrounded Euclidean length of ``routes`` (depot to depot)."""
    total = 0.0
    for route in routes:
        path = [0, *route, 0]
        total += sum(inst.dist(a, b) for a, b in itertools.pairwise(path))
    return total


def cost_dimacs(inst: Instance, routes: list[list[int]]) -> float:
    """Route length with each edge truncated to one decimal (DIMACS convention)."""
    tenths = 0
    for route in routes:
        path = [0, *route, 0]
        tenths += sum(math.floor(inst.dist(a, b) * 10 + 1e-9) for a, b in itertools.pairwise(path))
    return tenths / 10


def format_solution(
    inst: Instance, routes: list[list[int]], unserved: tuple[Unserved, ...] = ()
) -> str:
    """VRPLIB solution text: ``Route #k: ...`` lines, ``Cost X``, then unserved customers."""
    used = [r for r in routes if r]
    lines = [f"Route #{k}: {' '.join(map(str, r))}" for k, r in enumerate(used, 1)]
    lines.append(f"Cost {cost(inst, routes)!r}")
    lines += [f"Unassigned {u.customer}: {u.reason}" for u in unserved]
    return "\n".join(lines) + "\n"
