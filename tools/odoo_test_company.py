"""Run by tools/run_odoo_tests.sh in `odoo shell` on the dependencies' template database.

Loading the French chart of accounts takes about 30 s; every test class of the add-on needs a
French company with it. Made once here, in the template every test database is copied from, it is
found by ChorusCommon (tests/common.py), which loads a chart itself when it is missing.
"""

# `env` is given by odoo shell.
NAME = "Chorus Pro test company (French chart)"
company = env["res.company"].search([("name", "=", NAME)])  # noqa: F821
if not company:
    france = env.ref("base.fr")  # noqa: F821
    values = {"name": NAME, "country_id": france.id, "currency_id": france.currency_id.id}
    # As in Odoo's own tests: no automatic install of the country's other modules (Peppol...).
    company = env["res.company"].with_context(chart_template_load=True).create(values)  # noqa: F821
    env["account.chart.template"].try_loading("fr", company=company, install_demo=False)  # noqa: F821
    env.cr.commit()  # noqa: F821
print(f"test company {company.id}: chart {company.chart_template}")
