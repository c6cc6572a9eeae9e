#!/usr/bin/env bash
# `make lint`: the checks .pre-commit-config.yaml runs at each commit (ruff, pylint-odoo, OCA's module and .po checks).
set -u
cd "$(dirname "$0")/.." || exit 1
py=${PYTHON:-python3}
bin=$(dirname "$("$py" -c 'import sys; print(sys.executable)')")
"$py" -m ruff check . && "$py" -m ruff format --check . && tools/run_pylint.sh \
  && "$bin/oca-checks-odoo-module" __manifest__.py \
  && "$bin/oca-checks-po" --disable=po-pretty-format i18n/*.po i18n/*.pot
