"""QA-06's closure sample: reproducible from the order id and a fixed salt, no random state."""

from __future__ import annotations

import hashlib

SALT = "guifan-qa06-v1"


def sampled(order_id: int, rate_pct: float) -> bool:
    """Whether the closed order ``order_id`` is audited at ``rate_pct`` (0..100)."""
    digest = hashlib.sha256(f"{SALT}:{order_id}".encode()).digest()
    bucket = int.from_bytes(digest[:4], "big") % 10_000  # 0.01 % steps
    return bucket < round(rate_pct * 100)
