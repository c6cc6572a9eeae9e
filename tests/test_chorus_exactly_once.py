"""Exactly once on the platform's timing: a deposit whose answer was lost is never made twice by itself.

Chorus Pro integrates a deposit minutes to hours after it answers, and shows its invoice only then
(chorus-pro-api.md §5.1). The sandbox here runs in its "manual" mode: nothing is processed until the
test lets that time pass (``control.process()``). Its default "step" mode processes a deposit as the
client reads its report, which nobody can do for a deposit whose answer, and so its number, was lost.
"""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..chorus_core import flux_states
from .facturx_common import ChorusFacturxCommon
from .sandbox_common import ChorusSandboxCommon, attach_printed_facturx

DEPOSIT = "factures/v1/deposer/flux"
SEARCH = "factures/v1/rechercher/fournisseur"


@tagged("post_install", "-at_install")
class TestChorusExactlyOnce(ChorusSandboxCommon, ChorusFacturxCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_general = cls.env["chorus.service"].create(
            {"partner_id": cls.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )

    def setUp(self):
        super().setUp()
        self.sandbox.control.configure(flux_mode="manual")

    def ready_invoice(self):
        invoice = self._chorus_invoice(chorus_service_id=self.service_general.id)
        attach_printed_facturx(invoice)
        return invoice

    def deposits(self):
        return self.api_calls().get(DEPOSIT, 0)

    def lost_answer(self, invoice):
        """The deposit reaches Chorus Pro, its answer does not reach Odoo."""
        self.sandbox.control.set_fault(accept_then_504=1)
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual((result["result"], invoice.chorus_send_state), ("awaiting", "awaiting"))
        self.assertIn("may have received it", result["message"])
        self.assertFalse(invoice.chorus_flux_id)
        return self.sandbox.control.fluxes()[-1]["numeroFluxDepot"]

    def test_a_lost_answer_waits_for_chorus_pro_and_is_linked_when_it_shows_the_invoice(self):
        invoice = self.ready_invoice()
        number = self.lost_answer(invoice)
        self.assertTrue(invoice.chorus_send_attempt_date)
        self.assertIn("answer was lost", invoice.message_ids[0].body)
        # Not offered again, by any path: the buttons, chorus_send() and Send & Print's method.
        self.assertFalse(invoice.chorus_can_send)
        self.assertFalse(self.env["account.move.send"]._is_applicable_to_move("chorus_pro", invoice))
        self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "awaiting")
        wizard = self.env["chorus.send.wizard"].browse(invoice.action_chorus_send()["res_id"])
        self.assertEqual(wizard.line_ids.status, "awaiting")
        # Chorus Pro has not processed the deposit yet: the Refresh and the sync find nothing and wait.
        invoice.action_chorus_refresh_status()
        self.run_sync()
        self.assertEqual(invoice.chorus_send_state, "awaiting")
        # Deposit again is refused within the window.
        with self.assertRaisesRegex(UserError, "may have received it"):
            invoice.action_chorus_deposit_again()
        self.assertEqual(self.deposits(), 1)
        # Chorus Pro processes it: the next sync links the invoice to that deposit.
        self.sandbox.control.process()
        self.run_sync()
        self.assertEqual(invoice.chorus_send_state, "sent")
        self.assertEqual(invoice.chorus_flux_id.name, number)
        self.assertEqual(invoice.chorus_flux_id.state, flux_states.INTEGRATED)
        self.assertEqual(invoice.chorus_status, "MISE_A_DISPOSITION")
        self.assertEqual(self.deposits(), 1)

    def test_deposit_again_after_the_window_and_the_refused_duplicate_links_the_first_deposit(self):
        invoice = self.ready_invoice()
        first = self.lost_answer(invoice)
        self.assertEqual(
            invoice.chorus_deposit_again_date,
            invoice.chorus_send_attempt_date + timedelta(hours=self.company.chorus_redeposit_delay),
        )
        # The window passed with no trace on Chorus Pro (its processing is late): the sender deposits again.
        invoice.chorus_send_attempt_date = fields.Datetime.now() - timedelta(hours=49)
        invoice.action_chorus_deposit_again()
        self.assertEqual(invoice.chorus_send_state, "sent")
        second = invoice.chorus_flux_id
        self.assertNotEqual(second.name, first)
        self.assertEqual(self.deposits(), 2)
        # Chorus Pro processes both: the first is integrated, the second refused (the number is taken).
        self.sandbox.control.process()
        fluxes = {flux["numeroFluxDepot"]: flux["etat"] for flux in self.sandbox.control.fluxes()}
        self.assertEqual(fluxes, {first: "IN_INTEGRE", second.name: "IN_REJETE"})
        self.run_sync()
        # The refusal is not the invoice's failure: it is linked to the deposit Chorus Pro integrated.
        self.assertEqual(invoice.chorus_send_state, "sent")
        self.assertEqual(invoice.chorus_flux_id.name, first)
        self.assertEqual(second.state, flux_states.REJECTED)
        self.assertEqual(set(invoice.chorus_flux_ids.mapped("name")), {first, second.name})
        self.assertEqual(invoice.chorus_status, "MISE_A_DISPOSITION")
        self.assertFalse(invoice.activity_ids)
        self.assertIn("already holds this invoice", invoice.message_ids[0].body + invoice.message_ids[1].body)

    def test_a_sender_that_died_during_its_deposit_leaves_the_invoice_awaiting(self):
        invoice = self.ready_invoice()
        # The deposit went through, then the process died before recording it: "sending", no sender.
        with self.company._chorus_client() as client:
            number = client.deposit_flux(invoice.invoice_pdf_report_id.raw, "crash.pdf")["numeroFluxDepot"]
        invoice.chorus_send_state = "sending"
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual((result["result"], invoice.chorus_send_state), ("awaiting", "awaiting"))
        self.assertEqual(self.deposits(), 1)
        self.sandbox.control.process()
        self.run_sync()
        self.assertEqual((invoice.chorus_send_state, invoice.chorus_flux_id.name), ("sent", number))
        self.assertEqual(invoice.chorus_status, "MISE_A_DISPOSITION")

    def test_nothing_on_chorus_pro_is_not_a_reason_to_deposit_again(self):
        invoice = self.ready_invoice()
        invoice.chorus_send_state = "sending"
        self.run_sync()
        self.assertEqual(invoice.chorus_send_state, "awaiting")
        self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "awaiting")
        self.assertEqual((self.deposits(), self.api_calls()[SEARCH] > 0), (0, True))

    def test_a_deposit_refused_because_the_invoice_was_deposited_by_hand_links_that_deposit(self):
        invoice = self.ready_invoice()
        # Someone deposited the invoice by hand (the portal, another tool) before Odoo sent it.
        with self.company._chorus_client() as client:
            by_hand = client.deposit_flux(invoice.invoice_pdf_report_id.raw, "manuel.pdf")["numeroFluxDepot"]
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual(result["result"], "sent")
        sent = invoice.chorus_flux_id
        self.sandbox.control.process()
        self.run_sync()
        # Odoo's deposit is refused (the number is taken): the invoice follows the one Chorus Pro integrated.
        self.assertEqual(sent.state, flux_states.REJECTED)
        self.assertEqual((invoice.chorus_send_state, invoice.chorus_flux_id.name), ("sent", by_hand))
        self.assertEqual(set(invoice.chorus_flux_ids.mapped("name")), {by_hand, sent.name})
        self.assertEqual(invoice.chorus_status, "MISE_A_DISPOSITION")
        self.assertFalse(invoice.activity_ids)
