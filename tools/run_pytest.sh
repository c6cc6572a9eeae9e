#!/usr/bin/env bash
# Pure-Python suite (no Odoo): runs from its own rootdir, see chorus_core/tests/pytest.ini.
set -u
cd "$(dirname "$0")/../chorus_core/tests" || exit 1
"${PYTHON:-python3}" -m pytest "$@"
rc=$?
# Exit 5 means pytest collected nothing: a broken suite, not a success.
[ "$rc" -eq 5 ] && echo "pytest collected no test in chorus_core/tests" >&2
exit "$rc"
