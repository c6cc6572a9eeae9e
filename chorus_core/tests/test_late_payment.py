"""Legal payment delays and late-payment interest (Code de la commande publique R2192-10 to R2192-31).

Every expected amount is worked out by hand in a comment: amount x rate x days / 365, rounded
half up to the cent; rate = ECB MRO on the first day of the half-year the interest started in + 8.
"""

import datetime
from decimal import Decimal

import pytest

from chorus_core import late_payment as lp

D = datetime.date


@pytest.mark.parametrize(
    ("kind", "received", "until", "due", "days", "rate", "interest"),
    [
        # State, 30 days: received 3 Mar 2025 -> due 2 Apr 2025; paid 22 Apr 2025 -> 20 days late.
        # Interest runs from 3 Apr 2025: H1 2025, MRO 3.15 + 8 = 11.15 %.
        # 1200.00 x 11.15 % x 20 / 365 = 2676 / 365 = 7.3315... -> 7.33
        (lp.STATE, D(2025, 3, 3), D(2025, 4, 22), D(2025, 4, 2), 20, "11.15", "7.33"),
        # Administrative public body, 30 days, same invoice and dates: same result.
        (lp.PUBLIC_BODY, D(2025, 3, 3), D(2025, 4, 22), D(2025, 4, 2), 20, "11.15", "7.33"),
        # Local authority, 30 days: received 10 Jan 2024 -> due 9 Feb 2024; until 10 Mar 2024 -> 30 days
        # (2024 is a leap year: 20 days of February after the 9th, plus 10 of March).
        # From 10 Feb 2024: H1 2024, 4.50 + 8 = 12.50 %. 1200.00 x 12.50 % x 30 / 365 = 4500 / 365 = 12.328... -> 12.33
        (lp.LOCAL_AUTHORITY, D(2024, 1, 10), D(2024, 3, 10), D(2024, 2, 9), 30, "12.50", "12.33"),
        # Public health establishment, 50 days: received 15 Jul 2025 -> due 3 Sep 2025 (16 + 31 + 3);
        # until 3 Oct 2025 -> 30 days. From 4 Sep 2025: H2 2025, 2.15 + 8 = 10.15 %.
        # 1200.00 x 10.15 % x 30 / 365 = 3654 / 365 = 10.0109... -> 10.01
        (lp.HEALTH, D(2025, 7, 15), D(2025, 10, 3), D(2025, 9, 3), 30, "10.15", "10.01"),
        # Public company, 60 days: received 2 Jan 2023 -> due 3 Mar 2023 (29 + 28 + 3);
        # until 13 Mar 2023 -> 10 days. From 4 Mar 2023: H1 2023, 2.50 + 8 = 10.50 %.
        # 1200.00 x 10.50 % x 10 / 365 = 1260 / 365 = 3.4520... -> 3.45
        (lp.PUBLIC_COMPANY, D(2023, 1, 2), D(2023, 3, 13), D(2023, 3, 3), 10, "10.50", "3.45"),
    ],
)
def test_interest_and_indemnity_of_a_late_invoice_for_each_buyer_kind(kind, received, until, due, days, rate, interest):
    result = lp.late_payment(Decimal("1200.00"), received, kind, until)
    assert result == lp.LatePayment(due, days, Decimal(rate), Decimal(interest), Decimal("40.00"))


def test_legal_delays_by_buyer_kind():
    received = D(2026, 3, 2)
    dues = {kind: lp.legal_due_date(received, kind) for kind in lp.BUYER_KINDS}
    assert dues == {
        lp.STATE: D(2026, 4, 1),
        lp.PUBLIC_BODY: D(2026, 4, 1),
        lp.LOCAL_AUTHORITY: D(2026, 4, 1),
        lp.HEALTH: D(2026, 4, 21),
        lp.PUBLIC_COMPANY: D(2026, 5, 1),
    }
    with pytest.raises(ValueError, match="Unknown buyer kind"):
        lp.legal_due_date(received, "ministry")


