"""Run by tools/run_odoo_tests.sh in `odoo shell` on the dependencies' template database.

Loading the French chart of accounts takes about 30 s; every test class of the add-on needs a
French company with it. Made once here, in the template every test database is copied from, it is
found by ChorusCommon (tests/common.py), which loads a chart itself when it is missing.
"""

from odoo.addons.l10n_fr_chorus_pro.tests.common import shared_company

# `env` is given by odoo shell.
company = shared_company(env)  # noqa: F821
env.cr.commit()  # noqa: F821
print(f"test company {company.id}: chart {company.chart_template}")
