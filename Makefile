# Public interface of the project: CI and the README use these targets.
PYTHON ?= python3
export PYTHON
PORT ?= 8089

.PHONY: test test-pure test-odoo test-demo requirements lint sandbox bench demo

# The Odoo suite first, so the pure suite's summary closes the output whether Odoo ran or not.
test: test-odoo test-demo test-pure

requirements:
	@tools/ensure_requirements.sh

test-pure: requirements
	@tools/run_pytest.sh

test-odoo: requirements
	@tools/run_odoo_tests.sh

# `make demo` in a fresh database, checked over HTTP (JSON-RPC), then stopped.
test-demo: requirements
	@tools/run_demo_test.sh

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	tools/run_pylint.sh

# Odoo with the add-on and its demo data on the local sandbox: prints the URL and the login.
demo:
	@tools/demo.sh

sandbox:
	$(PYTHON) -m chorus_core.sandbox --port $(PORT)

# Factur-X speed, queries and memory against Odoo's native export (an Odoo test tagged chorus_bench).
bench:
	$(PYTHON) tools/bench_facturx.py
