"""Render a deploy/ template: ``{{NAME}}`` from KEY=VALUE arguments, nothing left unfilled.

    python deploy/render.py deploy/haproxy/haproxy.cfg.in var/deploy/haproxy.cfg \\
        BIND=127.0.0.1 HTTPS_PORT=8443 APP_SERVERS=127.0.0.1:8101,127.0.0.1:8102 ...
    python deploy/render.py TEMPLATE TARGET --values deploy/container/haproxy.values.json

``APP_SERVERS`` (comma-separated host:port) also fills ``{{SERVER_LINES}}``: one HAProxy
``server`` line per app server. Standard library only: it runs before any virtualenv exists.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_FIELD = re.compile(r"\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}")


def server_lines(app_servers: str) -> str:
    """``server app1 127.0.0.1:8101 check`` lines, indented for a backend section."""
    addresses = [a.strip() for a in app_servers.split(",") if a.strip()]
    if not addresses:
        raise ValueError("APP_SERVERS names no app server (host:port, comma-separated)")
    for address in addresses:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"APP_SERVERS: {address!r} is not host:port")
    return "\n".join(
        f"    server app{i} {address} check" for i, address in enumerate(addresses, start=1)
    )


def render(template: str, values: dict[str, str]) -> str:
    """The template with every ``{{NAME}}`` replaced; a missing NAME raises KeyError naming it."""
    values = dict(values)
    if "APP_SERVERS" in values:
        values.setdefault("SERVER_LINES", server_lines(values["APP_SERVERS"]))
    missing = sorted({m.group(1) for m in _FIELD.finditer(template)} - values.keys())
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return _FIELD.sub(lambda m: values[m.group(1)], template)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, target, *pairs = argv
    values: dict[str, str] = {}
    if pairs[:1] == ["--values"] and len(pairs) >= 2:
        values.update(json.loads(Path(pairs[1]).read_text(encoding="utf-8")))
        pairs = pairs[2:]
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            print(f"render: {pair!r} is not KEY=VALUE", file=sys.stderr)
            return 2
        values[key] = value
    try:
        text = render(Path(source).read_text(encoding="utf-8"), values)
    except (KeyError, ValueError) as error:
        print(f"render: {source}: {error}", file=sys.stderr)
        return 2
    Path(target).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
