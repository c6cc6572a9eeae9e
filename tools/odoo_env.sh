#!/usr/bin/env bash
# Runs a command with PYTHON set to a Python that imports Odoo 18 and has the test requirements:
# $PYTHON (python3 by default) when it imports Odoo, as on machines where Odoo is installed;
# otherwise the project's .venv, which tools/bootstrap.py prepares on the first run and only
# checks on the next ones.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-python3}
# Odoo 18 itself, found without importing it (that alone takes seconds: make demo pays this check on every
# start); not another version, nor the bare odoo/ folder add-ons installed with pip leave.
odoo_18='
import importlib.util, pathlib, re, sys
spec = importlib.util.find_spec("odoo")
release = pathlib.Path(spec.origin).with_name("release.py") if spec and spec.origin else None
sys.exit(not (release and release.is_file() and re.search(r"^version_info = \(18, 0,", release.read_text(), re.M)))'
if ! "$py" -c "$odoo_18" 2>/dev/null; then
  "$py" "$repo/tools/bootstrap.py" || exit $?
  py="$repo/.venv/bin/python"
  export PATH="$repo/.venv/bin:$PATH"
fi
export PYTHON=$py
"$repo/tools/ensure_requirements.sh" || exit $?
exec "$@"
