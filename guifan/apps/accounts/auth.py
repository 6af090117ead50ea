"""Bearer-token authentication for the API, and role checks."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from guifan.apps.accounts.addresses import client_address
from guifan.apps.accounts.models import ApiToken, Role, User
from guifan.clock import SystemClock
from guifan.errors import PermissionDenied, Throttled

# digest -> (user id, monotonic expiry): integrations send thousands of requests a minute;
# a revoked token stops working within CACHE_SECONDS.
CACHE_SECONDS = 10.0
_cache: dict[str, tuple[User, float]] = {}


class TokenFailureThrottle(SimpleRateThrottle):
    """Failed bearer tokens per client address, GUIFAN_TOKEN_FAILURE_RATE ("30/10m").

    django-ninja's throttle (already the API's framework): a sliding window in Django's cache,
    keyed by the client address the login lock-out uses too. django-axes counts logins by
    username and cannot key on a token; ninja's own throttles count every request, so this one
    records failures only and is checked before the token is looked up. The cache is per
    process unless CACHES names a shared one.
    """

    scope = "token_failure"

    def __init__(self) -> None:
        super().__init__(rate=settings.GUIFAN_TOKEN_FAILURE_RATE)

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def blocked(self, request: HttpRequest) -> bool:
        """Whether the address used up its failures in the window (records nothing)."""
        assert self.num_requests is not None and self.duration is not None  # rate is set
        # time.time, held as a class attribute the way ninja itself calls it.
        since = self.timer() - self.duration  # type: ignore[misc]
        history = self.cache.get(self.get_cache_key(request), [])
        return sum(1 for t in history if t > since) >= self.num_requests

    def record_failure(self, request: HttpRequest) -> None:
        self.allow_request(request)


THROTTLED_MESSAGE = "失败的令牌尝试过多，请稍后再试。"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        # Before any lookup, the in-process cache included: a blocked address learns nothing.
        throttle = TokenFailureThrottle()
        if throttle.blocked(request):
            raise Throttled("auth.throttled", THROTTLED_MESSAGE, field="Authorization")
        digest = ApiToken.hash(token)
        now = SystemClock().monotonic()
        hit = _cache.get(digest)
        if hit is not None and hit[1] > now:
            return hit[0]
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest, revoked=False, user__is_active=True)
            .first()
        )
        if row is None:
            _cache.pop(digest, None)
            throttle.record_failure(request)
            return None
        if len(_cache) > 10_000:
            _cache.clear()
        _cache[digest] = (row.user, now + CACHE_SECONDS)
        return row.user


def require_role(user: User, *roles: str) -> User:
    """Admins may do anything; everyone else needs one of ``roles``."""
    if user.role == Role.ADMIN or user.is_superuser or user.role in roles:
        return user
    raise PermissionDenied(
        "auth.role", f"角色 {user.get_role_display()} 无权执行此操作", field="role"
    )


def request_user(request: HttpRequest, *roles: str) -> User:
    """The token's user, who must hold one of ``roles`` (admins always may)."""
    user = request.auth  # type: ignore[attr-defined]  # set by TokenAuth
    if not isinstance(user, User):
        raise PermissionDenied("auth.required", "需要有效的 API 令牌", field="Authorization")
    return require_role(user, *roles)
