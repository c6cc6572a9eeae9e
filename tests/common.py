from unittest.mock import patch

from odoo import Command
from odoo.tools import config

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..models.res_company import ALLOW_CUSTOM_OPTION

COMPANY_SIRET = "73282932000074"
BUYER_SIRET = "12345678200051"
COMPANY_IBAN = "FR7630006000011234567890189"
COMPANY_VAT = "FR44732829320"  # the VAT number of COMPANY_SIRET's SIREN: the Factur-X needs it (BR-S-02)
# Made with its French chart in the template database by tools/odoo_test_company.py.
SHARED_COMPANY_NAME = "Chorus Pro test company (French chart)"


def shared_company(env):
    """The shared French company of the test database, made (not committed) when it is missing.

    tools/run_odoo_tests.sh makes it once in its template database; where Odoo runs the tests the
    standard way (``odoo -i l10n_fr_chorus_pro --test-enable``), the first test that needs it does.
    """
    company = env["res.company"].search([("name", "=", SHARED_COMPANY_NAME), ("chart_template", "=", "fr")], limit=1)
    if not company:
        france = env.ref("base.fr")
        values = {"name": SHARED_COMPANY_NAME, "country_id": france.id, "currency_id": france.currency_id.id}
        # As in Odoo's own tests: no automatic install of the country's other modules (Peppol...).
        company = env["res.company"].with_context(chart_template_load=True).create(values)
        env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
    return company


def allow_custom_environment(test_class):
    """Turn on the odoo.conf option that allows the custom environment (the local sandbox), for the class."""
    test_class.startClassPatcher(patch.dict(config.options, {ALLOW_CUSTOM_OPTION: True}))


class ChorusCommon(AccountTestInvoicingCommon):
    """A French company with a SIRET and an IBAN, and a public buyer with services."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        # The French chart takes half a minute to load: every class shares the company the test runner
        # made with it in the template database; each class's changes to it are rolled back with the class.
        shared = cls.env["res.company"].search([("name", "=", SHARED_COMPANY_NAME), ("chart_template", "=", "fr")])
        if shared and not kwargs:
            cls.env.user.company_ids = [Command.link(shared.id)]
            return shared
        return super().setup_independent_company(**kwargs)

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.siret = COMPANY_SIRET
        cls.company.vat = COMPANY_VAT
        cls.company_bank = cls.env["res.partner.bank"].create(
            {"acc_number": COMPANY_IBAN, "partner_id": cls.company.partner_id.id}
        )
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "Commune de Testville",
                "is_company": True,
                "country_id": cls.env.ref("base.fr").id,
                "chorus_is_public_buyer": True,
                "siret": BUYER_SIRET,
                "chorus_requirement": "none",
            }
        )
        cls.service_finance = cls.env["chorus.service"].create(
            {"partner_id": cls.buyer.id, "code": "FINANCES", "name": "Direction des finances"}
        )
        cls.service_works = cls.env["chorus.service"].create(
            {"partner_id": cls.buyer.id, "code": "TRAVAUX", "name": "Services techniques", "engagement_required": True}
        )
        cls.service_closed = cls.env["chorus.service"].create(
            {"partner_id": cls.buyer.id, "code": "ANCIEN", "name": "Service fermé", "active": False}
        )

    @classmethod
    def _chorus_invoice(cls, post=True, move_type="out_invoice", partner=None, **values):
        invoice = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.buyer).id,
                "invoice_date": "2026-11-02",
                "partner_bank_id": cls.company_bank.id,
                "chorus_service_id": cls.service_finance.id,
                "purchase_order_reference": "EJ-2026-0042",
                "invoice_line_ids": [Command.create({"product_id": cls.product_a.id, "price_unit": 1000.0})],
                **values,
            }
        )
        if post:
            invoice.action_post()
        return invoice

    def assertProblem(self, invoice, code):
        codes = [problem_code for problem_code, _message in invoice._chorus_preflight_problems()]
        self.assertIn(code, codes)

    def assertNoProblem(self, invoice, code):
        codes = [problem_code for problem_code, _message in invoice._chorus_preflight_problems()]
        self.assertNotIn(code, codes)
