import threading
from concurrent.futures import ThreadPoolExecutor

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from ..chorus_core.auth import clear_token_cache
from ..chorus_core.sandbox import SandboxServer, fixtures
from ..models.account_move_chorus_send import ADVISORY_LOCK_NAMESPACE
from .common import BUYER_SIRET, COMPANY_IBAN, COMPANY_VAT, SHARED_COMPANY_NAME
from .sandbox_common import SandboxRequestsMixin, attach_printed_facturx

DEPOSIT = "factures/v1/deposer/flux"
# The sandbox holds each deposit this long: the first sender is still depositing when the second one
# reaches the invoice (its pre-flight and Factur-X take well under a second).
DEPOSIT_DELAY = 2.0
# Longest wait for one sender: well above the slowed deposit and the client's read timeout (20 s).
SENDER_TIMEOUT = 60
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
)


@tagged("post_install", "-at_install")
class TestChorusSendConcurrency(SandboxRequestsMixin, TransactionCase):
    """Senders on several database connections at once: one deposit, the others kept out.

    Other connections see only committed data: the invoice is committed in the shared French company
    of the test database, and everything committed is deleted or restored (committed) afterwards.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = cls.enterClassContext(SandboxServer(port=0))

    def setUp(self):
        super().setUp()
        self.sandbox.control.reset()
        self.sandbox.control.configure(flux_mode="immediate")
        clear_token_cache()
        with self.registry.cursor() as cr:
            company = api.Environment(cr, SUPERUSER_ID, {})["res.company"].search(
                [("name", "=", SHARED_COMPANY_NAME)], limit=1
            )
        if not company:
            self.skipTest("the test database has no shared French company (tools/odoo_test_company.py)")
        self.company_id = company.id
        self.created = []
        self.addCleanup(self._delete_committed, self._commit_fixture())

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [self.company_id]})

    def _commit_fixture(self):
        """A ready invoice to a sandbox buyer, committed, with a Factur-X PDF already made (no wkhtmltopdf)."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env["res.company"].browse(self.company_id)
            saved = {name: company[name] for name in COMPANY_FIELDS}
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
            bank = env["res.partner.bank"].create({"acc_number": COMPANY_IBAN, "partner_id": company.partner_id.id})
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
            service = env["chorus.service"].create(
                {"partner_id": buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
            )
            tax = env["account.chart.template"].with_company(company).ref("tva_normale")
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": buyer.id,
                    "invoice_date": "2026-11-02",
                    "partner_bank_id": bank.id,
                    "chorus_service_id": service.id,
                    "invoice_line_ids": [
                        Command.create({"name": "Prestation", "price_unit": 1000.0, "tax_ids": [Command.set(tax.ids)]})
                    ],
                }
            )
            invoice.action_post()
            self.assertEqual(invoice.chorus_preflight(), [])
            attach_printed_facturx(invoice)
            self.invoice_id = invoice.id
            return {"company": saved, "invoice": invoice.id, "bank": bank.id, "buyer": buyer.id}

    def _sender_env(self):
        """The environment of one sender thread, on a database connection of its own.

        Made here, not in the thread: the test runner holds the registry lock for the whole run, and
        ``api.Environment()`` on a new cursor asks for the registry, which would block another thread.
        """
        cr = self.enterContext(self.registry.cursor())
        return self._env(cr)

    def _send_in_thread(self, env, start):
        """``chorus_send()`` as a request does it: in its own transaction, committed at the end."""
        start.wait()
        result = env["account.move"].browse(self.invoice_id).chorus_send()[self.invoice_id]
        env.cr.commit()  # pylint: disable=invalid-commit
        return result

    def _delete_committed(self, fixture):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            invoice = env["account.move"].browse(fixture["invoice"])
            env["chorus.flux"].search([("move_ids", "in", invoice.ids)]).unlink()
            invoice.button_draft()
            invoice.with_context(force_delete=True).unlink()
            # A bank account is archived, not deleted, by unlink: it would stay in the shared company.
            cr.execute("DELETE FROM res_partner_bank WHERE id = %s", [fixture["bank"]])
            buyer = env["res.partner"].browse(fixture["buyer"])
            buyer.chorus_service_ids.unlink()
            buyer.unlink()
            env["res.company"].browse(self.company_id).write(fixture["company"])

    def _send(self):
        """``chorus_send()`` of the invoice in a transaction of its own, rolled back afterwards."""
        with self.registry.cursor() as cr:
            invoice = self._env(cr)["account.move"].browse(self.invoice_id)
            result = invoice.chorus_send()[self.invoice_id]
            result["state"] = invoice.chorus_send_state
            cr.rollback()  # nothing of the send outlives the test
        return result

    def deposits(self):
        return self.sandbox.control.stats()["calls"].get(DEPOSIT, 0)

    def test_a_second_sender_is_kept_out(self):
        # Another connection is sending the invoice: it holds the invoice's lock.
        with self.registry.cursor() as other:
            other.execute("SELECT pg_try_advisory_lock(%s, %s)", (ADVISORY_LOCK_NAMESPACE, self.invoice_id))
            self.assertTrue(other.fetchone()[0])
            try:
                result = self._send()
            finally:
                other.execute("SELECT pg_advisory_unlock(%s, %s)", (ADVISORY_LOCK_NAMESPACE, self.invoice_id))
        self.assertEqual((result["result"], result["state"]), ("already_sent", "to_send"))
        self.assertIn("being sent", result["message"])
        # Another transaction holds the invoice's row (a sender between its lock and its commit).
        with self.registry.cursor() as other:
            other.execute("SELECT id FROM account_move WHERE id = %s FOR UPDATE", [self.invoice_id])
            result = self._send()
            other.rollback()
        self.assertEqual(result["result"], "already_sent")
        self.assertIn("being sent", result["message"])
        self.assertEqual(self.deposits(), 0)
        # Nobody holds it any more: it is sent, once.
        result = self._send()
        self.assertEqual((result["result"], result["state"]), ("sent", "sent"))
        self.assertEqual(self.deposits(), 1)

    def test_a_sender_whose_transaction_began_before_the_deposit_is_kept_out(self):
        # A request reads the invoice (its snapshot is taken), another one sends it and commits meanwhile.
        late = self._sender_env()
        self.assertEqual(late["account.move"].browse(self.invoice_id).chorus_send_state, "to_send")
        first = self._sender_env()
        sent = first["account.move"].browse(self.invoice_id).chorus_send()[self.invoice_id]
        self.assertEqual(sent["result"], "sent")
        first.cr.commit()  # pylint: disable=invalid-commit
        result = late["account.move"].browse(self.invoice_id).chorus_send()[self.invoice_id]
        self.assertEqual(result["result"], "already_sent")
        self.assertEqual(self.deposits(), 1)

    def test_two_senders_at_once_deposit_once(self):
        self.assertIsNone(self.registry.test_cr, "in test mode every cursor shares the test's connection")
        self.sandbox.control.set_fault(delay=DEPOSIT_DELAY, target=f"/cpro/{DEPOSIT}")
        start = threading.Barrier(2, timeout=SENDER_TIMEOUT)
        envs = [self._sender_env(), self._sender_env()]
        senders = ThreadPoolExecutor(max_workers=2, thread_name_prefix="chorus-sender")
        try:
            futures = [senders.submit(self._send_in_thread, env, start) for env in envs]
            # An exception in a sender is raised here, with its traceback; a sender stuck fails the test.
            results = [future.result(timeout=SENDER_TIMEOUT) for future in futures]
        finally:
            senders.shutdown(wait=False, cancel_futures=True)
        self.assertEqual(sorted(result["result"] for result in results), ["already_sent", "sent"])
        self.assertEqual(self.deposits(), 1)
        sent = next(result for result in results if result["result"] == "sent")
        with self.registry.cursor() as cr:
            invoice = self._env(cr)["account.move"].browse(self.invoice_id)
            self.assertEqual(invoice.chorus_send_state, "sent")
            self.assertEqual(invoice.chorus_flux_ids.ids, [sent["flux_id"]])
            self.assertEqual(invoice.chorus_flux_id.id, sent["flux_id"])
