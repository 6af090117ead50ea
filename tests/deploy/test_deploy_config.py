"""deploy/: the scripts are POSIX sh, the configurations render and pass their tools' checks,
and HAProxy retries a request that met a dying server only when the method is safe."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
sys.path.insert(0, str(DEPLOY))
from render import render, server_lines  # noqa: E402

SCRIPTS = ["lib.sh", "up", "down", "status", "smoke", "restart"]
TEMPLATE = (DEPLOY / "haproxy" / "haproxy.cfg.in").read_text()
needs_haproxy = pytest.mark.skipif(not shutil.which("haproxy"), reason="haproxy not installed")


def local_values(tmp: Path, pem: Path, app_servers: str, https_port: int = 8443) -> dict[str, str]:
    """What deploy/local/up passes (keep in step with it)."""
    return {
        "LOG_TARGET": "stdout format raw local0",
        "RUN_DIR": str(tmp),
        "GLOBAL_EXTRA": "",
        "BIND": "127.0.0.1",
        "HTTPS_PORT": str(https_port),
        "TLS_PEM": str(pem),
        "HEALTH_HOST": "127.0.0.1",
        "APP_SERVERS": app_servers,
        "STATS_PORT": str(free_port()),
        "SERVER_OPTIONS": "",
        "RESOLVERS": "",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def pem(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tls")
    key, crt = folder / "k.pem", folder / "c.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(crt),
        ],
        check=True,
        capture_output=True,
    )
    combined = folder / "guifan.pem"
    combined.write_text(crt.read_text() + key.read_text())
    return combined


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_local_scripts_are_posix_sh(name: str) -> None:
    path = DEPLOY / "local" / name
    assert subprocess.run(["sh", "-n", str(path)], capture_output=True, check=False).returncode == 0
    if name != "lib.sh":
        assert path.read_text().startswith("#!/bin/sh\n")
    assert "[[" not in path.read_text() and "function " not in path.read_text()


def test_a_template_field_without_a_value_is_refused_by_name() -> None:
    with pytest.raises(KeyError, match="HTTPS_PORT"):
        render("bind {{BIND}}:{{HTTPS_PORT}}", {"BIND": "127.0.0.1"})
    with pytest.raises(ValueError, match="not host:port"):
        server_lines("127.0.0.1")
    assert server_lines("a:1,b:2").splitlines() == [
        "    server app1 a:1 check",
        "    server app2 b:2 check",
    ]


def test_the_proxy_configuration_says_what_the_deployment_promises(tmp_path: Path) -> None:
    text = render(TEMPLATE, local_values(tmp_path, tmp_path / "x.pem", "127.0.0.1:8101"))
    assert "ssl crt" in text and "alpn h2,http/1.1" in text  # TLS ends here
    assert "http-check send meth GET uri /api/v1/health" in text  # the app's health check
    assert "http-request disable-l7-retry unless METH_GET || METH_HEAD || METH_OPTIONS" in text
    assert "http-request set-header X-Forwarded-Proto https" in text  # overwritten
    assert "rid=%[var(txn.rid)]" in text  # the request id in the proxy's log
    # The proxy's id rule is the app's (guifan/requestid.py).
    from guifan.requestid import _ACCEPTED

    assert f"-m reg {_ACCEPTED.pattern}" in text


@needs_haproxy
def test_haproxy_accepts_the_local_and_the_container_configuration(
    tmp_path: Path, pem: Path
) -> None:
    local = tmp_path / "local.cfg"
    local.write_text(render(TEMPLATE, local_values(tmp_path, pem, "127.0.0.1:8101,127.0.0.1:8102")))
    values = json.loads((DEPLOY / "container" / "haproxy.values.json").read_text())
    container = tmp_path / "container.cfg"
    container.write_text(
        render(TEMPLATE, {**values, "TLS_PEM": str(pem), "RUN_DIR": str(tmp_path)})
    )
    for cfg in (local, container):
        check = subprocess.run(
            ["haproxy", "-c", "-f", str(cfg)], capture_output=True, text=True, check=False
        )
        assert check.returncode == 0, check.stdout + check.stderr
        warnings = [
            line
            for line in (check.stdout + check.stderr).splitlines()
            # app1/app2 exist only on the compose network (init-addr none: checked later).
            if "WARNING" in line and not (cfg == container and "could not resolve address" in line)
        ]
        assert not warnings


def test_the_container_proxy_configuration_is_the_template_rendered() -> None:
    values = json.loads((DEPLOY / "container" / "haproxy.values.json").read_text())
    committed = (DEPLOY / "container" / "haproxy.cfg").read_text()
    header, _, body = committed.partition("\n")
    assert header.startswith("# Rendered from deploy/haproxy/haproxy.cfg.in")
    assert body == render(TEMPLATE, values), "run deploy/render.py again (see the header)"


class _Upstream(http.server.BaseHTTPRequestHandler):
    """An app server: health checks pass; ``dying`` ones drop every other request unanswered."""

    dying = False
    seen: list[tuple[str, str]]

    def _answer(self) -> None:
        self.seen.append((self.command, self.path))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.dying and self.path != "/api/v1/health":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)  # dies with the request in hand
            return
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


def _serve(dying: bool) -> tuple[http.server.ThreadingHTTPServer, list[tuple[str, str]]]:
    seen: list[tuple[str, str]] = []
    handler = type("H", (_Upstream,), {"dying": dying, "seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


Seen = list[tuple[str, str]]
Proxy = tuple[int, Seen, Seen]


@pytest.fixture
def proxy(tmp_path: Path, pem: Path) -> Iterator[Proxy]:
    dead, dead_seen = _serve(dying=True)
    good, good_seen = _serve(dying=False)
    port = free_port()
    servers = f"127.0.0.1:{dead.server_address[1]},127.0.0.1:{good.server_address[1]}"
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(render(TEMPLATE, local_values(tmp_path, pem, servers, https_port=port)))
    process = subprocess.Popen(
        ["haproxy", "-db", "-f", str(cfg)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield port, dead_seen, good_seen
    finally:
        process.terminate()
        process.wait(timeout=10)
        dead.shutdown()
        good.shutdown()


def _request(port: int, method: str, path: str) -> int:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    data = b"{}" if method == "POST" else None
    request = urllib.request.Request(f"https://127.0.0.1:{port}{path}", data=data, method=method)
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


@needs_haproxy
def test_a_get_that_met_a_dying_server_is_retried_a_post_is_not(proxy: Proxy) -> None:
    port, dead_seen, good_seen = proxy
    gets = [_request(port, "GET", f"/api/v1/x?{i}") for i in range(6)]
    posts = [_request(port, "POST", f"/api/v1/orders?{i}") for i in range(6)]
    dead_posts = [p for m, p in dead_seen if m == "POST"]
    good_posts = [p for m, p in good_seen if m == "POST"]
    assert gets == [200] * 6  # every GET answered, on the other server when it met the dead one
    assert any(m == "GET" and p != "/api/v1/health" for m, p in dead_seen)  # it did meet it
    assert dead_posts, "no POST met the dying server: the test proves nothing"
    assert posts.count(502) == len(dead_posts)  # those failed to the client (it retries)...
    assert not set(dead_posts) & set(good_posts)  # ...and none was replayed on the other


def test_the_systemd_units_start_commands_this_project_installs() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    venv_bin = Path(sys.executable).parent
    for unit in ("guifan-app@.service", "guifan-worker@.service"):
        text = (DEPLOY / "systemd" / unit).read_text()
        (exec_start,) = [line for line in text.splitlines() if line.startswith("ExecStart=")]
        command = exec_start.removeprefix("ExecStart=").split()[0]
        assert command.startswith("/opt/guifan/.venv/bin/")
        name = command.rsplit("/", 1)[1]
        assert name in scripts or (venv_bin / name).exists(), name
        assert "NoNewPrivileges=yes" in text and "ProtectSystem=strict" in text
        assert "EnvironmentFile=/etc/guifan/env" in text
    assert "guifan.asgi:application" in (DEPLOY / "systemd" / "guifan-app@.service").read_text()


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze missing")
def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    """The units with this checkout's paths (systemd checks that ExecStart exists)."""
    venv = Path(sys.executable).parent.parent
    for source in (DEPLOY / "systemd").glob("guifan*"):
        text = source.read_text().replace("/opt/guifan/.venv", str(venv))
        text = text.replace("/opt/guifan", str(ROOT)).replace("=guifan\n", "=root\n")
        text = text.replace("/etc/guifan/env", str(DEPLOY / "systemd" / "env.example"))
        name = source.name.replace("@.", "@1.")
        (tmp_path / name).write_text(text)
    units = sorted(str(p) for p in tmp_path.iterdir())
    verify = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verify.returncode == 0 and not verify.stderr.strip(), verify.stderr


