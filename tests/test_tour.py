from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.l10n_fr_chorus_pro.chorus_core.sandbox import fixtures

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
        self.start_tour(f"/odoo/customer-invoices/{invoice.id}", "chorus_preflight_banner", login="admin")
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
        self.start_tour(f"/odoo/customer-invoices/{invoice.id}", "chorus_send_invoice", login="admin")
        self.assertEqual(invoice.chorus_send_state, "sent")
        self.assertEqual(self.api_calls()["factures/v1/deposer/flux"], 1)

    def test_find_a_buyer_by_name_invoice_it_and_send_it(self):
        self.sandbox.control.set_subscriptions(fixtures.API_GROUPS)
        town_hall = self.env["res.partner"].create({"name": "Mairie de Toulouse", "is_company": True})
        invoice = self._chorus_invoice(
            post=False, partner=town_hall, chorus_service_id=False, purchase_order_reference=False
        )
        self.start_tour(f"/odoo/customer-invoices/{invoice.id}", "chorus_find_buyer", login="admin")
        self.assertEqual((town_hall.siret, town_hall.chorus_requirement), ("21108638000105", "engagement"))
        self.assertEqual(invoice.purchase_order_reference, "EJ-26100007")
        invoice.action_post()
        # The server prints HTML in tests: the invoice's PDF is made beforehand (wkhtmltopdf is tested elsewhere).
        attach_printed_facturx(invoice)
        self.start_tour(f"/odoo/customer-invoices/{invoice.id}", "chorus_send_invoice", login="admin")
        self.assertEqual(invoice.chorus_send_state, "sent")
        self.assertEqual(invoice.chorus_engagement_check, "known")

    def test_send_three_invoices_selected_in_the_list(self):
        service = self.env["chorus.service"].create(
            {"partner_id": self.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )
        invoices = self.env["account.move"]
        for _index in range(3):
            invoices |= self._chorus_invoice(chorus_service_id=service.id)
        for invoice in invoices:
            attach_printed_facturx(invoice)
        self.start_tour("/odoo/customer-invoices", "chorus_send_selection", login="admin")
        self.assertEqual(set(invoices.mapped("chorus_send_state")), {"sent"})
        self.assertEqual(self.api_calls()["factures/v1/deposer/flux"], 3)

    def test_complete_a_suspended_invoice(self):
        service = self.env["chorus.service"].create(
            {"partner_id": self.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )
        invoice = self._chorus_invoice(chorus_service_id=service.id)
        seeded = self.sandbox.control.seed_invoices(1, "SUSPENDUE", motif="RIB manquant", service="SERVICE_GENERAL")
        invoice.write(
            {
                "chorus_identifier": str(seeded["identifiantsFactureCPP"][0]),
                "chorus_status": "SUSPENDUE",
                "chorus_status_reason": "RIB manquant",
            }
        )
        self.start_tour(f"/odoo/customer-invoices/{invoice.id}", "chorus_complete_invoice", login="admin")
        with self.company._chorus_client() as client:
            history = client.invoice_history(invoice.chorus_identifier)
        self.assertEqual(history["statutCourantCode"], "COMPLETEE")

    def test_dashboard_filters_the_invoices_to_act_on(self):
        service = self.env["chorus.service"].create(
            {"partner_id": self.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )
        suspended, available = (
            self._chorus_invoice(chorus_service_id=service.id),
            self._chorus_invoice(chorus_service_id=service.id),
        )
        for invoice, status in ((suspended, "SUSPENDUE"), (available, "MISE_A_DISPOSITION")):
            attach_printed_facturx(invoice)
            self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "sent")
            # As the status sync records it.
            invoice.write({"chorus_status": status, "chorus_status_date": "2026-11-20 09:00:00"})
        self.start_tour("/odoo/chorus-pro", "chorus_dashboard_to_act", login="admin")
