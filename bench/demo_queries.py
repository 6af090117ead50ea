"""Queries and CPU seconds of ``guifan demo`` per API request path, and SQL by execute time.

Runs the demo in this process (this tree's code) with a wrapper on the database connection
and on the test client the simulated people use; writes a plain-text table.

    GUIFAN_VAR_DIR=/tmp/q/var python -m bench.demo_queries --seed 7 --out /tmp/q/out \\
        --table /tmp/q/queries.txt
"""

from __future__ import annotations

import argparse
import collections
import re
import time
from pathlib import Path
from typing import Any

import guifan.cli._django as dj

# path -> [requests, queries, CPU seconds]
stats: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0, 0.0])
sqls: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
sql_time: collections.Counter[str] = collections.Counter()
sql_count: collections.Counter[str] = collections.Counter()
current = ["<outside requests>"]


def path_key(path: str) -> str:
    path = path.split("?", maxsplit=1)[0]
    path = re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27,}", "/{id}", path)
    path = re.sub(r"/\d+", "/{n}", path)
    return re.sub(r"/[A-Z]{2,}[-A-Z0-9]*\d[-A-Z0-9]*", "/{code}", path)


def sql_key(sql: str) -> str:
    sql = re.sub(r"\s+", " ", sql)
    sql = re.sub(r"IN \([^)]*\)", "IN (...)", sql)
    return re.sub(r'"s\d+_x\d+"', '"sN"', sql)[:220]  # savepoint names are unique


def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    key = sql_key(sql)
    stats[current[0]][1] += 1
    sqls[current[0]][key] += 1
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        sql_time[key] += time.perf_counter() - start
        sql_count[key] += 1


def install() -> None:
    setup = dj.setup

    def patched(*args: Any, **kwargs: Any) -> None:
        setup(*args, **kwargs)
        from django.db import connection
        from django.test import Client

        connection.execute_wrappers.append(wrapper)
        request = Client.request

        def counted(self: Client, **req: Any) -> Any:
            key = f"{req.get('REQUEST_METHOD', '?')} {path_key(req.get('PATH_INFO', ''))}"
            outer, current[0] = current[0], key
            start = time.process_time()
            try:
                return request(self, **req)
            finally:
                stats[key][0] += 1
                stats[key][2] += time.process_time() - start
                current[0] = outer

        Client.request = counted  # type: ignore[method-assign]

    dj.setup = patched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--table", type=Path, required=True)
    args = parser.parse_args()
    install()
    from guifan.cli.demo import demo

    start = time.process_time()
    demo(seed=args.seed, out=args.out, orders=300, verbose=False)
    total = time.process_time() - start
    rows = sorted(stats.items(), key=lambda kv: -kv[1][2])
    requests = sum(int(v[0]) for k, v in stats.items() if k != "<outside requests>")
    queries = sum(int(v[1]) for v in stats.values())
    lines = [f"CPU {total:.1f} s; {requests} requests; {queries} queries", ""]
    for key, (n, q, s) in rows[:45]:
        lines.append(f"{s:8.1f} s {int(n):6d} req {int(q):8d} q {q / max(n, 1):6.1f} q/req  {key}")
    for key, _ in rows[:12]:
        lines += ["", f"== {key}"]
        n = stats[key][0] or 1
        lines += [f"  {c / n:6.2f}/req  {sql}" for sql, c in sqls[key].most_common(25)]
    lines += ["", "== SQL by execute time (wall s, count)"]
    lines += [f"  {t:7.2f} s {sql_count[s]:7d}  {s}" for s, t in sql_time.most_common(40)]
    args.table.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