def test_a_contract_delay_replaces_the_legal_one():
    # 20 days in the contract: received 1 Feb 2025 -> due 21 Feb 2025; paid 3 Mar 2025 -> 10 days
    # (7 of February after the 21st, plus 3). H1 2025: 11.15 %.
    # 5000.00 x 11.15 % x 10 / 365 = 5575 / 365 = 15.2739... -> 15.27
    result = lp.late_payment("5000.00", D(2025, 2, 1), lp.HEALTH, D(2025, 3, 3), delay_override=20)
    assert (result.due_date, result.days_late, result.interest) == (D(2025, 2, 21), 10, Decimal("15.27"))
    with pytest.raises(ValueError, match="positive"):
        lp.legal_due_date(D(2025, 2, 1), lp.STATE, delay_override=0)


def test_the_payment_date_stops_the_interest():
    # State invoice of 3000.00 received 1 Oct 2024 -> due 31 Oct 2024; MISE_EN_PAIEMENT on 15 Nov 2024.
    # 15 days, from 1 Nov 2024: H2 2024, 4.25 + 8 = 12.25 %.
    # 3000.00 x 12.25 % x 15 / 365 = 5512.5 / 365 = 15.1027 -> 15.10
    paid = lp.late_payment("3000.00", D(2024, 10, 1), lp.STATE, D(2024, 11, 15))
    assert (paid.days_late, paid.interest, paid.indemnity) == (15, Decimal("15.10"), Decimal("40.00"))
    # Had it been still unpaid on 30 Nov 2024 (30 days): 3000.00 x 12.25 % x 30 / 365 = 30.2054 -> 30.21.
    unpaid = lp.late_payment("3000.00", D(2024, 10, 1), lp.STATE, D(2024, 11, 30))
    assert (unpaid.days_late, unpaid.interest) == (30, Decimal("30.21"))


def test_the_rate_is_the_one_of_the_half_year_the_interest_started_in():
    # Received 1 May 2024 -> due 31 May 2024: interest runs from 1 Jun 2024 (H1 2024: 4.50 + 8 = 12.50 %)
    # and is still at that rate when paid on 30 Aug 2024, although H2 2024's rate is 12.25 %.
    # 91 days (30 of June + 31 of July + 30 of August). 1000.00 x 12.50 % x 91 / 365 = 11375 / 365 = 31.164 -> 31.16
    crossing = lp.late_payment("1000.00", D(2024, 5, 1), lp.STATE, D(2024, 8, 30))
    assert (crossing.days_late, crossing.rate, crossing.interest) == (91, Decimal("12.50"), Decimal("31.16"))
    # Received 31 May 2024 -> due 30 Jun 2024, the last day of H1: interest starts on 1 Jul 2024, so H2 (12.25 %).
    # Paid 30 Aug 2024: 61 days. 1000.00 x 12.25 % x 61 / 365 = 7472.5 / 365 = 20.4726 -> 20.47
    edge = lp.late_payment("1000.00", D(2024, 5, 31), lp.STATE, D(2024, 8, 30))
    assert (edge.due_date, edge.days_late, edge.rate, edge.interest) == (
        D(2024, 6, 30),
        61,
        Decimal("12.25"),
        Decimal("20.47"),
    )


@pytest.mark.parametrize("until", [D(2025, 4, 2), D(2025, 3, 20), D(2025, 3, 1)])
def test_paid_on_time_means_no_interest_and_no_indemnity(until):
    # Due 2 Apr 2025: paid on the due date, before it, or even before the receipt.
    result = lp.late_payment("1200.00", D(2025, 3, 3), lp.STATE, until)
    assert result == lp.LatePayment(D(2025, 4, 2), 0, None, Decimal("0.00"), Decimal("0.00"))


def test_not_late_needs_no_rate_and_one_day_late_does():
    # No table at all: an invoice on time is still fine, one a day late cannot be computed.
    assert lp.late_payment("100", D(2031, 1, 2), lp.STATE, D(2031, 2, 1), rates=()).interest == Decimal("0.00")
    with pytest.raises(lp.MissingRateError) as caught:
        lp.late_payment("100", D(2031, 1, 2), lp.STATE, D(2031, 2, 2), rates=())
    assert caught.value.half_year == D(2031, 1, 1)
    assert "2031-01-01" in str(caught.value)


