"""``{% load quality_tables %}``: the compliance tables' body rows, written in Python.

A city's month has hundreds of rows (every area, team and person); the template language
spent most of the page's time on them (ADR 0031). The rows read as ``_table.html`` wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from guifan.apps.web.quality.present import Line

register = template.Library()


@register.simple_tag
def quality_rows(rows: Sequence[Line], with_norm: bool, none_label: object) -> SafeString:
    """The ``<tr>`` of each line: key (linked to its drill-down for norms), counts, rate, trend."""
    esc = conditional_escape
    out = []
    for r in rows:
        if with_norm:
            head = (
                f'<th scope="row"><a href="{esc(r.url)}">{esc(r.key)}</a></th>'
                f"<td>{esc(r.label)}</td><td>{esc(r.mode)}</td>\n    "
            )
        else:
            head = f'<th scope="row">{esc(r.label or str(none_label))}</th>'
        t = r.tally
        bad = " bad" if t.broken else ""
        out.append(
            f"<tr>\n    {head}\n    "
            f'<td class="num">{t.checked}</td><td class="num">{t.kept}</td>'
            f'<td class="num{bad}">{t.broken}</td><td class="num rate">{esc(r.rate)}</td>\n    '
            f"<td>{r.spark_html}</td>\n  </tr>"
        )
    # Counts are ints and the rest escaped above.
    return mark_safe("".join(out))
