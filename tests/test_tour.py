from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ChorusCommon


@tagged("post_install", "-at_install")
class TestChorusTour(ChorusCommon, HttpCase):
    def test_banner_guides_the_accountant_until_the_invoice_is_ready(self):
        self.env.ref("base.user_admin").write(
            {"company_id": self.company.id, "company_ids": [Command.link(self.company.id)]}
        )
        self.buyer.chorus_requirement = "engagement"
        invoice = self._chorus_invoice(post=False, chorus_service_id=False, purchase_order_reference=False)
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}", "chorus_preflight_banner", login="admin"
        )
        self.assertEqual(invoice.buyer_reference, "FINANCES")
        self.assertEqual(invoice.purchase_order_reference, "EJ-2026-0042")
        invoice.action_post()
        self.assertEqual(invoice.chorus_preflight(), [])