def test_a_half_year_missing_from_the_table_is_a_clear_error():
    # The default table stops at H1 2026: interest starting in July 2026 needs the admin's rate.
    with pytest.raises(lp.MissingRateError, match="half-year starting on 2026-07-01"):
        lp.late_payment("1200.00", D(2026, 6, 15), lp.STATE, D(2026, 8, 1))
    # The Odoo side passes its own table, as a mapping or pairs, rates as Decimal, str or float.
    # Received 15 Jun 2026 -> due 15 Jul 2026; until 1 Aug 2026 -> 17 days at 2.00 + 8 = 10.00 %.
    # 1200.00 x 10 % x 17 / 365 = 2040 / 365 = 5.5890... -> 5.59
    for rates in ({D(2026, 7, 1): "2.00"}, [(D(2026, 7, 1), 2.0)]):
        result = lp.late_payment("1200.00", D(2026, 6, 15), lp.STATE, D(2026, 8, 1), rates=rates)
        assert (result.days_late, result.rate, result.interest) == (17, Decimal("10.00"), Decimal("5.59"))
    with pytest.raises(ValueError, match="first day of a half-year"):
        lp.interest_rate(D(2026, 8, 1), rates=[(D(2026, 7, 2), "2.00")])


def test_default_rates_cover_every_half_year_from_2022_to_2026():
    starts = [start for start, _rate in lp.DEFAULT_ECB_RATES]
    assert starts == [D(year, month, 1) for year in range(2022, 2027) for month in (1, 7)][:-1]
    assert lp.interest_rate(D(2023, 12, 31)) == Decimal("12.00")  # H2 2023: 4.00 + 8


def test_credit_notes_get_no_interest():
    with pytest.raises(ValueError, match="credit note"):
        lp.late_payment("-10.00", D(2025, 3, 3), lp.STATE, D(2025, 6, 1))


def test_days_late_and_half_years():
    assert lp.days_late(D(2025, 4, 2), D(2025, 4, 3)) == 1
    assert lp.days_late(D(2025, 4, 2), D(2025, 4, 2)) == 0
    assert lp.half_year_start(D(2025, 6, 30)) == D(2025, 1, 1)
    assert lp.half_year_start(D(2025, 7, 1)) == D(2025, 7, 1)
    assert dict(lp.SELECTION)[lp.HEALTH] == "Public health establishment"


# -- late_interest: the dates of the invoice's life on Chorus Pro, payments per amount --------------------


def test_the_delay_runs_from_the_making_available_not_from_the_deposit():
    # Deposited 3 Mar 2025, made available to the buyer on 5 Mar 2025 (R2192-12, R2192-15): State, 30 days
    # -> due 4 Apr 2025; paid 24 Apr 2025 -> 20 days. From 5 Apr 2025: H1 2025, 3.15 + 8 = 11.15 %.
    # 2400.00 x 11.15 % x 20 / 365 = 5352 / 365 = 14.6630 -> 14.66
    result = lp.late_interest("2400.00", D(2025, 3, 5), lp.STATE, D(2025, 6, 1), paid_on=D(2025, 4, 24))
    assert (result.start, result.start_reason, result.due_date, result.days_late) == (
        D(2025, 3, 5),
        lp.START_RECEIPT,
        D(2025, 4, 4),
        20,
    )
    assert (result.rate, result.interest, result.indemnity) == (Decimal("11.15"), Decimal("14.66"), Decimal("40.00"))
    assert result.periods == (
        lp.Period(Decimal("2400.00"), D(2025, 4, 5), D(2025, 4, 24), 20, Decimal("11.15"), Decimal("14.66"), True),
    )
    # Paid 24 Apr 2025: the interest and the indemnity are due by 8 Jun 2025 (24 Apr + 45: 6 + 31 + 8; R2192-36).
    assert (result.principal_paid_on, result.claim_due_by) == (D(2025, 4, 24), D(2025, 6, 8))


