"""Legal due date, days late, late-payment interest and recovery indemnity of invoices sent to Chorus Pro.

Every expected amount is worked out by hand in a comment: amount incl. VAT x rate x days / 365,
rounded half up to the cent; rate = ECB MRO rate on the first day of the half-year in which the
interest started + 8 points; the indemnity is 40.00 EUR. The invoices are deposited by hand (a
chorus.flux with its date) and their Chorus Pro status set directly, as the status sync would.
"""

import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ..chorus_core import late_payment
from .payment_delay_common import ChorusPaymentDelayCommon

PAID = "MISE_EN_PAIEMENT"
D = datetime.date


@tagged("post_install", "-at_install")
class TestChorusPaymentDelay(ChorusPaymentDelayCommon):
    """What an invoice sent to Chorus Pro shows of its payment delay and of what a late buyer owes."""

    def assertLatePayment(self, invoice, due, days, rate, interest, owed=None):
        self.assertRecordValues(
            invoice,
            [
                {
                    "chorus_legal_due_date": due,
                    "chorus_days_late": days,
                    "chorus_late_interest_rate": rate,
                    "chorus_late_interest": interest,
                    "chorus_recovery_indemnity": 40.0 if days else 0.0,
                    "chorus_late_amount_due": owed if owed is not None else (interest + 40.0 if days else 0.0),
                }
            ],
        )

    def test_interest_and_indemnity_of_a_late_invoice_for_each_buyer_kind(self):
        # (kind, received, paid on, due, days late, rate, interest) for an invoice of 2400.00 incl. VAT.
        cases = [
            # State, 30 days: received 3 Mar 2025 -> due 2 Apr 2025; paid 22 Apr 2025: 20 days late.
            # From 3 Apr 2025: H1 2025, ECB 3.15 + 8 = 11.15 %. 2400 x 11.15 x 20 / 36500 = 535200 / 36500
            # = 14.6630 -> 14.66
            (late_payment.STATE, D(2025, 3, 3), D(2025, 4, 22), D(2025, 4, 2), 20, 11.15, 14.66),
            # Administrative public body, 30 days: received 1 Aug 2025 -> due 31 Aug 2025; paid 30 Sep 2025:
            # 30 days. From 1 Sep 2025: H2 2025, 2.15 + 8 = 10.15 %. 2400 x 10.15 x 30 / 36500 = 730800 / 36500
            # = 20.0219 -> 20.02
            (late_payment.PUBLIC_BODY, D(2025, 8, 1), D(2025, 9, 30), D(2025, 8, 31), 30, 10.15, 20.02),
            # Local authority, 30 days: received 10 Jan 2024 -> due 9 Feb 2024; paid 10 Mar 2024: 30 days
            # (leap year: 20 days of February after the 9th, 10 of March). H1 2024: 4.50 + 8 = 12.50 %.
            # 2400 x 12.50 x 30 / 36500 = 900000 / 36500 = 24.6575 -> 24.66
            (late_payment.LOCAL_AUTHORITY, D(2024, 1, 10), D(2024, 3, 10), D(2024, 2, 9), 30, 12.50, 24.66),
            # Public health establishment, 50 days: received 15 Jul 2025 -> due 3 Sep 2025 (16 + 31 + 3);
            # paid 13 Oct 2025: 40 days (27 + 13). H2 2025: 10.15 %. 2400 x 10.15 x 40 / 36500 = 974400 / 36500
            # = 26.6958 -> 26.70
            (late_payment.HEALTH, D(2025, 7, 15), D(2025, 10, 13), D(2025, 9, 3), 40, 10.15, 26.70),
            # Public company, 60 days: received 2 Jan 2023 -> due 3 Mar 2023 (29 + 28 + 3); paid 13 Mar 2023:
            # 10 days. From 4 Mar 2023: H1 2023, 2.50 + 8 = 10.50 %. 2400 x 10.50 x 10 / 36500 = 252000 / 36500
            # = 6.9041 -> 6.90
            (late_payment.PUBLIC_COMPANY, D(2023, 1, 2), D(2023, 3, 13), D(2023, 3, 3), 10, 10.50, 6.90),
        ]
        for kind, received, paid, due, days, rate, interest in cases:
            with self.subTest(kind=kind):
                invoice = self.sent_invoice(self.buyers[kind], 2400.0, received)
                # 10:00 in Paris on the day of payment.
                self.set_status(invoice, PAID, datetime.datetime.combine(paid, datetime.time(8, 0)))
                self.assertEqual(invoice.chorus_payment_date, paid)
                self.assertLatePayment(invoice, due, days, rate, interest)

    def test_an_unpaid_invoice_owes_more_each_day_until_it_is_paid(self):
        # State, 3000.00 received 1 Oct 2024 -> due 31 Oct 2024; from 1 Nov 2024: H2 2024, 4.25 + 8 = 12.25 %.
        with freeze_time("2024-11-15"):
            invoice = self.sent_invoice(self.buyers[late_payment.STATE], 3000.0, D(2024, 10, 1))
            # 15 days: 3000 x 12.25 x 15 / 36500 = 551250 / 36500 = 15.1027 -> 15.10
            self.assertLatePayment(invoice, D(2024, 10, 31), 15, 12.25, 15.10)
        with freeze_time("2024-11-30"):
            self.env["account.move"]._cron_chorus_refresh_late_payments()
            # 30 days: 3000 x 12.25 x 30 / 36500 = 1102500 / 36500 = 30.2055 -> 30.21
            self.assertLatePayment(invoice, D(2024, 10, 31), 30, 12.25, 30.21)
            self.assertEqual(invoice.chorus_late_payment_as_of, D(2024, 11, 30))
        with freeze_time("2024-12-20"):
            # Paid on 5 Dec 2024 (23:30 UTC on the 4th is already the 5th in Paris): 35 days.
            self.set_status(invoice, PAID, datetime.datetime(2024, 12, 4, 23, 30))
            self.env["account.move"]._cron_chorus_refresh_late_payments()
            # 3000 x 12.25 x 35 / 36500 = 1286250 / 36500 = 35.2397 -> 35.24
            self.assertEqual(invoice.chorus_payment_date, D(2024, 12, 5))
            self.assertLatePayment(invoice, D(2024, 10, 31), 35, 12.25, 35.24)

    def test_a_buyer_that_never_reports_payments_owes_until_its_last_status(self):
        # State, 1000.00 received 3 Mar 2025 -> due 2 Apr 2025; mandated 12 Apr 2025, the last status such a
        # buyer reports: 10 days. H1 2025: 11.15 %. 1000 x 11.15 x 10 / 36500 = 111500 / 36500 = 3.0548 -> 3.05
        buyer = self.buyers[late_payment.STATE]
        buyer.chorus_payment_not_reported = True
        invoice = self.sent_invoice(buyer, 1000.0, D(2025, 3, 3))
        self.set_status(invoice, "MANDATEE", datetime.datetime(2025, 4, 12, 8, 0))
        self.assertEqual(invoice.chorus_status_kind, "paid")
        self.assertEqual(invoice.chorus_payment_date, D(2025, 4, 12))
        self.assertLatePayment(invoice, D(2025, 4, 2), 10, 11.15, 3.05)

    def test_an_invoice_paid_in_time_owes_nothing(self):
        invoice = self.sent_invoice(self.buyers[late_payment.STATE], 1000.0, D(2025, 3, 3))
        self.set_status(invoice, PAID, datetime.datetime(2025, 4, 2, 9, 0))
        self.assertLatePayment(invoice, D(2025, 4, 2), 0, 0.0, 0.0)

    def test_a_rejected_invoice_or_one_never_sent_owes_nothing(self):
        rejected = self.sent_invoice(self.buyers[late_payment.STATE], 1000.0, D(2025, 3, 3))
        self.set_status(rejected, "REJETEE", datetime.datetime(2025, 3, 5, 9, 0))
        not_sent = self._chorus_invoice(partner=self.buyers[late_payment.STATE], chorus_service_id=False)
        for invoice in rejected | not_sent:
            self.assertFalse(invoice.chorus_legal_due_date)
            self.assertEqual((invoice.chorus_days_late, invoice.chorus_late_amount_due), (0, 0.0))

    def test_a_contract_may_shorten_the_legal_delay_not_lengthen_it(self):
        buyer = self.buyers[late_payment.STATE]
        with self.assertRaisesRegex(ValidationError, "must pay within 30 days by law .* at most 30 days"):
            self.sent_invoice(buyer, 1000.0, D(2025, 2, 1), chorus_contract_payment_delay=45)
        # 20 days: received 1 Feb 2025 -> due 21 Feb 2025; paid 3 Mar 2025: 10 days. H1 2025: 11.15 %.
        # 1000 x 11.15 x 10 / 36500 = 111500 / 36500 = 3.0548 -> 3.05
        invoice = self.sent_invoice(buyer, 1000.0, D(2025, 2, 1), chorus_contract_payment_delay=20)
        self.set_status(invoice, PAID, datetime.datetime(2025, 3, 3, 9, 0))
        self.assertLatePayment(invoice, D(2025, 2, 21), 10, 11.15, 3.05)
        # 45 days are within the 50 of a public health establishment.
        hospital_invoice = self.sent_invoice(
            self.buyers[late_payment.HEALTH], 1000.0, D(2025, 2, 1), chorus_contract_payment_delay=45
        )
        self.assertEqual(hospital_invoice.chorus_legal_due_date, D(2025, 3, 18))

    @freeze_time("2026-12-02")
    def test_a_missing_ecb_rate_is_said_and_interest_follows_once_entered(self):
        # State, 1000.00 received 1 Jun 2026 -> due 1 Jul 2026; on 2 Dec 2026, 154 days late
        # (30 + 31 + 30 + 31 + 30 + 2). Interest runs from 2 Jul 2026: H2 2026, a rate not in the table.
        invoice = self.sent_invoice(self.buyers[late_payment.STATE], 1000.0, D(2026, 6, 1))
        self.assertLatePayment(invoice, D(2026, 7, 1), 154, 0.0, 0.0, owed=40.0)
        self.assertIn(
            "No ECB rate is known for the half-year starting on 07/01/2026", invoice.chorus_late_payment_warning
        )
        with self.assertRaises(AccessError):
            self.env["chorus.ecb.rate"].with_user(self.sender).create({"half_year_start": "2026-07-01", "rate": 2.0})
        # An administrator enters it (2.00, a test value): 10.00 %. 1000 x 10 x 154 / 36500 = 42.1918 -> 42.19
        self.env["chorus.ecb.rate"].with_user(self.manager).create({"half_year_start": "2026-07-01", "rate": 2.0})
        self.assertFalse(invoice.chorus_late_payment_warning)
        self.assertLatePayment(invoice, D(2026, 7, 1), 154, 10.0, 42.19)

    def test_the_ecb_table_holds_the_known_rates_on_first_days_of_half_years(self):
        rates = self.env["chorus.ecb.rate"].search([], order="half_year_start")
        self.assertEqual(
            [(rate.half_year_start, rate.rate) for rate in rates],
            [(start, float(rate)) for start, rate in late_payment.DEFAULT_ECB_RATES],
        )
        with self.assertRaisesRegex(ValidationError, "1 January or 1 July"):
            self.env["chorus.ecb.rate"].create({"half_year_start": "2027-03-01", "rate": 2.0})

    def test_the_buyer_kind_is_guessed_from_its_name_and_kept_once_chosen(self):
        hospital = self.env["res.partner"].create(
            {"name": "Centre hospitalier de Testville", "is_company": True, "chorus_is_public_buyer": True}
        )
        self.assertEqual((hospital.chorus_buyer_kind, hospital.chorus_legal_payment_delay), ("health", 50))
        self.assertEqual(self.buyer.chorus_buyer_kind, "local_authority")  # "Commune de Testville"
        hospital.chorus_buyer_kind = "public_company"
        hospital.name = "Hôpital de Testville"
        self.assertEqual((hospital.chorus_buyer_kind, hospital.chorus_legal_payment_delay), ("public_company", 60))
