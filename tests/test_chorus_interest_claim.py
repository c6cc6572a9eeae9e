"""Claiming the late-payment interest and indemnities of a buyer's invoices, and sending the claim to Chorus Pro.

Every amount is worked out by hand in a comment: amount incl. VAT x rate x days / 365, rounded half up
to the cent; H1 2026: ECB 2.15 + 8 = 10.15 %; 40.00 EUR of indemnity per late invoice (D2192-35).
"""

import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..chorus_core.facturx.pdf import extract_facturx_xml
from ..models.chorus_facturx_vat import OUT_OF_SCOPE_REASON
from .payment_delay_common import ChorusPaymentDelayCommon
from .sandbox_common import ChorusSandboxCommon, attach_printed_facturx

D = datetime.date
PAID = "MISE_EN_PAIEMENT"


@tagged("post_install", "-at_install")
class TestChorusInterestClaim(ChorusSandboxCommon, ChorusPaymentDelayCommon):
    """Three invoices of one local authority (30 days), each paid late in H1 2026, claimed on one invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A service the sandbox's buyer 12345678200051 has: its invoices are integrated.
        cls.service_general = cls.env["chorus.service"].create(
            {"partner_id": cls.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )
        cls.biller = new_test_user(
            cls.env, login="chorus_claim_biller", groups="account.group_account_invoice", company_id=cls.company.id
        )
        cls.employee = new_test_user(
            cls.env, login="chorus_claim_employee", groups="base.group_user", company_id=cls.company.id
        )
        cases = [
            # 1000.00 made available 2 Jan 2026 -> due 1 Feb 2026; paid 11 Feb 2026: 10 days.
            # 1000 x 10.15 x 10 / 36500 = 101500 / 36500 = 2.7808 -> 2.78; payable by 28 Mar 2026 (17 + 28).
            (1000.0, D(2026, 1, 2), D(2026, 2, 11)),
            # 2000.00 made available 2 Feb 2026 -> due 4 Mar 2026 (26 + 4); paid 3 Apr 2026: 30 days.
            # 2000 x 10.15 x 30 / 36500 = 609000 / 36500 = 16.6849 -> 16.68
            (2000.0, D(2026, 2, 2), D(2026, 4, 3)),
            # 1500.00 made available 2 Mar 2026 -> due 1 Apr 2026; paid 21 Apr 2026: 20 days.
            # 1500 x 10.15 x 20 / 36500 = 304500 / 36500 = 8.3425 -> 8.34
            (1500.0, D(2026, 3, 2), D(2026, 4, 21)),
        ]
        cls.late = cls.env["account.move"]
        for amount, received, paid in cases:
            invoice = cls.sent_invoice(
                cls.buyer, amount, received, chorus_service_id=cls.service_general.id, invoice_date=received
            )
            cls.set_history(invoice, ("MISE_A_DISPOSITION", received), (PAID, paid))
            cls.late |= invoice
        # Paid in time: nothing to claim on it.
        cls.on_time = cls.sent_invoice(cls.buyer, 800.0, D(2026, 1, 5), chorus_service_id=cls.service_general.id)
        cls.set_history(cls.on_time, ("MISE_A_DISPOSITION", D(2026, 1, 5)), (PAID, D(2026, 2, 4)))

    def test_three_late_invoices_of_one_buyer_are_claimed_once_on_one_invoice_sent_to_chorus_pro(self):
        self.assertEqual(self.late.mapped("chorus_late_interest"), [2.78, 16.68, 8.34])
        self.assertEqual(self.late.mapped("chorus_days_late"), [10, 30, 20])
        # Payable 45 days after each payment (R2192-36): 11 Feb + 45 = 28 Mar, 3 Apr + 45 = 18 May, 21 Apr + 45 = 5 Jun.
        self.assertEqual(self.late.mapped("chorus_interest_due_by"), [D(2026, 3, 28), D(2026, 5, 18), D(2026, 6, 5)])
        self.assertTrue(all(self.late.mapped("chorus_interest_claimable")))
        self.assertFalse(self.on_time.chorus_interest_claimable)
        # The dashboard's "Interest to claim", summed per buyer: 27.80 of interest + 3 x 40.00 = 147.80.
        to_claim = self.env["account.move"].search(self.env["account.move"]._chorus_interest_to_claim_domain())
        self.assertEqual(to_claim & (self.late | self.on_time), self.late)
        groups = self.env["account.move"].read_group(
            [("id", "in", self.late.ids)], ["chorus_late_amount_due:sum"], ["commercial_partner_id"]
        )
        self.assertEqual([group["chorus_late_amount_due"] for group in groups], [147.80])

        # Over RPC anyone who reads an invoice could call the button: only billing users claim.
        with self.assertRaises(AccessError):
            self.late.with_user(self.employee).action_chorus_claim_late_interest()
        with self.assertRaisesRegex(UserError, "Nothing can be claimed on"):
            (self.late | self.on_time).with_user(self.biller).action_chorus_claim_late_interest()
        action = self.late.with_user(self.biller).action_chorus_claim_late_interest()
        claim = self.env["account.move"].browse(action["res_id"])

        # One line of interest and one of indemnity per invoice, no VAT: 2.78 + 16.68 + 8.34 + 3 x 40.00 = 147.80.
        self.assertEqual((claim.move_type, claim.state, claim.partner_id), ("out_invoice", "draft", self.buyer))
        self.assertEqual(claim.invoice_line_ids.mapped("price_unit"), [2.78, 40.0, 16.68, 40.0, 8.34, 40.0])
        self.assertFalse(claim.invoice_line_ids.tax_ids)
        self.assertEqual((claim.amount_untaxed, claim.amount_tax, claim.amount_total), (147.80, 0.0, 147.80))
        self.assertIn(self.late[0].name, claim.invoice_line_ids[0].name)
        self.assertIn("D2192-35", claim.invoice_line_ids[1].name)
        for words in ("L2192-13", "R2192-31", "D2192-35", "R2192-36", "Not subject to VAT", "BOI-TVA-BASE-10-10-10"):
            self.assertIn(words, str(claim.narration))
        # Same Chorus service and engagement number as the invoices claimed.
        self.assertEqual(
            (claim.chorus_service_id, claim.purchase_order_reference), (self.service_general, "EJ-2026-0042")
        )
        # The claimed invoices point to it, leave "Interest to claim" and are not claimed twice.
        self.assertEqual(self.late.chorus_interest_claim_id, claim)
        self.assertEqual(claim.chorus_interest_claimed_ids, self.late)
        self.assertFalse(any(self.late.mapped("chorus_interest_claimable")))
        self.assertFalse(
            self.env["account.move"].search(self.env["account.move"]._chorus_interest_to_claim_domain()) & self.late
        )
        with self.assertRaisesRegex(UserError, "Nothing can be claimed on"):
            self.late[0].with_user(self.biller).action_chorus_claim_late_interest()

        # Posted, accepted by the pre-flight, deposited on the sandbox like any invoice.
        claim.action_post()
        self.assertEqual(claim._chorus_preflight_problems(), [])
        attach_printed_facturx(claim)
        result = claim.chorus_send()[claim.id]
        self.assertEqual(result["result"], "sent", result["message"])
        self.assertTrue(claim.chorus_flux_id.name.startswith("CPP001"))
        # Outside the scope of VAT: category O with its reason, and then no VAT identifier at all (BR-O-02).
        xml = extract_facturx_xml(claim.chorus_flux_id.attachment_id.raw).decode()
        self.assertIn("<ram:CategoryCode>O</ram:CategoryCode>", xml)
        self.assertIn(OUT_OF_SCOPE_REASON, xml)
        self.assertNotIn(self.company.vat, xml)
        # A claim owes no interest of its own.
        self.assertFalse(claim.chorus_legal_due_date)

        # The buyer pays the claim: the interest and indemnities are received.
        self.pay(claim, 147.80, D(2026, 12, 1))
        self.assertTrue(all(self.late.mapped("chorus_interest_received")))
