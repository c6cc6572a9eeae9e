from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from ..chorus_core import flux_states, report_batch
from ..chorus_core.facturx.pdf import extract_facturx_xml
from ..wizards import chorus_send_wizard
from .facturx_common import ChorusFacturxCommon
from .sandbox_common import (
    ChorusSandboxCommon,
    attach_printed_facturx,
    count_wkhtmltopdf_runs,
    print_from_this_server,
    print_in_test_mode,
)

DEPOSIT = "factures/v1/deposer/flux"


@tagged("post_install", "-at_install")
class TestChorusSend(ChorusSandboxCommon, ChorusFacturxCommon):
    """Sending invoices to the local sandbox over HTTP: the wizard, chorus_send(), Send & Print, exactly once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A service the sandbox's buyer 12345678200051 has: its invoices are integrated.
        cls.service_general = cls.env["chorus.service"].create(
            {"partner_id": cls.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )
        print_from_this_server(cls.env)
        cls.clerk = new_test_user(
            cls.env, login="chorus_send_clerk", groups="account.group_account_invoice", company_id=cls.company.id
        )

    def setUp(self):
        super().setUp()
        print_in_test_mode(self)
        self.env = self.env(context=dict(self.env.context, force_report_rendering=True))
        # These tests are about the file sent and the ways to send it; a deposit is processed at once so that
        # a test can also read its outcome. Exactly once on the platform's timing: test_chorus_exactly_once.py.
        self.sandbox.control.configure(flux_mode="immediate")

    def _ready_invoice(self, **values):
        values.setdefault("chorus_service_id", self.service_general.id)
        invoice = self._chorus_invoice(**values)
        return invoice.with_env(self.env)

    def deposits(self):
        return self.api_calls().get(DEPOSIT, 0)

    def assertSent(self, invoice, result=None):
        self.assertEqual(invoice.chorus_send_state, "sent")
        flux = invoice.chorus_flux_id
        self.assertTrue(flux.name.startswith("CPP001"))
        self.assertIn(invoice, flux.move_ids)
        if result is not None:
            self.assertEqual((result["result"], result["flux_id"]), ("sent", flux.id))
        return flux

    # -- the wizard and chorus_send() -------------------------------------------------------------

    def test_wizard_sends_one_invoice(self):
        invoice = self._ready_invoice()
        self.assertEqual(invoice.chorus_send_state, "to_send")
        self.assertTrue(invoice.chorus_can_send)
        action = invoice.action_chorus_send()
        wizard = self.env["chorus.send.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.line_ids.mapped("status"), ["ready"])
        wizard.action_send()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.line_ids.status, "sent")
        self.assertIn("Sent: 1.", wizard.summary)
        flux = self.assertSent(invoice)
        self.assertEqual(self.deposits(), 1)
        # The file sent is our Factur-X, kept on the deposit and as the invoice's PDF.
        self.assertEqual(extract_facturx_xml(flux.attachment_id.raw), invoice.chorus_facturx_xml())
        self.assertEqual(invoice.chorus_sent_attachment_id, flux.attachment_id)
        self.assertEqual(invoice.invoice_pdf_report_id.raw, flux.attachment_id.raw)
        self.assertEqual(invoice.chorus_deposit_number, flux.name)
        (deposited,) = self.sandbox.control.fluxes()
        self.assertEqual(deposited["nomFichier"], f"factur-x_{invoice.name.replace('/', '_')}.pdf")
        self.assertEqual(flux.environment, "custom")
        self.assertIn(f'data-oe-id="{flux.id}"', invoice.message_ids[0].body)
        self.assertFalse(invoice.chorus_can_send)
        self.assertEqual(invoice.action_chorus_open_fluxes()["res_id"], flux.id)
        # Sent once: a second send tells the user, and Chorus Pro is not called.
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual(result["result"], "already_sent")
        self.assertIn("credit note", result["message"])
        self.assertEqual(self.deposits(), 1)

    def test_credit_note_is_integrated_with_its_payment_means(self):
        refund = self._ready_invoice()._reverse_moves()
        refund.action_post()
        refund = refund.with_env(self.env)
        self.assertEqual(refund.chorus_preflight(), [])
        refund.chorus_send()
        flux = self.assertSent(refund)
        (deposited,) = self.sandbox.control.fluxes()
        self.assertEqual((deposited["etat"], deposited["listeErreurDP"]), ("IN_INTEGRE", []))
        xml = extract_facturx_xml(flux.attachment_id.raw)
        self.assertIn(b"<ram:TypeCode>381</ram:TypeCode>", xml)
        self.assertIn(b"<ram:TypeCode>30</ram:TypeCode>", xml)
        self.assertIn(f"<ram:IBANID>{self.company_bank.sanitized_acc_number}</ram:IBANID>".encode(), xml)

    def test_the_wizard_checks_the_facturx_on_demand(self):
        ready, not_ready = self._ready_invoice(), self._ready_invoice(chorus_payment_mode="direct_debit")
        wizard = self.env["chorus.send.wizard"].browse((ready | not_ready).action_chorus_send()["res_id"])
        self.assertEqual(wizard.line_ids.mapped("status"), ["ready", "ready"])
        wizard.action_chorus_check_facturx()
        self.assertEqual(wizard.line_ids.mapped("status"), ["ready", "not_ready"])
        self.assertIn("official rules", wizard.line_ids[0].message)
        self.assertIn("direct debit", wizard.line_ids[1].message.lower())
        self.assertEqual(self.deposits(), 0)

    def test_bulk_send_of_a_mixed_batch(self):
        sent_before = self._ready_invoice()
        sent_before.chorus_send()
        refused = self._ready_invoice()
        ready = self._ready_invoice()
        not_ready = self._ready_invoice(chorus_payment_mode="direct_debit")
        # The first deposit of the batch meets a server error; the next one goes through.
        self.sandbox.control.set_fault(http_500=1)
        invoices = refused | ready | not_ready | sent_before
        # "Send to Chorus Pro" in the list's Actions menu.
        menu_entry = self.env.ref("l10n_fr_chorus_pro.action_server_chorus_send")
        action = menu_entry.with_context(active_model="account.move", active_ids=invoices.ids).run()
        wizard = self.env["chorus.send.wizard"].browse(action["res_id"])
        # The wizard opens with the quick checks; the direct debit without a mandate breaks a Factur-X rule,
        # found when the invoices are sent (once).
        self.assertEqual(wizard.line_ids.mapped("status"), ["ready", "ready", "ready", "already_sent"])
        self.assertIn("checked when it is sent", wizard.line_ids[2].message)
        send = type(self.env["account.move.send"])
        wkhtmltopdf = count_wkhtmltopdf_runs(self)
        with patch.object(
            send, "_prepare_invoice_pdf_report", autospec=True, side_effect=send._prepare_invoice_pdf_report
        ) as render:
            wizard.action_send()
        # The two PDFs to make are rendered by one report call, one run of wkhtmltopdf.
        self.assertEqual(render.call_count, 1)
        self.assertEqual(wkhtmltopdf.call_count, 1)
        self.assertEqual(wizard.line_ids.mapped("status"), ["failed", "sent", "not_ready", "already_sent"])
        self.assertEqual(wizard.summary, "Sent: 1. Not ready: 1. Failed: 1. Already sent: 1.")
        failed_line = wizard.line_ids[0]
        self.assertIn("unavailable", failed_line.message)
        self.assertIn("direct debit", wizard.line_ids[2].message.lower())
        self.assertEqual(refused.chorus_send_state, "error")
        self.assertFalse(refused.chorus_flux_id)
        self.assertSent(ready)
        self.assertEqual(not_ready.chorus_send_state, "to_send")
        self.assertEqual(self.deposits(), 3)
        # The refused invoice goes at the next attempt.
        self.assertSent(refused, refused.chorus_send()[refused.id])

    def test_a_batch_with_an_invoice_longer_than_a_page(self):
        short = self._ready_invoice()
        long = self._ready_invoice(
            invoice_line_ids=[Command.create({"name": f"Prestation {n}", "price_unit": 10.0}) for n in range(80)]
        )
        wkhtmltopdf = count_wkhtmltopdf_runs(self)
        results = (short | long).chorus_send()
        self.assertEqual([result["result"] for result in results.values()], ["sent", "sent"])
        for invoice in short | long:
            self.assertEqual(extract_facturx_xml(invoice.chorus_sent_attachment_id.raw), invoice.chorus_facturx_xml())
        self.assertGreater(report_batch.page_count(long.chorus_sent_attachment_id.raw), 1)
        self.assertEqual(report_batch.page_count(short.chorus_sent_attachment_id.raw), 1)
        # Where wkhtmltopdf prints one document per run, the batch printed as one cannot be cut: one by one.
        binary_splits = report_batch.binary_prints_several_documents(_get_wkhtmltopdf_bin())
        self.assertEqual(wkhtmltopdf.call_count, 1 if binary_splits else 3)

    def test_the_printed_facturx_is_sent_as_it_is(self):
        invoice = self._ready_invoice()
        printed = attach_printed_facturx(invoice)
        wkhtmltopdf = count_wkhtmltopdf_runs(self)
        flux = self.assertSent(invoice, invoice.chorus_send()[invoice.id])
        self.assertEqual(flux.attachment_id.raw, printed.raw)
        self.assertEqual(wkhtmltopdf.call_count, 0)

    def test_wizard_hands_a_big_selection_to_the_background_job(self):
        invoices = self._ready_invoice() | self._ready_invoice()
        wizard = self.env["chorus.send.wizard"].create({"move_ids": [Command.set(invoices.ids)]})
        with patch.object(chorus_send_wizard, "CHORUS_WIZARD_SYNC_LIMIT", 1):
            wizard.action_send()
        self.assertEqual(wizard.line_ids.mapped("status"), ["queued", "queued"])
        self.assertIn("Being sent in the background: 2.", wizard.summary)
        self.assertEqual(self.deposits(), 0)
        self.env["account.move"]._cron_account_move_send()
        for invoice in invoices:
            self.assertSent(invoice)
        self.assertEqual(self.deposits(), 2)

    def test_resend_after_a_rejected_deposit(self):
        # FINANCES is unknown to the sandbox's buyer: the deposit is accepted, then the flux rejected.
        invoice = self._ready_invoice(chorus_service_id=self.service_finance.id)
        first = self.assertSent(invoice, invoice.chorus_send()[invoice.id])
        first.action_chorus_refresh()
        self.assertEqual(first.state, flux_states.REJECTED)
        self.assertIn("FINANCES", first.error_message)
        self.assertEqual(invoice.chorus_send_state, "error")
        self.assertTrue(invoice.chorus_can_send)
        invoice.chorus_service_id = self.service_general
        second = self.assertSent(invoice, invoice.chorus_send()[invoice.id])
        self.assertNotEqual(first, second)
        self.assertEqual(invoice.chorus_flux_ids, first | second)
        # The corrected invoice was sent, not the PDF printed before the correction.
        self.assertIn(b"SERVICE_GENERAL", extract_facturx_xml(second.attachment_id.raw))
        second.action_chorus_refresh()
        self.assertEqual(second.state, flux_states.INTEGRATED)
        self.assertEqual(self.deposits(), 2)

    def test_only_senders_send(self):
        invoice = self._ready_invoice()
        with self.assertRaises(AccessError):
            invoice.with_user(self.clerk).chorus_send()
        with self.assertRaises(AccessError):
            invoice.with_user(self.clerk).action_chorus_send()
        with self.assertRaises(AccessError):
            invoice.chorus_flux_ids.with_user(self.clerk).action_chorus_refresh()
        self.assertFalse(invoice.with_user(self.clerk).chorus_can_send)
        self.assertEqual(self.deposits(), 0)

    # -- Send & Print ----------------------------------------------------------------------------

    def test_send_and_print_single_wizard(self):
        invoice = self._ready_invoice()
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        self.assertEqual(wizard.sending_methods, ["chorus_pro"])
        self.assertFalse(wizard.alerts)
        wizard.action_send_and_print()
        self.assertSent(invoice)
        self.assertEqual(self.deposits(), 1)
        self.assertTrue(invoice.is_move_sent)

    def test_send_and_print_blocks_an_invoice_not_ready(self):
        invoice = self._ready_invoice(chorus_payment_mode="direct_debit")
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        self.assertEqual(wizard.alerts["l10n_fr_chorus_pro_not_ready"]["level"], "danger")
        with self.assertRaises(UserError):
            wizard.action_send_and_print()
        self.assertEqual(self.deposits(), 0)

    def test_send_and_print_batch_goes_through_the_cron(self):
        invoices = self._ready_invoice() | self._ready_invoice()
        wizard = (
            self.env["account.move.send.batch.wizard"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create({})
        )
        self.assertEqual(wizard.summary_data["chorus_pro"]["count"], 2)
        wizard.action_send_and_print()
        self.assertEqual(self.deposits(), 0)
        self.env["account.move"]._cron_account_move_send()
        for invoice in invoices:
            self.assertSent(invoice)
        self.assertEqual(self.deposits(), 2)
        self.assertFalse(invoices.filtered("sending_data"))
