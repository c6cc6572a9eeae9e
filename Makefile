# Public interface of the project: CI and the README use these targets. Each one runs with a Python
# that imports Odoo 18: python3 when it does, else .venv, prepared on the first run (tools/odoo_env.sh).
PYTHON ?= python3
export PYTHON
PORT ?= 8089
ENV = tools/odoo_env.sh

.PHONY: test test-pure test-odoo test-demo lint sandbox bench demo

# The Odoo suite first, so the pure suite's summary closes the output.
test: test-odoo test-demo test-pure

test-pure:
	@$(ENV) tools/run_pytest.sh

test-odoo:
	@$(ENV) tools/run_odoo_tests.sh

# `make demo` in a fresh database, checked over HTTP (JSON-RPC), then stopped.
test-demo:
	@$(ENV) tools/run_demo_test.sh

lint:
	@$(ENV) tools/run_lint.sh

# Odoo with the add-on and its demo data on the local sandbox: prints the URL and the login.
demo:
	@$(ENV) tools/demo.sh

sandbox:
	@$(ENV) sh -c '"$$PYTHON" -m chorus_core.sandbox --port $(PORT)'

# Factur-X speed, queries and memory against Odoo's native export (an Odoo test tagged chorus_bench), then the
# demo's first start against Odoo's own install of the same dependencies.
bench:
	@$(ENV) sh -c '"$$PYTHON" tools/bench_facturx.py && "$$PYTHON" tools/bench_demo_start.py'
