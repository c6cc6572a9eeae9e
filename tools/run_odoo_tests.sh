#!/usr/bin/env bash
# Odoo suite: install the add-on in a fresh database, fail on any warning or error of the install,
# run its tests, then uninstall it. The add-on is given to Odoo as l10n_fr_chorus_pro (tools/addon_folder.sh),
# so any checkout folder name works.
set -u
py=${PYTHON:-python3}
if ! "$py" -c 'import odoo' >/dev/null 2>&1; then
  echo "odoo: $py does not import Odoo: run make test, which prepares it." >&2
  exit 1
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
. "$repo/tools/addon_folder.sh" && addon_folder "$work" || exit 1
odoo_pkg=$("$py" -c 'import odoo, os; print(os.path.dirname(odoo.__file__))')
addons="$odoo_pkg/addons,$work"
[ -d "$odoo_pkg/../addons" ] && addons="$(cd "$odoo_pkg/../addons" && pwd),$addons"
db=${CHORUS_TEST_DB:-chorus_test_$$}
data_dir=${CHORUS_TEST_DATA_DIR:-$HOME/.local/share/Odoo}
common=(-d "$db" --addons-path="$addons" --data-dir="$data_dir" --without-demo=all --stop-after-init
        --http-port="${CHORUS_TEST_HTTP_PORT:-8169}" --log-level=info)
cleanup() { dropdb --if-exists "$db" >/dev/null 2>&1; rm -rf "$work" "$data_dir/filestore/$db"; }
trap cleanup EXIT

step() {  # step NAME LOGFILE ARGS...: run Odoo, keep its log, fail on a non-zero exit
  local name=$1 log=$2; shift 2
  echo "--- odoo: $name"
  "$py" -m odoo "${common[@]}" "$@" >"$log" 2>&1
  local rc=$?
  if [ $rc -ne 0 ]; then tail -n 60 "$log"; echo "odoo: $name failed (exit $rc)"; return 1; fi
}
no_warnings() {  # the install and uninstall logs must be clean
  if grep -E ' (WARNING|ERROR|CRITICAL) ' "$1"; then echo "odoo: $2 logged warnings or errors (above)"; return 1; fi
}

# The dependencies' database is built once per Odoo version and copied for each run, with the French
# test company every test class uses (tools/odoo_test_company.py: its chart takes half a minute).
deps=account,l10n_fr_account,l10n_fr_facturx_chorus_pro
fixture="$repo/tools/odoo_test_company.py"
# Named after Odoo's version and location and the fixture, not the run's temporary folder, so runs share it.
template=chorus_deps_$(printf '%s' "$("$py" -c 'import odoo.release as r; print(r.serie, r.version_info)')$odoo_pkg$deps$(md5sum <"$fixture")" | md5sum | cut -c1-10)
exec 9>"/tmp/$template.lock"
flock 9  # one run builds the template, the others wait for it
if ! psql -lqt | cut -d'|' -f1 | grep -qw "$template"; then
  common_template=("${common[@]}"); common_template[1]=$template
  echo "--- odoo: build the dependencies' database $template"
  "$py" -m odoo "${common_template[@]}" -i "$deps" >"$work/deps.log" 2>&1 \
    || { tail -n 60 "$work/deps.log"; dropdb --if-exists "$template"; exit 1; }
  "$py" -m odoo shell "${common_template[@]}" <"$fixture" >>"$work/deps.log" 2>&1 \
    || { tail -n 60 "$work/deps.log"; dropdb --if-exists "$template"; exit 1; }
fi
flock -u 9
createdb -T "$template" "$db" || exit 1
mkdir -p "$data_dir/filestore"
[ -d "$data_dir/filestore/$template" ] && cp -r "$data_dir/filestore/$template" "$data_dir/filestore/$db"
step "install l10n_fr_chorus_pro" "$work/install.log" -i l10n_fr_chorus_pro || exit 1
no_warnings "$work/install.log" "the install" || exit 1

# The committed template must be current and fr.po complete (CHORUS_UPDATE_POT=1 rewrites them).
step "export translations" "$work/export.log" --i18n-export="$work/exported.pot" --modules=l10n_fr_chorus_pro || exit 1
"$py" "$repo/tools/check_translations.py" "$work/exported.pot" "$repo/i18n" ${CHORUS_UPDATE_POT:+--update} || exit 1

step "tests" "$work/tests.log" --test-enable --test-tags "${CHORUS_TEST_TAGS:-/l10n_fr_chorus_pro}"
tests_rc=$?
# Failures with their tracebacks.
awk '/^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) /{p=1; print; next} /^[0-9-]+ [0-9:,]+ [0-9]+ /{p=0} p' "$work/tests.log" | head -n 400
summary=$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$work/tests.log" | tail -n 1)
echo "odoo: ${summary:-no test summary found}"
[ $tests_rc -eq 0 ] || exit 1
read -r failed errors total < <(echo "$summary" | grep -oE '[0-9]+' | tr '\n' ' ')
if [ -z "${total:-}" ] || [ "$total" -eq 0 ]; then echo "odoo: no test ran: the Odoo suite is broken"; exit 1; fi
# With Chromium on the machine the browser tours must run, not be skipped (no websocket-client...).
if command -v chromium >/dev/null 2>&1 && grep -E ' INFO .* skipped .*test_tour' "$work/tests.log"; then
  echo "odoo: the browser tours were skipped although Chromium is installed (above)"; exit 1
fi

echo "--- odoo: uninstall l10n_fr_chorus_pro"
"$py" -m odoo shell "${common[@]}" >"$work/uninstall.log" 2>&1 <<'PY'
env["ir.module.module"].search([("name", "=", "l10n_fr_chorus_pro")]).button_immediate_uninstall()
env.cr.commit()
PY
no_warnings "$work/uninstall.log" "the uninstall" || exit 1
state=$(psql -tA -d "$db" -c "select state from ir_module_module where name='l10n_fr_chorus_pro'")
[ "$state" = "uninstalled" ] || { tail -n 40 "$work/uninstall.log"; echo "odoo: uninstall left state '$state'"; exit 1; }

echo "odoo: $((total - failed - errors)) passed, $((failed + errors)) failed"
