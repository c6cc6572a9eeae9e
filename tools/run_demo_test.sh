#!/usr/bin/env bash
# Part of `make test` when Odoo is importable: `make demo` in a fresh database on ports of its own,
# then tools/demo_check.py (the delays to its login page and to its printed URL, the printed login, a send over
# JSON-RPC), then stop.
set -u
py=${PYTHON:-python3}
if ! "$py" -c 'import odoo' >/dev/null 2>&1; then
  echo "demo: $py does not import Odoo: run make test, which prepares it." >&2
  exit 1
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
state=$(mktemp -d)
db=chorus_demo_check_$$
odoo_port=${CHORUS_DEMO_TEST_ODOO_PORT:-8269}
sandbox_port=${CHORUS_DEMO_TEST_SANDBOX_PORT:-8289}
started=$("$py" -c 'import time; print(time.monotonic())')
echo "--- demo: make demo in a fresh database $db"
DEMO_DB=$db DEMO_ODOO_PORT=$odoo_port DEMO_SANDBOX_PORT=$sandbox_port DEMO_STATE_DIR=$state DEMO_RESET=1 \
  "$repo/tools/demo.sh" >"$state/demo.out" 2>&1 &
demo_pid=$!
"$py" "$repo/tools/demo_check.py" --url "http://127.0.0.1:$odoo_port" --sandbox-url "http://127.0.0.1:$sandbox_port" \
  --db "$db" --started "$started" --output "$state/demo.out"
rc=$?
# A background job ignores SIGINT: TERM runs the same clean stop as Ctrl-C.
kill -TERM "$demo_pid" 2>/dev/null
wait "$demo_pid"
[ $rc -eq 0 ] || { tail -n 40 "$state/demo.out"; tail -n 40 "$state/odoo.log" 2>/dev/null; }
dropdb --if-exists "$db"
rm -rf "$state"
exit $rc