def test_services_done_after_the_receipt_start_the_delay():
    # Received 3 Mar 2025, services done 10 Mar 2025 (R2192-13): due 9 Apr 2025; paid 9 Apr: on time.
    result = lp.late_interest(
        "1000", D(2025, 3, 3), lp.STATE, D(2025, 5, 1), service_date=D(2025, 3, 10), paid_on=D(2025, 4, 9)
    )
    assert (result.start, result.start_reason, result.due_date, result.days_late) == (
        D(2025, 3, 10),
        lp.START_SERVICE,
        D(2025, 4, 9),
        0,
    )
    assert (result.interest, result.indemnity, result.claim_due_by) == (Decimal("0.00"), Decimal("0.00"), None)
    # Done before the receipt: the receipt counts.
    assert lp.late_interest("1000", D(2025, 3, 3), lp.STATE, D(2025, 4, 1), service_date=D(2025, 3, 1)).start == D(
        2025, 3, 3
    )


def test_a_suspension_answered_ten_days_later_opens_a_new_thirty_day_delay():
    # State, received 3 Mar 2025 -> due 2 Apr 2025. Suspended 13 Mar 2025 with 20 days left (2 Apr - 13 Mar);
    # completed 23 Mar 2025: new delay = 30 days, longer than the 20 left (R2192-29) -> due 22 Apr 2025.
    # Paid 2 May 2025: 10 days. From 23 Apr 2025: H1 2025, 11.15 %. 1000.00 x 11.15 % x 10 / 365 = 1115 / 365
    # = 3.0548 -> 3.05 (counted from the deposit's due date it would be 30 days and 9.16).
    result = lp.late_interest(
        "1000.00",
        D(2025, 3, 3),
        lp.STATE,
        D(2025, 6, 1),
        suspended=D(2025, 3, 13),
        completed=D(2025, 3, 23),
        paid_on=D(2025, 5, 2),
    )
    assert result.interruption == lp.Interruption(D(2025, 3, 13), D(2025, 3, 23), 20, 30)
    assert (result.due_date, result.days_late, result.interest) == (D(2025, 4, 22), 10, Decimal("3.05"))


def test_a_suspension_keeps_the_balance_when_it_is_longer_than_thirty_days():
    # Public company, 60 days: received 2 Jan 2023 -> due 3 Mar 2023. Suspended 12 Jan 2023 with 50 days left
    # (19 of January + 28 + 3); completed 22 Jan 2023: new delay = the 50 days left -> due 13 Mar 2023
    # (9 of January + 28 + 13). Paid 23 Mar 2023: 10 days. From 14 Mar 2023: H1 2023, 2.50 + 8 = 10.50 %.
    # 2000.00 x 10.50 % x 10 / 365 = 2100 / 365 = 5.7534 -> 5.75
    result = lp.late_interest(
        "2000.00",
        D(2023, 1, 2),
        lp.PUBLIC_COMPANY,
        D(2023, 6, 1),
        suspended=D(2023, 1, 12),
        completed=D(2023, 1, 22),
        paid_on=D(2023, 3, 23),
    )
    assert result.interruption == lp.Interruption(D(2023, 1, 12), D(2023, 1, 22), 50, 50)
    assert (result.due_date, result.days_late, result.rate, result.interest) == (
        D(2023, 3, 13),
        10,
        Decimal("10.50"),
        Decimal("5.75"),
    )


def test_a_suspended_invoice_owes_nothing_until_completed_and_a_late_suspension_changes_nothing():
    # Suspended 13 Mar 2025 and not completed on 30 Jun 2025: no due date, nothing owed.
    waiting = lp.late_interest("1000", D(2025, 3, 3), lp.STATE, D(2025, 6, 30), suspended=D(2025, 3, 13))
    assert waiting.interruption == lp.Interruption(D(2025, 3, 13), None, 20, None)
    assert (waiting.due_date, waiting.days_late, waiting.interest, waiting.indemnity) == (
        None,
        0,
        Decimal("0.00"),
        Decimal("0.00"),
    )
    # Suspended 10 Apr 2025, after the due date of 2 Apr: the interest already ran, nothing is interrupted.
    late = lp.late_interest(
        "1000", D(2025, 3, 3), lp.STATE, D(2025, 4, 12), suspended=D(2025, 4, 10), completed=D(2025, 4, 11)
    )
    assert (late.interruption, late.due_date, late.days_late) == (None, D(2025, 4, 2), 10)


