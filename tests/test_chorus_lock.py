"""An invoice Chorus Pro holds cannot be reset to draft or cancelled; after a refused deposit it can."""

import json

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..chorus_core import flux_states
from .facturx_common import ChorusFacturxCommon
from .sandbox_common import ChorusSandboxCommon, attach_printed_facturx

FROZEN_MESSAGE = "cannot be reset to draft or cancelled"


@tagged("post_install", "-at_install")
class TestChorusLock(ChorusSandboxCommon, ChorusFacturxCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A service the sandbox's buyer has: its invoices are integrated (FINANCES is refused).
        cls.service_general = cls.env["chorus.service"].create(
            {"partner_id": cls.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )
        cls.billing = new_test_user(
            cls.env, login="chorus_lock_billing", groups="account.group_account_invoice", company_id=cls.company.id
        )

    def setUp(self):
        super().setUp()
        # Processed at deposit: a refused deposit is known at the first refresh.
        self.sandbox.control.configure(flux_mode="immediate")

    def _send(self, service=None):
        """An invoice deposited on the sandbox by chorus_send(), its PDF printed beforehand."""
        invoice = self._chorus_invoice(chorus_service_id=(service or self.service_general).id)
        attach_printed_facturx(invoice)
        self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "sent")
        return invoice

    def _recorded_as_sent(self, flux_state=flux_states.INTEGRATED):
        """An invoice recorded as sent without a deposit: its state and a chorus.flux written directly."""
        invoice = self._chorus_invoice()
        flux = self.env["chorus.flux"].create(
            {
                "name": f"CPP00{invoice.id}",
                "state": flux_state,
                "company_id": self.company.id,
                "move_ids": [Command.set(invoice.ids)],
            }
        )
        invoice.write({"chorus_send_state": "sent", "chorus_flux_id": flux.id})
        return invoice

    def assertFrozen(self, invoice):
        self.assertFalse(invoice.show_reset_to_draft_button)
        with self.assertRaisesRegex(UserError, FROZEN_MESSAGE):
            invoice.button_draft()
        with self.assertRaisesRegex(UserError, FROZEN_MESSAGE):
            invoice.button_cancel()
        self.assertEqual(invoice.state, "posted")

    def test_a_sent_invoice_is_frozen(self):
        invoice = self._send()
        self.assertFrozen(invoice)
        with self.assertRaises(UserError) as caught:
            invoice.button_draft()
        self.assertIn("credit note", str(caught.exception))
        self.assertIn("Re-route on Chorus Pro", str(caught.exception))

    def test_a_credit_note_stays_the_way_out(self):
        invoice = self._send()
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Erreur de quantité"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(invoice.state, "posted")

    def test_an_invoice_being_sent_is_frozen(self):
        # Chorus Pro may have received it: the answer of its deposit is not known yet.
        invoice = self._chorus_invoice()
        invoice.chorus_send_state = "sending"
        self.assertFrozen(invoice)

    def test_a_refused_deposit_may_be_corrected(self):
        # FINANCES is unknown to the sandbox's buyer: the deposit is accepted, then the flux rejected.
        invoice = self._send(self.service_finance)
        self.assertFrozen(invoice)
        invoice.chorus_flux_id.action_chorus_refresh()
        self.assertEqual(invoice.chorus_send_state, "error")
        self.assertTrue(invoice.show_reset_to_draft_button)
        invoice.button_draft()
        self.assertEqual(invoice.state, "draft")
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")

    def test_sent_in_a_refused_deposit_is_not_frozen(self):
        invoice = self._recorded_as_sent(flux_states.REJECTED)
        self.assertTrue(invoice.show_reset_to_draft_button)
        invoice.button_draft()
        self.assertEqual(invoice.state, "draft")

    def test_invoices_not_sent_are_not_frozen(self):
        to_send = self._chorus_invoice()
        self.assertEqual(to_send.chorus_send_state, "to_send")
        other = self._chorus_invoice(partner=self.partner_a)
        self.assertFalse(other.chorus_send_state)
        invoices = to_send | other
        self.assertEqual(invoices.mapped("show_reset_to_draft_button"), [True, True])
        invoices.button_cancel()
        self.assertEqual(invoices.mapped("state"), ["cancel", "cancel"])

    def call_kw(self, method, args, **kwargs):
        """The JSON-RPC answer (result or error) of calling ``method`` on account.move as the logged-in user."""
        params = {"model": "account.move", "method": method, "args": args, "kwargs": kwargs}
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_a_billing_user_cannot_reset_a_sent_invoice_over_rpc(self):
        invoice = self._recorded_as_sent()
        self.authenticate(self.billing.login, self.billing.login)
        # The form, as the billing user (who may not read the deposits), hides Reset to Draft.
        invoice.invalidate_recordset()
        form = self.call_kw("web_read", [invoice.ids], specification={"show_reset_to_draft_button": {}})
        self.assertEqual(form.get("result"), [{"id": invoice.id, "show_reset_to_draft_button": False}], form)
        for method in ("button_draft", "button_cancel"):
            error = self.call_kw(method, [invoice.ids])["error"]["data"]
            self.assertEqual(error["name"], "odoo.exceptions.UserError", error["message"])
            self.assertIn(FROZEN_MESSAGE, error["message"])
        invoice.invalidate_recordset(["state"])
        self.assertEqual(invoice.state, "posted")
