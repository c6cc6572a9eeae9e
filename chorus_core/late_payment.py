"""Payment delays of French public buyers and the late-payment interest they owe (pure).

Code de la commande publique:
- R2192-10: a public buyer pays within 30 days of receiving the invoice (the State, its
  administrative public bodies, local authorities and their public bodies);
- R2192-12: the delay runs from the buyer's receipt of the payment request; for an invoice sent
  through the public invoicing portal (Chorus Pro) the receipt is the notification that the invoice
  was made available there (the paragraph after R2192-14 in the section, R2192-15): its
  MISE_A_DISPOSITION status;
- R2192-13: when the services were done after that receipt, the delay runs from the day they were
  done (``service_date``);
- R2192-27, R2192-28: the buyer may interrupt the delay once, by a notification of what is missing
  (Chorus Pro: SUSPENDUE); R2192-29: on receipt of the complete items (COMPLETEE) a new delay
  opens, of 30 days, or of the balance that was left on the day of the interruption when that is
  longer;
- R2192-11: 50 days for public health establishments and the army health service (1°), 60 days
  for public companies (2°);
- a contract may set its own delay (``delay_override``), never longer than the legal one (L2192-10:
  the legal delays above are maxima; the invoice form refuses a longer contractual delay);
- L2192-13: late-payment interest runs, without any formality, from the day after the delay
  expires until the payment of the principal (included), plus a fixed recovery indemnity;
- R2192-31: the rate is the ECB main refinancing operations (MRO) rate in force on the first day
  of the calendar half-year in which the interest started to run, plus 8 percentage points;
- D2192-35: the fixed recovery indemnity is 40 EUR;
- R2192-36: the interest and the indemnity are paid within 45 days of the payment of the principal.

Interest is simple, on the amount including VAT, per day over 365:
``amount x rate / 100 x days / 365``, rounded half up to the cent. Days late run from the day
after the due date to the stop date included (``until - due``): the day the invoice reached
MISE_EN_PAIEMENT, or "today" while it is unpaid.

``late_interest`` counts it per amount and per period: each payment stops the interest on what it
paid from its date (a payment made by the due date owes nothing), the rest runs until the stop
date. Each period's interest is rounded to the cent, and the total is the sum of the rounded
periods: what a claim invoice shows line by line adds up.

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

# How the delay started: the receipt of the invoice (its making available on Chorus Pro), or the day the
# services were done when that is later (R2192-13).
START_RECEIPT = "receipt"
START_SERVICE = "service"
NEW_DELAY_AFTER_INTERRUPTION = 30  # days (R2192-29)
CLAIM_DELAY = 45  # days after the payment of the principal (R2192-36)

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
    is unpaid. Not late: no rate is looked up, interest and indemnity are 0.00. The whole amount,
    no interruption, no partial payment: ``late_interest`` with nothing else known.
    """
    result = late_interest(amount_incl_vat, received, buyer_kind, until, rates, delay_override)
    if result.missing_rate:
        raise MissingRateError(result.missing_rate)
    return LatePayment(result.due_date, result.days_late, result.rate, result.interest, result.indemnity)


Interruption = collections.namedtuple("Interruption", "suspended completed balance new_delay")
Interruption.__doc__ = """The one interruption of the delay (R2192-27 to R2192-29).

``suspended``: the day the buyer's notification was received; ``balance``: the days of delay left
on that day; ``completed``: the day the complete items were received, ``None`` while awaited;
``new_delay``: the delay opened on that day, 30 days or ``balance`` when longer (``None`` while awaited).
"""

Period = collections.namedtuple("Period", "amount first_day last_day days rate interest paid")
Period.__doc__ = """Interest on one amount: from ``first_day`` to ``last_day`` included (``days`` days).

``paid`` is True when ``last_day`` is the day that amount was paid, False when it is still unpaid on
``last_day`` (today). ``rate`` and ``interest`` are ``None`` when the ECB rate is missing.
"""

LateInterest = collections.namedtuple(
    "LateInterest",
    "start start_reason delay interruption due_date days_late rate periods interest indemnity "
    "principal_paid_on claim_due_by missing_rate",
)
LateInterest.__doc__ = """Outcome of ``late_interest``.

``start``/``start_reason``: the day the delay started and why (START_RECEIPT or START_SERVICE);
``delay``: its length in days; ``interruption``: an ``Interruption`` or ``None``; ``due_date``: the
last day to pay, ``None`` while the delay is interrupted; ``days_late``: from the day after the due
date to the payment of the principal or ``until``; ``periods``: the ``Period`` of each amount paid
late or still unpaid; ``interest``: their sum (``None`` when the rate is missing); ``indemnity``:
40.00 once anything was paid late; ``principal_paid_on``: the day the principal was fully paid, or
``None``; ``claim_due_by``: that day + 45 (R2192-36), when something is owed; ``missing_rate``: the
first day of the half-year whose ECB rate is missing, or ``None``.
"""


