# Public interface of the project: CI and the README use these targets.
PYTHON ?= python3
PORT ?= 8089

.PHONY: test test-pure test-odoo lint sandbox bench

test: test-pure test-odoo

test-pure:
	@tools/run_pytest.sh

test-odoo:
	@tools/run_odoo_tests.sh

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	tools/run_pylint.sh

sandbox:
	$(PYTHON) -m chorus_core.sandbox --port $(PORT)
