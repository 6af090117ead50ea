"""The hall's complaints now live in ``cases.Case`` (kind HAL-08, ADR 0020); the rows were
copied by ``cases.0002_move_hall_complaints`` before this drops the table."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("hall", "0006_add_hall_complaint"),
        ("cases", "0002_move_hall_complaints"),
    ]

    operations = [migrations.DeleteModel(name="HallComplaint")]
