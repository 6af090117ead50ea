"""The norm catalog (pure): norm IDs, modes, parameters, verdicts.

The catalog is generated from NORMS.md (``scripts/build_norm_catalog.py``) and ships as
``catalog.json``. Editable parameter values live in the database (``guifan.apps.norms``);
rules read them through a :class:`NormSet` snapshot so a verdict can cite the norm and the
value it applied.
"""

from __future__ import annotations

from guifan.norms.catalog import Norm, NormSet, Param, catalog, norm_get
from guifan.norms.verdict import Verdict

__all__ = ["Norm", "NormSet", "Param", "Verdict", "catalog", "norm_get"]
