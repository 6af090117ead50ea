"""What the report's plots and tables share: the CJK font, PNG bytes, local ISO times."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from guifan.clock import local


def iso(value: dt.datetime | None) -> str | None:
    return local(value).isoformat() if value else None


def font_setup() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, rcParams

    from guifan.pdffont import full_font_path

    font_manager.fontManager.addfont(full_font_path())
    rcParams["font.sans-serif"] = ["Noto Sans CJK SC"]
    rcParams["font.family"] = "sans-serif"
    rcParams["axes.unicode_minus"] = False


def png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()
