import threading
from concurrent.futures import ThreadPoolExecutor

from odoo.tests import tagged

from ..models.account_move_chorus_send import ADVISORY_LOCK_NAMESPACE
from .committed_common import ChorusCommittedCommon
from .sandbox_common import attach_printed_facturx

DEPOSIT = "factures/v1/deposer/flux"
# The sandbox holds each deposit this long: the first sender is still depositing when the second one
# reaches the invoice (its pre-flight and Factur-X take well under a second).
DEPOSIT_DELAY = 2.0
# Longest wait for one sender: well above the slowed deposit and the client's read timeout (20 s).
SENDER_TIMEOUT = 60


@tagged("post_install", "-at_install")
class TestChorusSendConcurrency(ChorusCommittedCommon):
    """Senders on several database connections at once: one deposit, the others kept out."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            invoice = self._commit_invoice(self._env(cr))
            self.assertEqual(invoice.chorus_preflight(), [])
            # Its Factur-X PDF already made: no wkhtmltopdf in the race.
            attach_printed_facturx(invoice)
            self.invoice_id = invoice.id

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
