"""Totals of an invoice computed so that every EN 16931 BR-CO rule holds after rounding.

Order matters: each line net is rounded first, the VAT base of a category is the sum of the
rounded figures, and the VAT of a category is rounded once on that base (BR-CO-17). The header
totals are then plain sums of rounded figures, so BR-CO-10/13/14/15/16 hold exactly.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .codelists import VAT_CATEGORIES_WITHOUT_RATE, VATEX_BY_CATEGORY, vatex_reason
from .findings import WARNING, Finding

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
# A line net the caller computed may differ from ours by one rounding step before we say so.
NET_AMOUNT_TOLERANCE = CENT


def round_amount(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineTotal:
    line: object
    gross_amount: Decimal  # quantity x unit price, rounded
    allowance: Decimal  # BT-136, the line discount
    net_amount: Decimal  # BT-131


@dataclass(frozen=True)
class VatGroup:
    """One VAT breakdown (BG-23): one category and rate."""

    category: str
    rate: Decimal | None
    basis: Decimal  # BT-116
    tax: Decimal  # BT-117
    exemption_code: str  # BT-121
    exemption_reason: str  # BT-120


@dataclass(frozen=True)
class Totals:
    lines: list  # LineTotal, in the order of the invoice lines
    vat_groups: list  # VatGroup, sorted by category then rate
    line_total: Decimal  # BT-106
    allowance_total: Decimal  # BT-107
    charge_total: Decimal  # BT-108
    tax_basis_total: Decimal  # BT-109
    tax_total: Decimal  # BT-110
    grand_total: Decimal  # BT-112
    prepaid: Decimal  # BT-113
    due: Decimal  # BT-115


def vat_key(category, rate):
    """Group key: the category, and the rate when the category has one."""
    if category in VAT_CATEGORIES_WITHOUT_RATE or rate is None:
        return category, None
    return category, Decimal(rate).quantize(CENT)


def line_total(line):
    gross = round_amount(Decimal(line.quantity) * Decimal(line.unit_price))
    if line.discount_amount:
        allowance = round_amount(line.discount_amount)
    elif line.discount_percent:
        allowance = round_amount(gross * Decimal(line.discount_percent) / HUNDRED)
    else:
        allowance = ZERO
    return LineTotal(line, gross, allowance, gross - allowance)


def compute_totals(invoice):
    """Return ``(Totals, findings)`` for an :class:`~.model.Invoice`."""
    findings = []
    lines = [line_total(line) for line in invoice.lines]
    bases = {}
    reasons = {}
    for total in lines:
        line = total.line
        if line.net_amount is not None and abs(round_amount(line.net_amount) - total.net_amount) > NET_AMOUNT_TOLERANCE:
            findings.append(
                Finding(
                    "FX-LINE-NET",
                    WARNING,
                    f"Line {line.id}: net amount {line.net_amount} differs from quantity x price - discount "
                    f"= {total.net_amount}; the computed amount is written.",
                    "BT-131",
                )
            )
        key = vat_key(line.vat_category, line.vat_rate)
        bases[key] = bases.get(key, ZERO) + total.net_amount
        _collect_reason(reasons, key, line.exemption_reason_code, line.exemption_reason, findings)
    allowance_total = charge_total = ZERO
    for item in invoice.allowances_charges:
        amount = round_amount(item.amount)
        key = vat_key(item.vat_category, item.vat_rate)
        if item.is_charge:
            charge_total += amount
            bases[key] = bases.get(key, ZERO) + amount
        else:
            allowance_total += amount
            bases[key] = bases.get(key, ZERO) - amount
    groups = []
    for key in sorted(bases, key=lambda k: (k[0], k[1] or ZERO)):
        category, rate = key
        tax = round_amount(bases[key] * rate / HUNDRED) if rate is not None else ZERO
        code, text = reasons.get(key, ("", ""))
        code = code or VATEX_BY_CATEGORY.get(category, "")
        text = text or vatex_reason(code)
        groups.append(VatGroup(category, rate, bases[key], tax, code, text))
    line_sum = sum((total.net_amount for total in lines), ZERO)
    tax_basis = line_sum - allowance_total + charge_total
    tax_total = sum((group.tax for group in groups), ZERO)
    grand_total = tax_basis + tax_total
    prepaid = round_amount(invoice.prepaid_amount or ZERO)
    totals = Totals(
        lines=lines,
        vat_groups=groups,
        line_total=line_sum,
        allowance_total=allowance_total,
        charge_total=charge_total,
        tax_basis_total=tax_basis,
        tax_total=tax_total,
        grand_total=grand_total,
        prepaid=prepaid,
        due=grand_total - prepaid,
    )
    return totals, findings


def _collect_reason(reasons, key, code, text, findings):
    """Keep the first exemption reason of a VAT group; a different one cannot be expressed (one BT-120 per group)."""
    if not (code or text):
        return
    known = reasons.setdefault(key, (code, text))
    if known != (code, text):
        findings.append(
            Finding(
                "FX-VAT-REASON",
                WARNING,
                f"VAT category {key[0]}: several exemption reasons ({known[0] or known[1]!r} and "
                f"{code or text!r}); only the first is written.",
                "BT-121",
            )
        )