def test_the_compose_file_runs_the_same_set() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "migrate", "app1", "app2", "worker", "proxy"} <= services.keys()
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert services["app2"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    build = services["app1"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).is_file()
    assert (DEPLOY / build["context"] / "uv.lock").is_file()
    mounts = [v.split(":")[0] for v in services["proxy"]["volumes"]]
    assert (DEPLOY / mounts[0]).is_file()  # the rendered haproxy.cfg
    for port in services["proxy"]["ports"]:
        assert port.startswith("127.0.0.1:")
    values = json.loads((DEPLOY / "container" / "haproxy.values.json").read_text())
    assert values["APP_SERVERS"] == "app1:8000,app2:8000"


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
def test_secrets_and_state_stay_out_of_git() -> None:
    for path in ("var/deploy/env", "var/deploy/tls/guifan.key", "deploy/container/guifan.env"):
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT, check=False)
        assert ignored.returncode == 0, f"{path} is not ignored by git"


def test_up_names_the_package_to_install_when_the_proxy_is_missing(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    dirname = shutil.which("dirname")
    assert dirname
    (bin_dir / "dirname").symlink_to(dirname)  # all lib.sh needs before the first check
    result = subprocess.run(
        ["/bin/sh", str(DEPLOY / "local" / "up")],
        env={"PATH": str(bin_dir), "GUIFAN_DEPLOY_DIR": str(tmp_path / "state")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "haproxy is missing. Install it with: apt-get update && apt-get install -y haproxy" in (
        result.stderr
    )
    assert not (tmp_path / "state").exists()  # nothing written before the checks pass


def test_status_says_not_started_and_fails(tmp_path: Path) -> None:
    result = subprocess.run(
        ["sh", str(DEPLOY / "local" / "status")],
        env={"PATH": "/usr/bin:/bin", "GUIFAN_DEPLOY_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "not started" in result.stdout
