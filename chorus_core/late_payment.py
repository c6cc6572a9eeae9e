"""Payment delays of French public buyers and the late-payment interest they owe (pure).

Code de la commande publique:
- R2192-10: a public buyer pays within 30 days of receiving the invoice (the State, its
  administrative public bodies, local authorities and their public bodies);
- R2192-11: 50 days for public health establishments and the army health service (1°), 60 days
  for public companies (2°);
- a contract may set its own delay (``delay_override``), never longer than the legal one (L2192-10:
  the legal delays above are maxima; the invoice form refuses a longer contractual delay);
- L2192-13: late-payment interest runs, without any formality, from the day after the delay
  expires until the payment of the principal (included), plus a fixed recovery indemnity;
- R2192-31: the rate is the ECB main refinancing operations (MRO) rate in force on the first day
  of the calendar half-year in which the interest started to run, plus 8 percentage points;
- D2192-35: the fixed recovery indemnity is 40 EUR.

Interest is simple, on the amount including VAT, per day over 365:
``amount x rate / 100 x days / 365``, rounded half up to the cent. Days late run from the day
after the due date to the stop date included (``until - due``): the day the invoice reached
MISE_EN_PAIEMENT, or "today" while it is unpaid.

The ECB rate table is data: ``DEFAULT_ECB_RATES`` holds the known values; the Odoo side keeps an
editable copy and passes it as ``rates``. A half-year missing from it raises ``MissingRateError``.
"""

import collections
import datetime
from decimal import ROUND_HALF_UP, Decimal

# Buyer kinds, and the legal delay (days) of each.
STATE = "state"
PUBLIC_BODY = "public_body"  # administrative public bodies of the State (établissements publics administratifs)
LOCAL_AUTHORITY = "local_authority"  # collectivités territoriales and their public bodies
HEALTH = "health"  # établissements publics de santé, service de santé des armées
PUBLIC_COMPANY = "public_company"  # entreprises publiques

LEGAL_DELAYS = {
    STATE: 30,
    PUBLIC_BODY: 30,
    LOCAL_AUTHORITY: 30,
    HEALTH: 50,
    PUBLIC_COMPANY: 60,
}
BUYER_KINDS = tuple(LEGAL_DELAYS)
# For Odoo's Selection: (kind, English label); the French labels are the translations.
BUYER_KIND_LABELS = {
    STATE: ("State", "État"),
    PUBLIC_BODY: ("Administrative public body", "Établissement public administratif"),
    LOCAL_AUTHORITY: ("Local authority", "Collectivité territoriale"),
    HEALTH: ("Public health establishment", "Établissement public de santé"),
    PUBLIC_COMPANY: ("Public company", "Entreprise publique"),
}
SELECTION = [(kind, BUYER_KIND_LABELS[kind][0]) for kind in BUYER_KINDS]

RATE_MARGIN = Decimal("8")  # percentage points over the ECB MRO rate (R2192-31)
RECOVERY_INDEMNITY = Decimal("40.00")  # EUR (D2192-35)
DAYS_IN_YEAR = 365
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# ECB main refinancing operations rate (%) in force on the first day of each calendar half-year.
# 2022: 0.00 (unchanged from March 2016 to 27 July 2022); then 2.50 (21 Dec 2022), 4.00 (21 Jun
# 2023), 4.50 (20 Sep 2023), 4.25 (12 Jun 2024), 3.15 (18 Dec 2024), 2.15 (11 Jun 2025), held at
# 2.15 up to the meeting of 18 Dec 2025, hence 2.15 on 1 Jan 2026. 1 Jul 2026 is not known here: a
# Chorus Pro administrator enters it in the Odoo table (ECB Rates).
DEFAULT_ECB_RATES = (
    (datetime.date(2022, 1, 1), Decimal("0.00")),
    (datetime.date(2022, 7, 1), Decimal("0.00")),
    (datetime.date(2023, 1, 1), Decimal("2.50")),
    (datetime.date(2023, 7, 1), Decimal("4.00")),
    (datetime.date(2024, 1, 1), Decimal("4.50")),
    (datetime.date(2024, 7, 1), Decimal("4.25")),
    (datetime.date(2025, 1, 1), Decimal("3.15")),
    (datetime.date(2025, 7, 1), Decimal("2.15")),
    (datetime.date(2026, 1, 1), Decimal("2.15")),
)

