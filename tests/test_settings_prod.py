"""The default entry points run production settings, and those refuse to start unsafe."""

from __future__ import annotations

import ast
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from guifan.settings.keys import REPO_KEYS

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(64)


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter in the repo with no settings chosen, plus ``env``."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DJANGO_SETTINGS_MODULE",
            "DATABASE_URL",
            "GUIFAN_SECRET_KEY",
            "GUIFAN_SECRET_KEY_FALLBACKS",
            "GUIFAN_DEBUG",
            "GUIFAN_SECURE_SSL_REDIRECT",
            "GUIFAN_HSTS_SECONDS",
            "GUIFAN_SECURE_PROXY_SSL_HEADER",
            "GUIFAN_CLOCK_AT",
            "GUIFAN_CLOCK_SINCE",
            # The browser tests set it for Playwright's event loop; a deployment never does.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    clean["PYTHONWARNINGS"] = "ignore"
    return subprocess.run(
        [sys.executable, *args],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def serve(**env: str) -> subprocess.CompletedProcess[str]:
    """Load the WSGI application as ``gunicorn guifan.wsgi`` would, and print its DEBUG."""
    code = "import guifan.wsgi; from django.conf import settings; print('DEBUG', settings.DEBUG)"
    return run("-c", code, **env)


def settings_keys(path: Path) -> set[str]:
    """Every string literal in the value of a ``SECRET_KEY = ...`` assignment in ``path``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "SECRET_KEY" for t in node.targets
        ):
            found |= {
                c.value
                for c in ast.walk(node.value)
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            }
    return found


def test_every_key_written_in_the_settings_is_on_the_denylist() -> None:
    written: set[str] = set()
    for path in sorted((ROOT / "guifan" / "settings").glob("*.py")):
        written |= settings_keys(path)
    # Environment variable names are not keys.
    written -= {"GUIFAN_SECRET_KEY", ""}
    assert written, "no key strings found: the scan is broken"
    assert written <= REPO_KEYS, f"add these to guifan/settings/keys.py: {written - REPO_KEYS}"


@pytest.mark.parametrize("key", sorted(REPO_KEYS))
def test_the_wsgi_app_refuses_a_key_from_the_repo(key: str) -> None:
    result = serve(GUIFAN_SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "GUIFAN_SECRET_KEY is a key from the guifan repository" in result.stderr


@pytest.mark.parametrize(
    ("key", "said"),
    [
        (None, "GUIFAN_SECRET_KEY is not set"),
        ("x" * 49, "GUIFAN_SECRET_KEY is too short"),
        ("ab" * 40, "GUIFAN_SECRET_KEY is too short or too simple"),
    ],
)
def test_the_wsgi_app_refuses_a_missing_short_or_simple_key(key: str | None, said: str) -> None:
    result = serve(**({"GUIFAN_SECRET_KEY": key} if key is not None else {}))
    assert result.returncode != 0
    assert said in result.stderr


def test_the_wsgi_app_refuses_debug() -> None:
    result = serve(GUIFAN_SECRET_KEY=GOOD_KEY, GUIFAN_DEBUG="1")
    assert result.returncode != 0
    assert "GUIFAN_DEBUG asks for DEBUG" in result.stderr


def test_the_wsgi_app_serves_production_settings_with_a_good_key() -> None:
    result = serve(GUIFAN_SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


def test_manage_check_deploy_is_clean_with_production_defaults() -> None:
    result = run(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", GUIFAN_SECRET_KEY=GOOD_KEY
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_tls_terminating_proxy_can_switch_redirect_and_hsts_off() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run(
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="guifan.settings.prod",
        GUIFAN_SECRET_KEY=GOOD_KEY,
        GUIFAN_SECURE_SSL_REDIRECT="0",
        GUIFAN_HSTS_SECONDS="0",
        GUIFAN_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "0", "('HTTP_X_FORWARDED_PROTO',", "'https')"]


def test_the_cli_chooses_development_settings_when_none_are_named() -> None:
    code = (
        "from guifan.cli import _django; _django.setup(); "
        "from django.conf import settings; print(settings.SETTINGS_MODULE)"
    )
    result = run("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "guifan.settings.dev"


DEMO_MOMENT = "2025-06-03T11:00:00+08:00"


def test_the_wsgi_app_refuses_a_moved_clock() -> None:
    result = serve(GUIFAN_SECRET_KEY=GOOD_KEY, GUIFAN_CLOCK_AT=DEMO_MOMENT)
    assert result.returncode != 0
    assert "GUIFAN_CLOCK_AT moves the product's clock" in result.stderr


def test_a_worker_on_production_settings_refuses_a_moved_clock() -> None:
    result = run(
        "-m",
        "guifan",
        "worker",
        "--batch",
        DJANGO_SETTINGS_MODULE="guifan.settings.prod",
        GUIFAN_SECRET_KEY=GOOD_KEY,
        GUIFAN_CLOCK_AT=DEMO_MOMENT,
    )
    assert result.returncode != 0
    assert "GUIFAN_CLOCK_AT moves the product's clock" in result.stderr
    assert "worker:" not in result.stdout


CLOCK_NOW = (
    "from guifan.cli import _django; _django.setup(); "
    "from guifan.clock import local, now; print(local(now()).isoformat())"
)


def test_development_settings_run_the_clock_from_guifan_clock_at() -> None:
    result = run("-c", CLOCK_NOW, GUIFAN_CLOCK_AT=DEMO_MOMENT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2025-06-03T11:00:0"), result.stdout


def test_a_clock_setting_without_an_offset_is_refused_naming_it() -> None:
    result = run("-c", CLOCK_NOW, GUIFAN_CLOCK_AT="2025-06-03T11:00")
    assert result.returncode != 0
    assert "GUIFAN_CLOCK_AT" in result.stderr


def test_production_serves_collected_hashed_and_compressed_static_files() -> None:
    code = (
        "import guifan.wsgi; from django.conf import settings; "
        "print(settings.STORAGES['staticfiles']['BACKEND'], settings.WHITENOISE_USE_FINDERS)"
    )
    result = run("-c", code, GUIFAN_SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert "whitenoise.storage.CompressedManifestStaticFilesStorage False" in result.stdout


def test_production_logs_through_the_handler_that_notices_a_full_disk() -> None:
    code = (
        "import guifan.wsgi, logging; print(type(logging.getLogger('guifan').handlers[0]).__name__)"
    )
    result = run("-c", code, GUIFAN_SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "WatchedStreamHandler"


PROD = "guifan.settings.prod"


def test_a_rotated_key_still_verifies_what_the_old_one_signed() -> None:
    old, new = secrets.token_urlsafe(64), secrets.token_urlsafe(64)
    sign = "from django.core import signing; print(signing.Signer(salt='s').sign('x'))"
    signed = run(
        "-c",
        f"import django; django.setup(); {sign}",
        GUIFAN_SECRET_KEY=old,
        DJANGO_SETTINGS_MODULE=PROD,
    )
    assert signed.returncode == 0, signed.stderr
    check = (
        "import django, sys; django.setup(); from django.core import signing; "
        f"print(signing.Signer(salt='s').unsign({signed.stdout.strip()!r}))"
    )
    rotated = run(
        "-c",
        check,
        GUIFAN_SECRET_KEY=new,
        GUIFAN_SECRET_KEY_FALLBACKS=old,
        DJANGO_SETTINGS_MODULE=PROD,
    )
    assert rotated.returncode == 0 and rotated.stdout.strip() == "x", rotated.stderr
    dropped = run("-c", check, GUIFAN_SECRET_KEY=new, DJANGO_SETTINGS_MODULE=PROD)
    assert "BadSignature" in dropped.stderr
    weak = run(
        "-c",
        "import django; django.setup()",
        GUIFAN_SECRET_KEY=new,
        GUIFAN_SECRET_KEY_FALLBACKS="short",
        DJANGO_SETTINGS_MODULE=PROD,
    )
    assert "too short" in weak.stderr
