"""Sparklines written in Python (ADR 0031) read as the template wrote them."""

from __future__ import annotations

import datetime as dt
import random

from django.template import Context, Template
from django.template.defaultfilters import floatformat

from guifan.apps.web.quality.charts import one_decimal, spark_svg, sparkline
from guifan.norms.stats import DayPoint, Tally

FORMER = Template(
    '<svg class="spark" viewBox="0 0 {{ chart.width }} {{ chart.height }}" '
    'width="{{ chart.width }}" height="{{ chart.height }}" role="img" '
    'aria-label="{{ chart.summary }}" focusable="false">{% for points in chart.lines %}'
    '<polyline points="{{ points }}"/>{% endfor %}{% for d in chart.dots %}'
    "<circle cx=\"{{ d.x|floatformat:'1u' }}\" cy=\"{{ d.y|floatformat:'1u' }}\" "
    'r="1.8"/>{% endfor %}</svg>'
)


def test_one_decimal_rounds_as_floatformat() -> None:
    rng = random.Random(3)
    values = [rng.uniform(0, 120) for _ in range(2000)] + [i / 20 for i in range(2400)]
    assert [one_decimal(v) for v in values] == [floatformat(v, "1u") for v in values]


def test_the_svg_is_the_former_templates() -> None:
    day = dt.date(2025, 6, 1)
    series = [
        DayPoint(day + dt.timedelta(days=i), Tally(i % 4 * 3, i % 3) if i % 4 else Tally())
        for i in range(30)
    ]
    chart = sparkline(series)
    assert chart.dots and len(chart.lines) > 1  # gaps included
    assert spark_svg(chart) == FORMER.render(Context({"chart": chart}))
