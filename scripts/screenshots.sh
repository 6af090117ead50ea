#!/usr/bin/env sh
# Refresh the README's screenshots (docs/screenshots/*.png): the browser journeys take them
# with shot(page, name) while GUIFAN_SCREENSHOTS=1, so the pictures show what the tests saw.
set -eu
cd "$(dirname "$0")/.."
sh bin/setup
sh bin/browser-deps
GUIFAN_SCREENSHOTS=1 .venv/bin/python -m pytest -p no:cacheprovider -q tests/browser "$@"
ls -1 docs/screenshots
