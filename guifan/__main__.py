from __future__ import annotations

from guifan.cli import main

main()