def test_a_payment_on_time_stops_the_interest_on_what_it_paid():
    # State, 3000.00 received 1 Oct 2024 -> due 31 Oct 2024. 1000.00 paid 25 Oct 2024 (on time), 2000.00 on
    # 30 Nov 2024: 30 days on 2000.00. From 1 Nov 2024: H2 2024, 4.25 + 8 = 12.25 %.
    # 2000.00 x 12.25 % x 30 / 365 = 7350 / 365 = 20.1370 -> 20.14
    payments = [(D(2024, 10, 25), "1000.00"), (D(2024, 11, 30), "2000.00")]
    result = lp.late_interest("3000.00", D(2024, 10, 1), lp.STATE, D(2025, 3, 1), payments=payments)
    assert result.periods == (
        lp.Period(Decimal("2000.00"), D(2024, 11, 1), D(2024, 11, 30), 30, Decimal("12.25"), Decimal("20.14"), True),
    )
    assert (result.interest, result.days_late, result.principal_paid_on) == (Decimal("20.14"), 30, D(2024, 11, 30))
    # Two late payments: 1000.00 on 10 Nov 2024 (10 days: 1000 x 12.25 % x 10 / 365 = 1225 / 365 = 3.3562
    # -> 3.36) and 2000.00 on 30 Nov 2024 (20.14): 23.50.
    payments = [(D(2024, 11, 10), "1000.00"), (D(2024, 11, 30), "2000.00")]
    result = lp.late_interest("3000.00", D(2024, 10, 1), lp.STATE, D(2025, 3, 1), payments=payments)
    assert [(period.amount, period.days, period.interest) for period in result.periods] == [
        (Decimal("1000.00"), 10, Decimal("3.36")),
        (Decimal("2000.00"), 30, Decimal("20.14")),
    ]
    assert result.interest == Decimal("23.50")
    # 1000.00 paid late on 10 Nov 2024, the rest unpaid on 20 Nov 2024: 3.36, and 2000.00 x 12.25 % x 20 / 365
    # = 4900 / 365 = 13.4247 -> 13.42 so far; not paid yet, nothing to claim.
    running = lp.late_interest("3000.00", D(2024, 10, 1), lp.STATE, D(2024, 11, 20), payments=payments[:1])
    assert [(period.days, period.interest, period.paid) for period in running.periods] == [
        (10, Decimal("3.36"), True),
        (20, Decimal("13.42"), False),
    ]
    assert (running.principal_paid_on, running.claim_due_by) == (None, None)


def test_the_reported_payment_stops_what_is_left():
    # 1000.00 of 3000.00 paid in time on 25 Oct 2024; MISE_EN_PAIEMENT on 10 Nov 2024 for the rest (its payment
    # recorded later, on 15 Nov): 2000.00 x 12.25 % x 10 / 365 = 2450 / 365 = 6.7123 -> 6.71.
    payments = [(D(2024, 10, 25), "1000.00"), (D(2024, 11, 15), "2000.00")]
    result = lp.late_interest(
        "3000.00", D(2024, 10, 1), lp.STATE, D(2025, 3, 1), payments=payments, paid_on=D(2024, 11, 10)
    )
    assert [(period.amount, period.last_day, period.interest) for period in result.periods] == [
        (Decimal("2000.00"), D(2024, 11, 10), Decimal("6.71"))
    ]
    assert result.principal_paid_on == D(2024, 11, 10)


def test_a_missing_rate_still_gives_the_periods():
    payments = [(D(2031, 2, 11), "40")]
    result = lp.late_interest("100", D(2031, 1, 2), lp.STATE, D(2031, 2, 21), rates=(), payments=payments)
    assert result.missing_rate == D(2031, 1, 1)
    assert (result.rate, result.interest, result.indemnity) == (None, None, Decimal("40.00"))
    assert [(period.amount, period.days, period.interest) for period in result.periods] == [
        (Decimal("40"), 10, None),
        (Decimal("60"), 20, None),
    ]
