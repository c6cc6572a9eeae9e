#!/usr/bin/env bash
# `make demo`: the add-on on a local Chorus Pro sandbox, no PISTE account needed.
# Starts PostgreSQL (when installed and stopped) and the sandbox (state kept in .demo/, so a restart
# keeps the deposits), then serves Odoo in the foreground, creating the demo database on the first run
# (DEMO_RESET=1 recreates it). Ctrl-C stops Odoo and the sandbox.
set -u
py=${PYTHON:-python3}
repo=$(cd "$(dirname "$0")/.." && pwd)
db=${DEMO_DB:-chorus_demo}
odoo_port=${DEMO_ODOO_PORT:-8069}
sandbox_port=${DEMO_SANDBOX_PORT:-8089}
state_dir=${DEMO_STATE_DIR:-$repo/.demo}

# Where Odoo is, without importing it (that alone takes seconds).
odoo_pkg=$("$py" -c 'import importlib.util, os; print(os.path.dirname(importlib.util.find_spec("odoo").origin))' 2>/dev/null)
if [ -z "$odoo_pkg" ]; then
  echo "$py does not import Odoo: run make demo, which prepares it." >&2
  exit 1
fi

if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -q 2>/dev/null; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)
  [ -n "$version" ] && pg_ctlcluster "$version" main start
fi
pg_isready -q 2>/dev/null || { echo "PostgreSQL is not running: start it and run make demo again." >&2; exit 1; }

mkdir -p "$state_dir"
addons_dir="$state_dir/addons"
mkdir -p "$addons_dir"
. "$repo/tools/addon_folder.sh" && addon_folder "$addons_dir" || exit 1
addons="$odoo_pkg/addons,$addons_dir"
[ -d "$odoo_pkg/../addons" ] && addons="$(cd "$odoo_pkg/../addons" && pwd),$addons"
opts=(-d "$db" --db-filter="^$db\$" --addons-path="$addons" --data-dir="$state_dir/data"
      --http-interface=127.0.0.1 --http-port="$odoo_port")

sandbox_pid=""
odoo_pid=""
stop() {
  trap - INT TERM EXIT
  [ -n "$odoo_pid" ] && kill "$odoo_pid" 2>/dev/null && wait "$odoo_pid" 2>/dev/null
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
  echo "demo stopped"
}
trap stop EXIT
trap 'stop; exit 130' INT TERM

# Installed and bootstrapped (tools/demo_bootstrap.py sets the parameter when it is done); else made again.
is_ready() {
  [ "$(psql -tAd "$db" -c "select value from ir_config_parameter where key='l10n_fr_chorus_pro.demo_bootstrapped'" 2>/dev/null)" = 1 ]
}
if [ -n "${DEMO_RESET:-}" ] || ! is_ready; then
  echo "--- demo: a fresh database $db"
  dropdb --if-exists "$db" || exit 1
  rm -rf "$state_dir/data/filestore/$db" "$state_dir/sandbox.json"
fi

cd "$repo" || exit 1
"$py" -m chorus_core.sandbox --port "$sandbox_port" --state-file "$state_dir/sandbox.json" \
  >"$state_dir/sandbox.log" 2>&1 &
sandbox_pid=$!

log="$state_dir/odoo.log"
: >"$log"
export DEMO_ODOO_URL="http://127.0.0.1:$odoo_port" DEMO_SANDBOX_URL="http://127.0.0.1:$sandbox_port"
install=()
if ! is_ready; then
  echo "--- demo: installing l10n_fr_chorus_pro with its demo data, then sending some invoices (about two minutes)"
  install=(-i l10n_fr_chorus_pro)
  # DEMO_LANG=fr_FR: the demo in French (its translations loaded at install, the admin's language).
  [ -n "${DEMO_LANG:-}" ] && install+=(--load-language="$DEMO_LANG")
  export DEMO_BOOTSTRAP=1
fi
echo "--- demo: Odoo's log: $log"
# One process installs, runs the bootstrap once it serves, then prints the URL (tools/demo_server.py).
# Its stderr too: Odoo's threads print their tracebacks there when it stops.
"$py" "$repo/tools/demo_server.py" "${opts[@]}" "${install[@]}" --logfile="$log" 2>>"$log" &
odoo_pid=$!
# The sandbox starts while Odoo installs: the bootstrap needs it only once the module is installed.
for _ in $(seq 100); do
  grep -q "listening" "$state_dir/sandbox.log" 2>/dev/null && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$state_dir/sandbox.log"; exit 1; }
  sleep 0.1
done
echo "--- demo: Chorus Pro sandbox on $DEMO_SANDBOX_URL (log: $state_dir/sandbox.log)"
wait "$odoo_pid"
rc=$?
odoo_pid=""
[ $rc -eq 0 ] || { tail -n 40 "$log"; exit $rc; }
