from odoo import Command
from odoo.tests import HttpCase, tagged

from .facturx_common import ChorusFacturxCommon
from .sandbox_common import ChorusSandboxCommon, attach_printed_facturx


@tagged("post_install", "-at_install")
class TestChorusTour(ChorusSandboxCommon, ChorusFacturxCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.user_admin").write(
            {"company_id": cls.company.id, "company_ids": [Command.link(cls.company.id)]}
        )

    def test_banner_guides_the_accountant_until_the_invoice_is_ready(self):
        self.buyer.chorus_requirement = "engagement"
        invoice = self._chorus_invoice(post=False, chorus_service_id=False, purchase_order_reference=False)
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}", "chorus_preflight_banner", login="admin"
        )
        self.assertEqual(invoice.buyer_reference, "FINANCES")
        self.assertEqual(invoice.purchase_order_reference, "EJ-2026-0042")
        invoice.action_post()
        self.assertEqual(invoice.chorus_preflight(), [])

    def test_send_a_ready_invoice_from_its_form(self):
        service = self.env["chorus.service"].create(
            {"partner_id": self.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )
        invoice = self._chorus_invoice(chorus_service_id=service.id)
        # The server prints HTML in tests: the invoice's PDF is made beforehand (wkhtmltopdf is tested elsewhere).
        attach_printed_facturx(invoice)
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}", "chorus_send_invoice", login="admin"
        )
        self.assertEqual(invoice.chorus_send_state, "sent")
        self.assertEqual(self.api_calls()["factures/v1/deposer/flux"], 1)
