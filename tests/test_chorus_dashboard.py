"""Invoicing > Chorus Pro > Invoices Sent to Chorus Pro: status badges, filters, groupings, sums owed."""

import datetime

from lxml import etree

from odoo import fields
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..chorus_core import late_payment
from .payment_delay_common import ChorusPaymentDelayCommon

D = datetime.date


@tagged("post_install", "-at_install")
class TestChorusDashboard(ChorusPaymentDelayCommon):
    """Invoices in each kind of status, seen from the dashboard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        state = cls.buyers[late_payment.STATE]
        hospital = cls.buyers[late_payment.HEALTH]
        at = datetime.datetime(2025, 4, 22, 8, 0)
        # Deposited five days ago: not late yet, whatever the kind of buyer.
        recent = fields.Date.today() - datetime.timedelta(days=5)
        cls.routed = cls.sent_invoice(state, 1000.0, recent)
        cls.set_status(cls.routed, "MISE_A_DISPOSITION", at)
        cls.suspended = cls.sent_invoice(state, 1000.0, recent)
        cls.set_status(cls.suspended, "SUSPENDUE", at)
        cls.to_recycle = cls.sent_invoice(hospital, 1000.0, recent)
        cls.set_status(cls.to_recycle, "A_RECYCLER", at)
        cls.rejected = cls.sent_invoice(hospital, 1000.0, recent)
        cls.set_status(cls.rejected, "REJETEE", at)
        cls.deleted = cls.sent_invoice(hospital, 1000.0, recent)
        cls.set_status(cls.deleted, "SUPPRIMEE", at)
        # Late, paid: State, 2400.00 received 3 Mar 2025, paid 22 Apr 2025: 14.66 interest + 40.00.
        cls.paid_late = cls.sent_invoice(state, 2400.0, D(2025, 3, 3))
        cls.set_status(cls.paid_late, "MISE_EN_PAIEMENT", at)
        # Late, unpaid: a hospital invoice received 2 Jan 2025, still "Mise à disposition".
        cls.late = cls.sent_invoice(hospital, 500.0, D(2025, 1, 2))
        cls.set_status(cls.late, "MISE_A_DISPOSITION", datetime.datetime(2025, 1, 3, 8, 0))
        cls.not_sent = cls._chorus_invoice(partner=state, chorus_service_id=False)
        cls.action = cls.env.ref("l10n_fr_chorus_pro.action_chorus_dashboard")
        cls.sent = cls.routed | cls.suspended | cls.to_recycle | cls.rejected | cls.deleted | cls.paid_late | cls.late

    def dashboard(self, filter_name=None):
        """What the dashboard lists, with the search view's filter ``filter_name`` on."""
        domain = safe_eval(self.action.domain)
        if filter_name:
            arch = etree.fromstring(self.env.ref("l10n_fr_chorus_pro.view_chorus_dashboard_search").arch)
            # As the web client evaluates it, context_today() being the user's today.
            context = {"context_today": lambda: fields.Date.context_today(self.env["account.move"])}
            domain += safe_eval(arch.xpath(f"//filter[@name='{filter_name}']")[0].get("domain"), context)
        return self.env["account.move"].search(domain) & (self.sent | self.not_sent)

    def test_the_dashboard_lists_the_invoices_sent_with_their_badge(self):
        self.assertEqual(self.dashboard(), self.sent)
        self.assertEqual(
            [invoice.chorus_status_kind for invoice in self.sent],
            ["in_progress", "to_act", "to_act", "rejected", "cancelled", "paid", "in_progress"],
        )
        menu = self.env.ref("l10n_fr_chorus_pro.menu_chorus_dashboard")
        self.assertEqual(menu.parent_id, self.env.ref("l10n_fr_chorus_pro.menu_chorus_root"))

    def test_the_filters_find_what_to_follow(self):
        self.assertEqual(self.dashboard("chorus_in_progress"), self.routed | self.late)
        self.assertEqual(self.dashboard("chorus_to_act"), self.suspended | self.to_recycle | self.rejected)
        self.assertEqual(self.dashboard("chorus_late"), self.late)
        self.assertEqual(self.dashboard("chorus_paid"), self.paid_late)
        self.assertEqual(self.dashboard("chorus_interest_owed"), self.paid_late | self.late)
        # Paid 22 Apr 2025: its interest and indemnity were payable by 6 Jun 2025 (R2192-36), and are not received.
        self.assertEqual(self.dashboard("chorus_interest_to_claim"), self.paid_late)
        self.paid_late.chorus_interest_received = True
        self.assertFalse(self.dashboard("chorus_interest_to_claim"))

    def test_the_sums_owed_by_buyer_and_by_status(self):
        # The hospital's unpaid invoice, today: its interest is whatever accrued; the paid one is fixed.
        groups = self.env["account.move"].read_group(
            [("id", "in", self.sent.ids)],
            ["chorus_late_interest:sum", "chorus_late_amount_due:sum"],
            ["chorus_status_kind"],
        )
        paid = next(group for group in groups if group["chorus_status_kind"] == "paid")
        self.assertEqual((paid["chorus_late_interest"], paid["chorus_late_amount_due"]), (14.66, 54.66))
        by_buyer = self.env["account.move"].read_group(
            [("id", "in", self.sent.ids)], ["chorus_late_amount_due:sum"], ["commercial_partner_id"]
        )
        owed = {group["commercial_partner_id"][0]: group["chorus_late_amount_due"] for group in by_buyer}
        self.assertEqual(owed[self.buyers[late_payment.STATE].id], 54.66)
        self.assertEqual(owed[self.buyers[late_payment.HEALTH].id], self.late.chorus_late_amount_due)
        self.assertGreater(self.late.chorus_late_interest, 0)
