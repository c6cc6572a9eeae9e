#!/usr/bin/env bash
# `make demo`: the add-on on a local Chorus Pro sandbox, no PISTE account needed.
# Starts PostgreSQL (when installed and stopped) and the sandbox (state kept in .demo/, so a restart
# keeps the deposits), creates the demo database once (DEMO_RESET=1 recreates it), then serves Odoo
# in the foreground. Ctrl-C stops Odoo and the sandbox.
set -u
py=${PYTHON:-python3}
repo=$(cd "$(dirname "$0")/.." && pwd)
db=${DEMO_DB:-chorus_demo}
odoo_port=${DEMO_ODOO_PORT:-8069}
sandbox_port=${DEMO_SANDBOX_PORT:-8089}
state_dir=${DEMO_STATE_DIR:-$repo/.demo}

if ! "$py" -c 'import odoo' >/dev/null 2>&1; then
  echo "make demo needs Odoo 18 importable by $py (see the README, 'Install on an existing Odoo 18')." >&2
  exit 1
fi
"$repo/tools/ensure_requirements.sh" || exit 1

if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -q 2>/dev/null; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)
  [ -n "$version" ] && pg_ctlcluster "$version" main start
fi
pg_isready -q 2>/dev/null || { echo "PostgreSQL is not running: start it and run make demo again." >&2; exit 1; }

mkdir -p "$state_dir"
addons_dir="$state_dir/addons"
mkdir -p "$addons_dir"
ln -sfn "$repo" "$addons_dir/l10n_fr_chorus_pro"
odoo_pkg=$("$py" -c 'import odoo, os; print(os.path.dirname(odoo.__file__))')
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
trap stop INT TERM EXIT

is_installed() {
  [ "$(psql -tAd "$db" -c "select state from ir_module_module where name='l10n_fr_chorus_pro'" 2>/dev/null)" = installed ]
}
if [ -n "${DEMO_RESET:-}" ] || ! is_installed; then
  echo "--- demo: a fresh database $db"
  dropdb --if-exists "$db" || exit 1
  rm -rf "$state_dir/data/filestore/$db" "$state_dir/sandbox.json"
fi

cd "$repo" || exit 1
"$py" -m chorus_core.sandbox --port "$sandbox_port" --state-file "$state_dir/sandbox.json" \
  >"$state_dir/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 50); do
  grep -q "listening" "$state_dir/sandbox.log" 2>/dev/null && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$state_dir/sandbox.log"; exit 1; }
  sleep 0.1
done
echo "--- demo: Chorus Pro sandbox on http://127.0.0.1:$sandbox_port (log: $state_dir/sandbox.log)"

if ! is_installed; then
  echo "--- demo: installing l10n_fr_chorus_pro with its demo data (about a minute)"
  "$py" -m odoo "${opts[@]}" -i l10n_fr_chorus_pro --stop-after-init --log-level=warn >"$state_dir/install.log" 2>&1 \
    || { tail -n 40 "$state_dir/install.log"; exit 1; }
  DEMO_SANDBOX_URL="http://127.0.0.1:$sandbox_port" \
    "$py" -m odoo shell "${opts[@]}" --log-level=warn --no-http <"$repo/tools/demo_bootstrap.py" >>"$state_dir/install.log" 2>&1 \
    || { tail -n 40 "$state_dir/install.log"; exit 1; }
fi

cat <<MSG
=====================================================================
 Chorus Pro demo: http://127.0.0.1:$odoo_port/odoo/action-l10n_fr_chorus_pro.action_chorus_dashboard
 Login: admin   Password: admin   (company "FR Company")
 Play the buyer: python3 -m chorus_core.sandbox.recipient --help (README, "Playing the buyer").
 Ctrl-C stops Odoo and the sandbox.
=====================================================================
MSG
"$py" -m odoo "${opts[@]}" --log-level=warn &
odoo_pid=$!
wait "$odoo_pid"
