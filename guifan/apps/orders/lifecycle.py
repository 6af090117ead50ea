"""The work-order lifecycle: which action moves an order from which status to which."""

from __future__ import annotations

from guifan.apps.orders.choices import Status as S

# action -> (allowed from-statuses, to-status)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "analyse": (frozenset({S.RECEIVED}), S.ANALYSED),
    "remote_start": (frozenset({S.ANALYSED}), S.REMOTE),
    "remote_resolved": (frozenset({S.REMOTE}), S.CALLBACK),
    "await_appointment": (frozenset({S.ANALYSED, S.REMOTE, S.ON_SITE}), S.AWAITING_APPOINTMENT),
    "schedule": (frozenset({S.AWAITING_APPOINTMENT, S.SCHEDULED, S.DISPATCHED}), S.SCHEDULED),
    "dispatch": (frozenset({S.SCHEDULED, S.DISPATCHED}), S.DISPATCHED),
    "depart": (frozenset({S.DISPATCHED}), S.EN_ROUTE),
    "arrive": (frozenset({S.EN_ROUTE}), S.ON_SITE),
    "complete": (frozenset({S.ON_SITE, S.BRING_BACK}), S.COMPLETED),
    "bring_back": (frozenset({S.ON_SITE}), S.BRING_BACK),
    "callback": (frozenset({S.COMPLETED}), S.CALLBACK),
    "close": (frozenset({S.CALLBACK}), S.CLOSED),
    # A callback found it not fixed, or an audit a false closure (QA-01, QA-06): a new visit.
    "reopen": (frozenset({S.COMPLETED, S.CALLBACK, S.CLOSED}), S.AWAITING_APPOINTMENT),
    "cancel": (
        frozenset(
            {S.RECEIVED, S.ANALYSED, S.REMOTE, S.AWAITING_APPOINTMENT, S.SCHEDULED, S.DISPATCHED}
        ),
        S.CANCELLED,
    ),
}

OPEN_STATUSES = frozenset(S) - {S.COMPLETED, S.CANCELLED, S.CALLBACK, S.CLOSED}
