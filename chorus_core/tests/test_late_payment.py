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
