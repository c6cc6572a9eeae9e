"""Tests where another database connection plays a second worker: their data must be committed.

Other connections see only committed data, so the fixture is committed in the shared French company
of the test database (tools/odoo_test_company.py) and everything it committed is deleted, or put back
as it was, afterwards (also committed).
"""

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase

from ..chorus_core.auth import clear_token_cache
from ..chorus_core.sandbox import SandboxServer, fixtures
from .common import BUYER_SIRET, COMPANY_IBAN, COMPANY_VAT, allow_custom_environment, shared_company
from .sandbox_common import SandboxRequestsMixin

COMPANY_FIELDS = (
    "siret",
    "vat",
    "street",
    "zip",
    "city",
    "chorus_environment",
    "chorus_api_url",
    "chorus_oauth_url",
    "chorus_client_id",
    "chorus_client_secret",
    "chorus_login",
    "chorus_password",
    "chorus_sync_since",
    "chorus_sync_run_started",
    "chorus_sync_scope",
)


class ChorusCommittedCommon(SandboxRequestsMixin, TransactionCase):
    """The shared company on a sandbox, a public buyer and its service, committed; ``_env(cr)`` on any cursor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        allow_custom_environment(cls)
        cls.sandbox = cls.enterClassContext(SandboxServer(port=0))
        # Committed, to be seen by every connection (kept: making it again costs half a minute).
        with cls.registry.cursor() as cr:
            cls.company_id = shared_company(api.Environment(cr, SUPERUSER_ID, {})).id

    def setUp(self):
        super().setUp()
        # The platform's timing, the sandbox's default: a deposit is not processed at once.
        self.sandbox.control.reset()
        clear_token_cache()
        self.invoice_ids = []
        with self.registry.cursor() as cr:
            saved = self._commit_company(self._env(cr))
        self.addCleanup(self._delete_committed, saved)

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [self.company_id]})

    def api_calls(self, service):
        return self.sandbox.control.stats()["calls"].get(service, 0)

    def _commit_company(self, env):
        company = env["res.company"].browse(self.company_id)
        saved = {"company": {name: company[name] for name in COMPANY_FIELDS}}
        company.write(
            {
                "siret": fixtures.SUPPLIER_SIRET,
                "vat": COMPANY_VAT,
                "street": "12 rue de la Paix",
                "zip": "75002",
                "city": "Paris",
                "chorus_environment": "custom",
                "chorus_api_url": self.sandbox.base_url,
                "chorus_oauth_url": self.sandbox.oauth_url,
                "chorus_client_id": fixtures.CLIENT_ID,
                "chorus_client_secret": fixtures.CLIENT_SECRET,
                "chorus_login": fixtures.TECH_LOGIN,
                "chorus_password": fixtures.TECH_PASSWORD,
            }
        )
        self.bank_id = (
            env["res.partner.bank"].create({"acc_number": COMPANY_IBAN, "partner_id": company.partner_id.id}).id
        )
        buyer = env["res.partner"].create(
            {
                "name": "Commune de Concurrence",
                "is_company": True,
                "country_id": env.ref("base.fr").id,
                "street": "1 place de la Mairie",
                "zip": "69001",
                "city": "Lyon",
                "chorus_is_public_buyer": True,
                "siret": BUYER_SIRET,
            }
        )
        self.buyer_id = buyer.id
        self.service_id = (
            env["chorus.service"]
            .create({"partner_id": buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"})
            .id
        )
        saved.update(bank=self.bank_id, buyer=buyer.id)
        return saved

    def _commit_invoice(self, env, amount=1000.0):
        """A posted invoice, ready for Chorus Pro, to the buyer (to be committed by the caller's cursor)."""
        company = env["res.company"].browse(self.company_id)
        tax = env["account.chart.template"].with_company(company).ref("tva_normale")
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": self.buyer_id,
                "invoice_date": "2026-11-02",
                "partner_bank_id": self.bank_id,
                "chorus_service_id": self.service_id,
                "invoice_line_ids": [
                    (0, 0, {"name": "Prestation", "price_unit": amount, "tax_ids": [(6, 0, tax.ids)]}),
                ],
            }
        )
        invoice.action_post()
        self.invoice_ids.append(invoice.id)
        return invoice

    def _delete_committed(self, saved):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            invoices = env["account.move"].browse(self.invoice_ids).exists()
            env["chorus.flux"].search([("move_ids", "in", invoices.ids)]).unlink()
            # A sent invoice is frozen (account_move_chorus_lock.py): forget the sending to delete it.
            invoices.chorus_send_state = False
            invoices.button_draft()
            invoices.with_context(force_delete=True).unlink()
            # A bank account is archived, not deleted, by unlink: it would stay in the shared company.
            cr.execute("DELETE FROM res_partner_bank WHERE id = %s", [saved["bank"]])
            buyer = env["res.partner"].browse(saved["buyer"])
            buyer.chorus_service_ids.unlink()
            buyer.unlink()
            env["res.company"].browse(self.company_id).write(saved["company"])