LatePayment = collections.namedtuple("LatePayment", "due_date days_late rate interest indemnity")
LatePayment.__doc__ = """Outcome of ``late_payment``.

``rate`` is the annual interest rate in percent (ECB rate + 8), ``None`` when not late;
``interest`` and ``indemnity`` are ``Decimal`` EUR amounts, 0.00 when not late.
"""


class MissingRateError(LookupError):
    """No ECB rate for the half-year in which the interest started; ``half_year`` is its first day."""

    def __init__(self, half_year):
        self.half_year = half_year
        super().__init__(
            f"No ECB main refinancing rate is known for the half-year starting on {half_year.isoformat()}: "
            "enter the rate in force on that day to compute the late-payment interest."
        )


def legal_delay(buyer_kind, delay_override=None):
    """The payment delay in days: the contract's ``delay_override`` when given, else the legal one."""
    if delay_override is not None:
        delay = int(delay_override)
        if delay <= 0:
            raise ValueError(f"A payment delay must be a positive number of days, not {delay_override!r}.")
        return delay
    try:
        return LEGAL_DELAYS[buyer_kind]
    except KeyError:
        raise ValueError(f"Unknown buyer kind {buyer_kind!r}: expected one of {', '.join(BUYER_KINDS)}.") from None


def legal_due_date(received, buyer_kind, delay_override=None):
    """The last day the buyer may pay: the day of receipt plus the delay."""
    return received + datetime.timedelta(days=legal_delay(buyer_kind, delay_override))


def days_late(due, paid_or_today):
    """Days of interest: from the day after ``due`` to ``paid_or_today`` included; 0 when on time."""
    return max((paid_or_today - due).days, 0)


def half_year_start(day):
    """1 January or 1 July of the half-year holding ``day``."""
    return datetime.date(day.year, 1 if day.month <= 6 else 7, 1)


def interest_rate(interest_start, rates=DEFAULT_ECB_RATES):
    """The annual rate (%) for interest that started to run on ``interest_start``: ECB MRO + 8."""
    half_year = half_year_start(interest_start)
    table = _rate_table(rates)
    if half_year not in table:
        raise MissingRateError(half_year)
    return table[half_year] + RATE_MARGIN


def late_payment(amount_incl_vat, received, buyer_kind, until, rates=DEFAULT_ECB_RATES, delay_override=None):
    """Due date, days late, rate, interest and indemnity of an invoice received on ``received``.

    ``until`` is the payment date (the day the invoice reached MISE_EN_PAIEMENT) or today while it
    is unpaid. Not late: no rate is looked up, interest and indemnity are 0.00.
    """
    amount = _decimal(amount_incl_vat)
    if amount < 0:
        raise ValueError("Late-payment interest is computed on an amount due, not on a credit note.")
    due = legal_due_date(received, buyer_kind, delay_override)
    late = days_late(due, until)
    if not late:
        return LatePayment(due, 0, None, ZERO, ZERO)
    rate = interest_rate(due + datetime.timedelta(days=1), rates)
    interest = (amount * rate * late / (100 * DAYS_IN_YEAR)).quantize(CENT, rounding=ROUND_HALF_UP)
    return LatePayment(due, late, rate, interest, RECOVERY_INDEMNITY)


def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _rate_table(rates):
    """``{half-year start: Decimal rate}`` from a mapping or ``(date, rate)`` pairs."""
    pairs = rates.items() if isinstance(rates, dict) else rates
    table = {}
    for start, rate in pairs:
        if start != half_year_start(start):
            raise ValueError(f"An ECB rate is given for the first day of a half-year, not for {start.isoformat()}.")
        table[start] = _decimal(rate)
    return table
