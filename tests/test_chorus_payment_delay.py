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
        self.set_history(invoice, ("MISE_A_DISPOSITION", D(2025, 3, 3)))
        self.set_status(invoice, "MANDATEE", datetime.datetime(2025, 4, 12, 8, 0))
        self.assertEqual(invoice.chorus_status_kind, "paid")
        self.assertEqual(invoice.chorus_interest_due_by, D(2025, 5, 27))  # 12 Apr + 45 (18 + 27)
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

    # -- the dates of the Chorus Pro history, payments per amount -----------------------------------------

    def test_the_delay_runs_from_the_day_chorus_pro_made_the_invoice_available(self):
        # Deposited 3 Mar 2025, made available to the buyer on 5 Mar 2025 (R2192-12, R2192-15): State, 30 days
        # -> due 4 Apr 2025; paid 24 Apr 2025: 20 days. From 5 Apr 2025: H1 2025, 3.15 + 8 = 11.15 %.
        # 2400 x 11.15 x 20 / 36500 = 535200 / 36500 = 14.6630 -> 14.66
        invoice = self.sent_invoice(self.buyers[late_payment.STATE], 2400.0, D(2025, 3, 3))
        self.set_history(invoice, ("DEPOSEE", D(2025, 3, 3)), ("MISE_A_DISPOSITION", D(2025, 3, 5)))
        self.assertEqual(invoice.chorus_receipt_date, D(2025, 3, 5))
        self.set_history(invoice, (PAID, D(2025, 4, 24)))
        self.assertLatePayment(invoice, D(2025, 4, 4), 20, 11.15, 14.66)
        # The principal paid on 24 Apr 2025: interest and indemnity payable by 8 Jun 2025 (6 + 31 + 8; R2192-36).
        self.assertEqual(invoice.chorus_interest_due_by, D(2025, 6, 8))
        text = invoice.chorus_late_payment_explanation
        for words in (
            "started on 03/05/2025, the day Chorus Pro made the invoice available",
            "R2192-15",
            "Legal due date: 04/04/2025",
            "paid on 04/24/2025, late from 04/05/2025",
            "x 11.15 % x 20 days / 365 = ",
            "14.66",
            "40.00",
            "by 06/08/2025 (R2192-36)",
        ):
            self.assertIn(words, text)

    def test_services_done_after_the_receipt_start_the_delay(self):
        # Made available 3 Mar 2025, services done 10 Mar 2025 (R2192-13): due 9 Apr 2025; paid 9 Apr: on time.
        invoice = self.sent_invoice(self.buyers[late_payment.STATE], 1000.0, D(2025, 3, 3))
        invoice.chorus_service_date = D(2025, 3, 10)
        self.set_history(invoice, ("MISE_A_DISPOSITION", D(2025, 3, 3)), (PAID, D(2025, 4, 9)))
        self.assertLatePayment(invoice, D(2025, 4, 9), 0, 0.0, 0.0)
        self.assertIn("the day the services were done", invoice.chorus_late_payment_explanation)

    def test_a_suspension_answered_ten_days_later_opens_a_new_thirty_day_delay(self):
        # State, made available 3 Mar 2025 -> due 2 Apr 2025. Suspended 13 Mar 2025 with 20 days left; while it
        # waits for the items, no due date and nothing owed, however late today is.
        invoice = self.sent_invoice(self.buyers[late_payment.STATE], 1000.0, D(2025, 3, 3))
        self.set_history(invoice, ("MISE_A_DISPOSITION", D(2025, 3, 3)), ("SUSPENDUE", D(2025, 3, 13)))
        self.assertLatePayment(invoice, False, 0, 0.0, 0.0)
        self.assertIn("no interest runs meanwhile", invoice.chorus_late_payment_explanation)
        # Completed 23 Mar 2025, ten days later: a new delay of 30 days, longer than the 20 left (R2192-29)
        # -> due 22 Apr 2025. Paid 2 May 2025: 10 days. From 23 Apr 2025: H1 2025, 11.15 %.
        # 1000 x 11.15 x 10 / 36500 = 111500 / 36500 = 3.0548 -> 3.05 (from the first due date: 30 days, 9.16)
        self.set_history(invoice, ("COMPLETEE", D(2025, 3, 23)), ("MISE_A_DISPOSITION", D(2025, 3, 23)))
        self.set_history(invoice, (PAID, D(2025, 5, 2)))
        self.assertLatePayment(invoice, D(2025, 4, 22), 10, 11.15, 3.05)
        self.assertIn(
            "interrupted the delay on 03/13/2025 with 20 days left (R2192-27, R2192-28). The complete items reached "
            "it on 03/23/2025: a new delay of 30 days opened",
            invoice.chorus_late_payment_explanation,
        )

    def test_a_suspension_keeps_the_balance_left_when_longer_than_thirty_days(self):
        # Public company, 60 days: made available 2 Jan 2023 -> due 3 Mar 2023. Suspended 12 Jan 2023 with 50 days
        # left (19 + 28 + 3); completed 22 Jan 2023: the 50 days left -> due 13 Mar 2023 (9 + 28 + 13). A second
        # suspension is not counted (once only, R2192-27). Paid 23 Mar 2023: 10 days. From 14 Mar 2023: H1 2023,
        # 2.50 + 8 = 10.50 %. 2000 x 10.50 x 10 / 36500 = 210000 / 36500 = 5.7534 -> 5.75
        invoice = self.sent_invoice(self.buyers[late_payment.PUBLIC_COMPANY], 2000.0, D(2023, 1, 2))
        self.set_history(
            invoice,
            ("MISE_A_DISPOSITION", D(2023, 1, 2)),
            ("SUSPENDUE", D(2023, 1, 12)),
            ("COMPLETEE", D(2023, 1, 22)),
            ("SUSPENDUE", D(2023, 2, 1)),
            ("COMPLETEE", D(2023, 2, 20)),
            (PAID, D(2023, 3, 23)),
        )
        self.assertLatePayment(invoice, D(2023, 3, 13), 10, 10.50, 5.75)
        self.assertIn("a new delay of 50 days opened", invoice.chorus_late_payment_explanation)

    def test_a_partial_payment_on_time_stops_the_interest_on_what_it_paid(self):
        # State, 3000.00 made available 1 Oct 2024 -> due 31 Oct 2024. 1000.00 paid 25 Oct 2024, in time; the
        # 2000.00 left paid 30 Nov 2024: 30 days on 2000.00 only. From 1 Nov 2024: H2 2024, 4.25 + 8 = 12.25 %.
        # 2000 x 12.25 x 30 / 36500 = 735000 / 36500 = 20.1370 -> 20.14 (on the whole 3000.00 it would be 30.21).
        # The buyer never reported MISE_EN_PAIEMENT: the payments recorded here say it all.
        invoice = self.sent_invoice(self.buyers[late_payment.STATE], 3000.0, D(2024, 10, 1), invoice_date="2024-10-01")
        self.set_history(invoice, ("MISE_A_DISPOSITION", D(2024, 10, 1)))
        self.pay(invoice, 1000.0, D(2024, 10, 25))
        with freeze_time("2024-11-20"):
            # Unpaid on 20 Nov 2024: 2000 x 12.25 x 20 / 36500 = 490000 / 36500 = 13.4247 -> 13.42 so far.
            invoice._chorus_recompute_late_payment()
            self.assertLatePayment(invoice, D(2024, 10, 31), 20, 12.25, 13.42)
        self.pay(invoice, 2000.0, D(2024, 11, 30))
        self.assertEqual(invoice.payment_state in ("paid", "in_payment"), True)
        self.assertLatePayment(invoice, D(2024, 10, 31), 30, 12.25, 20.14)
        # Principal paid 30 Nov 2024: payable by 14 Jan 2025 (31 + 14).
        self.assertEqual(invoice.chorus_interest_due_by, D(2025, 1, 14))
        self.assertIn(
            "2,000.00 paid on 11/30/2024, late from 11/01/2024: 2,000.00 x 12.25 % x 30 days / 365 = ",
            invoice.chorus_late_payment_explanation.replace("\u00a0", " ").replace("€ ", "").replace(" €", ""),
        )

    def test_the_rate_of_the_half_year_the_interest_started_in_holds_across_the_next(self):
        # State, 2000.00 made available 1 May 2024 -> due 31 May 2024; paid 30 Aug 2024: 91 days (30 + 31 + 30).
        # The interest started on 1 Jun 2024, in H1 2024: 4.50 + 8 = 12.50 % for all of it, although H2 2024's
        # rate is 12.25 % (R2192-31). 2000 x 12.50 x 91 / 36500 = 2275000 / 36500 = 62.3288 -> 62.33
        invoice = self.sent_invoice(self.buyers[late_payment.STATE], 2000.0, D(2024, 5, 1))
        self.set_history(invoice, ("MISE_A_DISPOSITION", D(2024, 5, 1)), (PAID, D(2024, 8, 30)))
        self.assertLatePayment(invoice, D(2024, 5, 31), 91, 12.50, 62.33)
        self.assertIn(
            "ECB main refinancing rate on 01/01/2024, 4.50 %, plus 8 points: 12.50 % a year, for the whole lateness",
            invoice.chorus_late_payment_explanation,
        )

    @freeze_time("2026-12-02")
    def test_a_missing_rate_still_shows_the_periods(self):
        # State, 1000.00 made available 1 Jun 2026 -> due 1 Jul 2026, unpaid: 154 days in H2 2026, no rate known.
        invoice = self.sent_invoice(self.buyers[late_payment.STATE], 1000.0, D(2026, 6, 1))
        self.set_history(invoice, ("MISE_A_DISPOSITION", D(2026, 6, 1)))
        self.assertLatePayment(invoice, D(2026, 7, 1), 154, 0.0, 0.0, owed=40.0)
        text = invoice.chorus_late_payment_explanation
        self.assertIn("No ECB rate is known for the half-year starting on 07/01/2026", text)
        self.assertIn("late from 07/02/2026 to 12/02/2026: 154 days, whose interest awaits the ECB rate", text)
