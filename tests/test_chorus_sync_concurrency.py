from unittest.mock import patch

from odoo.tests import tagged

from .committed_common import ChorusCommittedCommon
from .sandbox_common import attach_printed_facturx

HISTORY = "factures/v1/consulter/historique"
INVOICES = 6


@tagged("post_install", "-at_install")
class TestChorusSyncConcurrency(ChorusCommittedCommon):
    """Two workers run the synchronisation at once: each invoice's history is read by one of them, once."""

    def setUp(self):
        super().setUp()
        seeded = self.sandbox.control.seed_invoices(INVOICES, "MISE_A_DISPOSITION", service="SERVICE_GENERAL")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            for identifier in seeded["identifiantsFactureCPP"]:
                # Sent and known to Chorus Pro; the last run found its status changed (step 4 of a run).
                self._commit_invoice(env).write(
                    {"chorus_send_state": "sent", "chorus_identifier": str(identifier), "chorus_sync_pending": "due"}
                )
            env["res.company"].browse(self.company_id).sudo().chorus_sync_run_started = "2026-12-01 10:00:00"
        self.sandbox.control.reset_stats()

    def _sync_pass(self, cr, batch_size):
        return self._env(cr)["account.move"]._cron_chorus_sync(batch_size=batch_size)

    def test_two_workers_read_each_history_once(self):
        with self.registry.cursor() as first:
            # The first worker has claimed and read a batch of 3 and not committed it yet (tests never commit
            # inside a job): it holds those rows while the second worker runs.
            self.assertEqual(self._sync_pass(first, batch_size=3), INVOICES - 3)
            with self.registry.cursor() as second:
                self._sync_pass(second, batch_size=50)
            self.assertEqual(self.api_calls(HISTORY), INVOICES)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            invoices = env["account.move"].browse(self.invoice_ids)
            self.assertEqual(set(invoices.mapped("chorus_status")), {"MISE_A_DISPOSITION"})
            self.assertEqual(set(invoices.mapped("chorus_sync_pending")), {False})
            # Each history read once: Chorus Pro's two statuses of each invoice, recorded once.
            self.assertEqual(env["chorus.status.history"].search_count([("move_id", "in", invoices.ids)]), 2 * INVOICES)
        # Both committed: the next pass finds nothing left to refresh, closes the run, and the status search of
        # the run it opens finds nothing changed: no history is read again.
        with self.registry.cursor() as cr:
            self.assertEqual(self._sync_pass(cr, batch_size=50), 0)
        self.assertEqual(self.api_calls(HISTORY), INVOICES)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env["res.company"].browse(self.company_id).sudo()
            self.assertFalse(company.chorus_sync_run_started)
            self.assertGreaterEqual(str(company.chorus_sync_since), "2026-12-01 10:00:00")

    def test_a_worker_whose_transaction_began_before_another_committed_keeps_out_quietly(self):
        with self.registry.cursor() as late:
            # Its snapshot is taken while the six invoices are still to refresh.
            due = [("id", "in", self.invoice_ids), ("chorus_sync_pending", "=", "due")]
            self.assertEqual(self._env(late)["account.move"].search_count(due), INVOICES)
            with self.registry.cursor() as first:
                self.assertEqual(self._sync_pass(first, batch_size=50), 0)
            # Those rows changed since its snapshot: Odoo's repeatable read refuses to lock them. That is
            # the expected answer, left to the next pass, and no error in the server log.
            with self.assertNoLogs("odoo.sql_db", level="ERROR"):
                self._sync_pass(late, batch_size=50)
        self.assertEqual(self.api_calls(HISTORY), INVOICES)


@tagged("post_install", "-at_install")
class TestChorusSyncWhileOthersCommit(ChorusCommittedCommon):
    """What another worker commits while a synchronisation runs never ends the run."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            invoice = self._commit_invoice(env)
            attach_printed_facturx(invoice)
            # Its deposit reached Chorus Pro, then its sender died: "sending", and no sender holds it.
            with env["res.company"].browse(self.company_id)._chorus_client() as client:
                client.deposit_flux(invoice.invoice_pdf_report_id.raw, "died.pdf")
            invoice.chorus_send_state = "sending"
            self.invoice_id = invoice.id

    def test_a_sender_committing_during_the_first_step_leaves_the_run_to_finish(self):
        model = self.registry["account.move"]
        first_step = model._chorus_sync_deposits

        def first_step_while_a_sender_commits(moves, company, client):
            # A sender takes the invoice (and finds nothing to deposit: it awaits Chorus Pro) and commits,
            # after this run's transaction began and before it reaches the invoice.
            with self.registry.cursor() as cr:
                result = self._env(cr)["account.move"].browse(self.invoice_id).chorus_send()[self.invoice_id]
            self.assertEqual(result["result"], "awaiting")
            return first_step(moves, company, client)

        with patch.object(model, "_chorus_sync_deposits", first_step_while_a_sender_commits):
            with self.registry.cursor() as cr:
                self.assertEqual(self._env(cr)["account.move"]._cron_chorus_sync(), 0)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env["res.company"].browse(self.company_id).sudo()
            # The run finished: it was opened and closed; the invoice was passed over, as the sender left it.
            self.assertFalse(company.chorus_sync_run_started)
            self.assertTrue(company.chorus_sync_since)
            self.assertEqual(env["account.move"].browse(self.invoice_id).chorus_send_state, "awaiting")
        # Chorus Pro processes the deposit; the next run takes the invoice.
        self.sandbox.control.process()
        with self.registry.cursor() as cr:
            self._env(cr)["account.move"]._cron_chorus_sync()
        with self.registry.cursor() as cr:
            invoice = self._env(cr)["account.move"].browse(self.invoice_id)
            self.assertEqual(invoice.chorus_send_state, "sent")
            self.assertTrue(invoice.chorus_identifier)
