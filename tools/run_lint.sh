#!/usr/bin/env bash
# `make lint`: the checks .pre-commit-config.yaml runs too (ruff, pylint-odoo, OCA's manifest and XML hooks).
set -u
cd "$(dirname "$0")/.." || exit 1
py=${PYTHON:-python3}
"$py" -m ruff check . && "$py" -m ruff format --check . && tools/run_pylint.sh
