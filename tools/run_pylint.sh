#!/usr/bin/env bash
# pylint-odoo over the add-on, linked as l10n_fr_chorus_pro so the plugin recognises the module.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$repo" "$work/l10n_fr_chorus_pro"
cd "$work" && "${PYTHON:-python3}" -m pylint --rcfile="$repo/.pylintrc" l10n_fr_chorus_pro
