"""Reads kept for the rest of one request: the same answer asked for again costs no query.

A request asks the same questions many times (the norm parameters in force, the areas a
dispatcher is posted to) from services that do not know of each other. Inside
``request_scope()`` (the request id middleware opens one per request) ``request_memo`` keeps
the first answer; outside a request (worker, CLI, tests calling services) it asks every time.
A model whose rows an answer comes from forgets it on save/delete (``memo_forget_on``), so a
request that edits them reads its own edit.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("guifan_request_memo", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def request_memo(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per request for ``key``; every time outside a request."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key in memo:
        return memo[key]  # type: ignore[no-any-return]
    value = memo[key] = compute()
    return value


def request_memo_forget(kind: str) -> None:
    """Drop the answers whose key is ``kind`` or a tuple starting with it."""
    memo = _memo.get()
    if not memo:
        return
    for key in [k for k in memo if k == kind or (isinstance(k, tuple) and k[:1] == (kind,))]:
        del memo[key]


def memo_forget_on(model: Any, kind: str) -> None:
    """Forget ``kind`` whenever a row of ``model`` is saved or deleted (call from ``ready``)."""
    from django.db.models.signals import post_delete, post_save

    def forget(**_: Any) -> None:
        request_memo_forget(kind)

    post_save.connect(forget, sender=model, weak=False, dispatch_uid=f"memo:{kind}:save")
    post_delete.connect(forget, sender=model, weak=False, dispatch_uid=f"memo:{kind}:delete")
