# Sourced by the scripts that run Odoo or pylint on the add-on.
# addon_folder DIR: makes DIR/l10n_fr_chorus_pro, the add-on as Odoo sees it, whatever the checkout's folder
# is called: a link to each top-level entry of the repository, except what is local to this checkout
# (.venv, .demo, build/ and other dot folders). Odoo's translation export walks the whole module folder and
# follows links: .venv would add its packages' strings, and .demo's own link back to the add-on a loop.
addon_folder() {
  local folder="$1/l10n_fr_chorus_pro" entry
  rm -rf "$folder" && mkdir -p "$folder" || return 1
  for entry in "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"/*; do
    [ "${entry##*/}" = build ] || ln -s "$entry" "$folder/"
  done
}
