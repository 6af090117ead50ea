#!/usr/bin/env python
"""Django's manage.py; production settings by default (the `guifan manage` CLI chooses dev)."""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guifan.settings.prod")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
