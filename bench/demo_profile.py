"""Where ``guifan demo``'s time goes, from a py-spy profile: seconds per kind of work.

Record the demo with py-spy (not a project dependency: install it in a venv of its own),
then summarise the raw stacks:

    GUIFAN_VAR_DIR=/tmp/p/var py-spy record -r 50 -f raw -o /tmp/p/prof.txt -- \\
        .venv/bin/python .venv/bin/guifan demo --seed 1 --out /tmp/p/out
    python -m bench.demo_profile /tmp/p/prof.txt

Each sample goes to the first kind that matches: the progress bar's idle thread, the demo
database's migrations, the desk's PyVRP search, the receipt PDFs; inside an API request, the
ORM (any Django database frame below the first service frame), the services' own Python, or
the request stack (test client, middleware, django-ninja); outside requests, the ORM (timer
ticks, the runner's reads, the report's queries) or the rest (plots, logins, the agents).
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

RATE_DEFAULT = 50
# Project middleware: part of the request stack, not a service.
MIDDLEWARE = ("guifan/apps/web/language.py", "guifan/requestid.py", "guifan/textinput.py")
SERVICE_PREFIXES = (
    "(guifan/apps/",
    "(guifan/norms",
    "(guifan/compliance",
    "(guifan/optimize",
    "(guifan/requestmemo",
)


def kind(frames: list[str]) -> str:
    names = [f.split(" (", 1)[0] for f in frames]
    if "_RefreshThread.run" in names or any("rich/live.py" in f for f in frames):
        return "progress bar thread (idle)"
    if "_migrate" in names:
        return "migrations of the demo database"
    if any("pyvrp_dispatch" in f for f in frames) and "search" in names:
        return "desk plans: PyVRP search"
    if "transaction_receipt_pdf" in names:
        return "hall receipt PDFs"
    # py-spy 0.4.3 names methods with their class; 0.4.1 does not (then the file tells).
    in_request = "ClientHandler.__call__" in names or any(
        f.startswith("__call__ (django/test/client.py") for f in frames
    )
    services = [
        i
        for i, f in enumerate(frames)
        if f.startswith(SERVICE_PREFIXES, f.find("(")) and not any(m in f for m in MIDDLEWARE)
    ]
    if in_request and services:
        below = frames[services[0] :]
        if any("django/db/" in f for f in below):
            return "requests: ORM under the services"
        return "requests: the services' own Python"
    if (
        in_request
        or "RequestFactory.generic" in names
        or "Api._handle" in names
        or any(
            f.startswith(("generic (django/test/client.py", "_handle (guifan/demo/api"))
            for f in frames
        )
    ):
        return "requests: test client, middleware, django-ninja"
    if any("django/db/" in f for f in frames):
        return "outside requests: ORM (timers, runner, report)"
    return "outside requests: other (plots, logins, agents)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path, help="py-spy record -f raw output")
    parser.add_argument("--rate", type=int, default=RATE_DEFAULT, help="samples per second")
    args = parser.parse_args()
    seconds: collections.Counter[str] = collections.Counter()
    for line in args.profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            seconds[kind(stack.split(";"))] += int(count) / args.rate
    total = sum(seconds.values())
    print(f"{total:7.1f} s sampled")
    for name, s in seconds.most_common():
        print(f"{s:7.1f} s {100 * s / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
