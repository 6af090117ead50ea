"""Bearer-token authentication for the API, and role checks."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from guifan.apps.accounts.models import ApiToken, Role, User
from guifan.clock import SystemClock
from guifan.errors import PermissionDenied

# digest -> (user id, monotonic expiry): integrations send thousands of requests a minute;
# a revoked token stops working within CACHE_SECONDS.
CACHE_SECONDS = 10.0
_cache: dict[str, tuple[User, float]] = {}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
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