def late_interest(
    amount_incl_vat,
    received,
    buyer_kind,
    until,
    rates=DEFAULT_ECB_RATES,
    delay_override=None,
    service_date=None,
    suspended=None,
    completed=None,
    payments=(),
    paid_on=None,
):
    """Due date, periods of lateness and what they cost, from the dates of the invoice's life.

    ``received``: the buyer's receipt (Chorus Pro's MISE_A_DISPOSITION); ``service_date``: the day the
    services were done, when known; ``suspended``/``completed``: the first SUSPENDUE and the
    COMPLETEE after it; ``payments``: ``(date, amount)`` of each payment recorded against the
    invoice; ``paid_on``: the day the whole invoice was reported paid (MISE_EN_PAIEMENT), which stops
    the interest on what is left; ``until``: today, where nothing stopped it.
    """
    amount = _decimal(amount_incl_vat)
    if amount < 0:
        raise ValueError("Late-payment interest is computed on an amount due, not on a credit note.")
    start, start_reason = received, START_RECEIPT
    if service_date and service_date > received:
        start, start_reason = service_date, START_SERVICE
    delay = legal_delay(buyer_kind, delay_override)
    due, interruption = _due_date(start, delay, suspended, completed)
    if due is None:
        return LateInterest(start, start_reason, delay, interruption, None, 0, None, (), ZERO, ZERO, None, None, None)
    stop = min(paid_on, until) if paid_on else until
    pieces, principal_paid_on = _pieces_paid_late(amount, due, stop, until, payments, paid_on)
    days = days_late(due, principal_paid_on or until)
    if not pieces:
        return LateInterest(
            start, start_reason, delay, interruption, due, days, None, (), ZERO, ZERO, principal_paid_on, None, None
        )
    first_day = due + datetime.timedelta(days=1)
    missing, rate = None, None
    try:
        rate = interest_rate(first_day, rates)
    except MissingRateError as error:
        missing = error.half_year
    periods = []
    for piece_amount, last, paid in pieces:
        period_days = (last - due).days
        interest = None
        if rate is not None:
            interest = (piece_amount * rate * period_days / (100 * DAYS_IN_YEAR)).quantize(CENT, rounding=ROUND_HALF_UP)
        periods.append(Period(piece_amount, first_day, last, period_days, rate, interest, paid))
    total = sum((period.interest for period in periods), ZERO) if rate is not None else None
    claim_due_by = principal_paid_on + datetime.timedelta(days=CLAIM_DELAY) if principal_paid_on else None
    return LateInterest(
        start,
        start_reason,
        delay,
        interruption,
        due,
        days,
        rate,
        tuple(periods),
        total,
        RECOVERY_INDEMNITY,
        principal_paid_on,
        claim_due_by,
        missing,
    )


def _due_date(start, delay, suspended, completed):
    """``(due date, Interruption)``: the due date is ``None`` while an interruption awaits its items."""
    due = start + datetime.timedelta(days=delay)
    # Once the delay expired there is nothing left to interrupt: interest already runs.
    if not suspended or suspended > due:
        return due, None
    balance = min(max((due - suspended).days, 0), delay)
    if not completed or completed < suspended:
        return None, Interruption(suspended, None, balance, None)
    new_delay = max(NEW_DELAY_AFTER_INTERRUPTION, balance)
    return completed + datetime.timedelta(days=new_delay), Interruption(suspended, completed, balance, new_delay)


def _pieces_paid_late(amount, due, stop, until, payments, paid_on):
    """``([(amount, last day of interest, paid)], day the principal was fully paid)`` for the amounts late.

    Each payment pays what is left, oldest first; what it pays stops running on its date (or on
    ``stop`` when that is earlier). What no payment covers runs until ``stop``.
    """
    left = amount
    pieces = []
    last_payment = None
    for day, value in sorted((day, _decimal(value)) for day, value in payments):
        paid = min(value, left)
        if paid <= 0:
            continue
        left -= paid
        last_payment = day
        if day > due:
            pieces.append((paid, min(day, stop), day <= stop))
    if left > 0:
        pieces.append((left, stop, bool(paid_on) and paid_on <= until))
    principal_paid_on = None
    if left <= 0 and last_payment:
        principal_paid_on = min(last_payment, paid_on) if paid_on else last_payment
    elif paid_on and paid_on <= until:
        principal_paid_on = paid_on
    return [piece for piece in pieces if piece[1] > due], principal_paid_on


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
