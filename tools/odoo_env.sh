#!/usr/bin/env bash
# Runs a command with PYTHON set to a Python that imports Odoo 18 and has the test requirements:
# $PYTHON (python3 by default) when it imports Odoo, as on machines where Odoo is installed;
# otherwise the project's .venv, which tools/bootstrap.py prepares on the first run and only
# checks on the next ones.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-python3}
# Without importing Odoo (that alone takes seconds): make demo pays this check on every start.
if ! "$py" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("odoo") is None)' 2>/dev/null; then
  "$py" "$repo/tools/bootstrap.py" || exit $?
  py="$repo/.venv/bin/python"
  export PATH="$repo/.venv/bin:$PATH"
fi
export PYTHON=$py
"$repo/tools/ensure_requirements.sh" || exit $?
exec "$@"
