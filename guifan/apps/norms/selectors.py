"""Reads of the norm parameters: the values in force now (a selector, so selectors may use it)."""

from __future__ import annotations

from guifan.apps.norms.models import NormParameter
from guifan.norms import NormSet
from guifan.requestmemo import request_memo

MEMO = "norms_snapshot"


def norms_snapshot() -> NormSet:
    """The parameter values in force now: catalog defaults overlaid with edited rows.

    Read once per request (``guifan.requestmemo``; an edit in the request forgets it)."""
    return request_memo(MEMO, _snapshot)


def _snapshot() -> NormSet:
    rows = NormParameter.objects.values_list("norm_id", "name", "value")
    return NormSet({(norm_id, name): value for norm_id, name, value in rows})
