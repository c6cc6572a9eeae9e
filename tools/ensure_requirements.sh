#!/usr/bin/env bash
# Before `make test`: install the test requirements when one of them is missing, as .ci/run does,
# so that a fresh clone needs nothing installed by hand first.
set -u
py=${PYTHON:-python3}
repo=$(cd "$(dirname "$0")/.." && pwd)
# Import names of requirements-dev.txt and requirements.txt (websocket is websocket-client, for the tours;
# oca_pre_commit_hooks is oca-odoo-pre-commit-hooks),
# found without importing them (make demo pays this check on every start).
if "$py" -c 'import importlib.util as util, sys; sys.exit(any(util.find_spec(name) is None for name in sys.argv[1:]))' \
  pytest jsonschema reportlab websocket whool oca_pre_commit_hooks facturx saxonche pypdf PIL requests lxml 2>/dev/null; then
  exit 0
fi
echo "--- installing the test requirements (requirements-dev.txt)"
"$py" -m pip install --quiet --disable-pip-version-check -r "$repo/requirements-dev.txt"
