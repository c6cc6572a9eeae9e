#!/usr/bin/env bash
# pylint-odoo over the add-on, as l10n_fr_chorus_pro (tools/addon_folder.sh) so the plugin recognises the module.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$repo/tools/addon_folder.sh" && addon_folder "$work" || exit 1
cd "$work" && "${PYTHON:-python3}" -m pylint --rcfile="$repo/.pylintrc" l10n_fr_chorus_pro
