"""Login lock-out (django-axes) and bearer-token failure throttling, with the real limits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, override_settings

from guifan.apps.accounts import auth
from guifan.settings import base
from tests import factories as f

pytestmark = pytest.mark.django_db

GUESSER = "203.0.113.7"
OTHER = "198.51.100.9"


@pytest.fixture
def fresh() -> Iterator[None]:
    """No failures counted yet and no token remembered by this process."""
    cache.clear()
    auth._cache.clear()
    with override_settings(GUIFAN_TOKEN_FAILURE_RATE=base.GUIFAN_TOKEN_FAILURE_RATE):
        yield
    cache.clear()
    auth._cache.clear()


def api_get(token: str, address: str):  # type: ignore[no-untyped-def]
    return Client(REMOTE_ADDR=address).get(
        "/api/v1/orders?limit=1", headers={"Authorization": f"Bearer {token}"}
    )


def test_guessed_tokens_are_throttled_per_address_and_others_still_work(fresh) -> None:
    limit = int(base.GUIFAN_TOKEN_FAILURE_RATE.split("/")[0])
    answers = [api_get(f"guess-{i:04d}", GUESSER) for i in range(300)]
    assert Counter(r.status_code for r in answers) == {401: limit, 429: 300 - limit}
    assert [r.status_code for r in answers[: limit + 1]] == [401] * limit + [429]
    body = answers[-1].json()
    assert body.pop("request_id") == answers[-1]["X-Request-ID"]
    assert body == {
        "code": "auth.throttled",
        "message": "失败的令牌尝试过多，请稍后再试。",
        "field": "Authorization",
        "rule": None,
    }
    _, token = f.token("dispatcher")
    assert api_get(token, OTHER).status_code == 200
    # A right token from the blocked address is refused too, even one this process has just
    # seen: a guess must not tell.
    assert api_get(token, GUESSER).status_code == 429


def test_valid_tokens_are_never_counted(fresh) -> None:
    _, token = f.token("dispatcher")
    limit = int(base.GUIFAN_TOKEN_FAILURE_RATE.split("/")[0])
    for _ in range(limit + 5):
        auth._cache.clear()
        assert api_get(token, GUESSER).status_code == 200


def login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password})


def test_wrong_passwords_lock_the_user_out_with_a_chinese_page() -> None:
    person = f.user("dispatcher", username="disp2")
    person.set_password("right-password-1")
    person.save()
    client = Client(REMOTE_ADDR=GUESSER)
    answers = [login(client, "disp2", f"wrong-{i}") for i in range(200)]
    limit = base.AXES_FAILURE_LIMIT
    assert [r.status_code for r in answers[: limit - 1]] == [200] * (limit - 1)
    assert {r.status_code for r in answers[limit - 1 :]} == {429}
    page = answers[-1].content.decode()
    assert "该用户或该地址登录失败次数过多" in page
    # Locked: the right password does not help, from this address or (per user) from another.
    assert login(client, "disp2", "right-password-1").status_code == 429
    assert login(Client(REMOTE_ADDR=OTHER), "disp2", "right-password-1").status_code == 429
    # The lock-out is listed in the admin.
    attempt = AccessAttempt.objects.get(username="disp2", ip_address=GUESSER)
    assert attempt.failures_since_start >= limit
    admin = f.user("admin", username="root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    staff = Client()
    staff.force_login(admin)
    listing = staff.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "disp2" in listing.content.decode()


def test_wrong_passwords_for_many_users_lock_the_address_out() -> None:
    person = f.user("dispatcher", username="real")
    person.set_password("right-password-1")
    person.save()
    client = Client(REMOTE_ADDR=GUESSER)
    for i in range(base.AXES_FAILURE_LIMIT):
        login(client, f"nobody-{i}", "wrong")
    assert login(client, "real", "right-password-1").status_code == 429
    # The same user from another address is not locked.
    assert login(Client(REMOTE_ADDR=OTHER), "real", "right-password-1").status_code == 302


def test_a_normal_login_is_not_throttled() -> None:
    person = f.user("dispatcher", username="ok")
    person.set_password("right-password-1")
    person.save()
    client = Client(REMOTE_ADDR=GUESSER)
    for _ in range(base.AXES_FAILURE_LIMIT - 1):
        assert login(client, "ok", "wrong").status_code == 200
    assert login(client, "ok", "right-password-1").status_code == 302
    # A success resets the count: the next mistakes start from zero.
    client = Client(REMOTE_ADDR=GUESSER)
    for _ in range(base.AXES_FAILURE_LIMIT - 1):
        assert login(client, "ok", "wrong").status_code == 200
    assert login(client, "ok", "right-password-1").status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.2"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (1, None, "10.0.0.2"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
    ],
)
def test_the_client_address_is_the_one_the_proxies_appended(count, forwarded, expected) -> None:
    from django.test import RequestFactory

    from guifan.apps.accounts.addresses import client_address

    meta = {"REMOTE_ADDR": "10.0.0.2"}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(GUIFAN_PROXY_COUNT=count):
        assert client_address(RequestFactory().get("/", **meta)) == expected


def test_behind_a_proxy_a_forged_forwarded_for_does_not_escape_the_count(fresh) -> None:
    limit = int(base.GUIFAN_TOKEN_FAILURE_RATE.split("/")[0])
    _, token = f.token("dispatcher")

    def via_proxy(bearer: str, client: str, forged: str = ""):  # type: ignore[no-untyped-def]
        chain = f"{forged}, {client}" if forged else client
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=chain).get(
            "/api/v1/orders?limit=1", headers={"Authorization": f"Bearer {bearer}"}
        )

    with override_settings(GUIFAN_PROXY_COUNT=1):
        answers = [via_proxy(f"guess-{i}", GUESSER, forged=f"10.9.{i}.1") for i in range(limit + 1)]
        assert answers[-1].status_code == 429
        assert via_proxy(token, OTHER).status_code == 200
