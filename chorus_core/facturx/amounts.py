"""Totals of an invoice, so that the XML states the invoice's own figures and every BR-CO rule holds.

Line nets (BT-131) are the host's ``Line.net_amount`` when given, else quantity x price minus the
discount, each rounded to the cent. The VAT breakdowns (BG-23) are the host's ``vat_breakdown``
when given: its rounding method (per line or global) decides the VAT, and the builder never
computes a second one; it only says where the host figures break an EN 16931 rule. Without them
the base of a category is the sum of the rounded figures and its VAT is rounded once on that
base (BR-CO-17). The header totals are plain sums of those rounded figures, so BR-CO-10/13/14/15/16
hold exactly.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..i18n import _lt
from .codelists import VAT_CATEGORIES_WITHOUT_RATE, VAT_RULE_PREFIX, VATEX_BY_CATEGORY, vatex_reason
from .findings import error, warning
from .formatting import format_amount, format_rate

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
# A line net the caller computed may differ from ours by one rounding step before we say so.
NET_AMOUNT_TOLERANCE = CENT
# BR-CO-17 as the EN 16931 Schematron checks it: the VAT of a breakdown within one unit of basis x rate.
VAT_AMOUNT_TOLERANCE = Decimal(1)


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


def vat_label(key):
    """``S 20.00 %`` or ``O``: how a finding names a VAT breakdown, in no particular language."""
    category, rate = key
    return category if rate is None else f"{category} {format_rate(rate)} %"


def line_total(line, findings):
    gross = round_amount(Decimal(line.quantity) * Decimal(line.unit_price))
    if line.discount_amount:
        allowance = round_amount(line.discount_amount)
    elif line.discount_percent:
        allowance = round_amount(gross * Decimal(line.discount_percent) / HUNDRED)
    else:
        allowance = ZERO
    net = gross - allowance
    if line.net_amount is None:
        return LineTotal(line, gross, allowance, net)
    given = round_amount(line.net_amount)
    if abs(given - net) > NET_AMOUNT_TOLERANCE:
        findings.append(
            warning(
                "FX-LINE-NET",
                _lt(
                    "Line %(line)s: net amount %(given)s kept as invoiced; quantity x price - discount is %(computed)s."
                ),
                "BT-131",
                line=line.id,
                given=format_amount(given),
                computed=format_amount(net),
            )
        )
    if allowance:
        # The discount written is what brings this gross to the invoice's net (the two roundings differ).
        allowance = gross - given
    return LineTotal(line, gross, allowance, given)


def compute_totals(invoice):
    """Return ``(Totals, findings)`` for an :class:`~.model.Invoice`."""
    findings = []
    lines = [line_total(line, findings) for line in invoice.lines]
    bases = {}
    reasons = {}
    for total in lines:
        line = total.line
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
    if invoice.vat_breakdown is None:
        amounts = {key: (basis, _vat(basis, key[1])) for key, basis in bases.items()}
    else:
        amounts = _host_amounts(invoice.vat_breakdown, bases, findings)
    groups = []
    for key in sorted(amounts, key=lambda k: (k[0], k[1] or ZERO)):
        category, rate = key
        basis, tax = amounts[key]
        code, text = reasons.get(key, ("", ""))
        code = code or VATEX_BY_CATEGORY.get(category, "")
        text = text or vatex_reason(code)
        groups.append(VatGroup(category, rate, basis, tax, code, text))
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


def _vat(basis, rate):
    return round_amount(basis * rate / HUNDRED) if rate is not None else ZERO


def _host_amounts(breakdown, bases, findings):
    """``{key: (basis, tax)}`` of the host's breakdown, and a finding for each rule its figures break.

    Two entries of one category and rate (two taxes of the same rate) are added together.
    """
    amounts = {}
    for item in breakdown:
        key = vat_key(item.category, item.rate)
        basis, tax = amounts.get(key, (ZERO, ZERO))
        amounts[key] = (basis + round_amount(item.basis), tax + round_amount(item.tax))

    def report(rule, template, key, **params):
        findings.append(error(rule, template, "BG-23", vat=vat_label(key), **params))

    for key in sorted(set(amounts) | set(bases), key=lambda k: (k[0], k[1] or ZERO)):
        # BR-S-08, BR-Z-08, BR-E-08 ...: a breakdown's basis is the sum of its lines' nets +- allowances/charges.
        rule = _category_rule(key[0], "08")
        expected = bases.get(key)
        if key not in amounts:
            report(
                rule,
                _lt("The invoice's VAT breakdown has no %(vat)s group, yet lines for %(expected)s have this VAT."),
                key,
                expected=format_amount(expected),
            )
            continue
        basis, tax = amounts[key]
        if expected is None:
            report(rule, _lt("The invoice's VAT group %(vat)s matches no line of the invoice."), key)
        elif basis != expected:
            report(
                rule,
                _lt(
                    "VAT group %(vat)s: basis %(basis)s, but its lines net of allowances and charges make %(expected)s."
                ),
                key,
                basis=format_amount(basis),
                expected=format_amount(expected),
            )
        rate = key[1]
        if not rate and tax:
            report(
                _category_rule(key[0], "09"),
                _lt("VAT group %(vat)s: its VAT amount must be zero, not %(tax)s."),
                key,
                tax=format_amount(tax),
            )
        elif rate and abs(tax - _vat(basis, rate)) > VAT_AMOUNT_TOLERANCE:
            report(
                "BR-CO-17",
                _lt("VAT group %(vat)s: VAT %(tax)s is more than one unit away from basis x rate = %(computed)s."),
                key,
                tax=format_amount(tax),
                computed=format_amount(_vat(basis, rate)),
            )
    return amounts


def _category_rule(category, number):
    """``BR-S-08`` for category S ...; a category EN 16931 has no rules for is already refused by the checks."""
    prefix = VAT_RULE_PREFIX.get(category)
    return f"{prefix}-{number}" if prefix else "FX-VAT-CATEGORY"


def _collect_reason(reasons, key, code, text, findings):
    """Keep the first exemption reason of a VAT group; a different one cannot be expressed (one BT-120 per group)."""
    if not (code or text):
        return
    known = reasons.setdefault(key, (code, text))
    if known != (code, text):
        findings.append(
            warning(
                "FX-VAT-REASON",
                _lt(
                    "VAT category %(category)s: several exemption reasons (%(first)s, %(other)s); the first is written."
                ),
                "BT-121",
                category=key[0],
                first=known[0] or known[1],
                other=code or text,
            )
        )
