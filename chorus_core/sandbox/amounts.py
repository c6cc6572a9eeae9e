"""The amounts' coherence Chorus Pro checks at integration ("contrôle de cohérence des montants").

Lines against their total (BT-131 / BT-106), the VAT breakdown against the lines (BT-116 / BT-117
per BT-118 and BT-119), and the document totals against each other (BT-106 to BT-115, rules
BR-CO-10 to BR-CO-16 of EN 16931). Each amount is already rounded to the cent, so a sum may drift
by one cent per amount rounded: the tolerance is one cent per line, or per VAT rate for totals.

Only what the document states is compared: a missing optional total is not made up.
The wording of the messages is the sandbox's: the live one is not public (shared/docs §6.2).
"""

import re
from decimal import ROUND_HALF_UP, Decimal

DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
CENT = Decimal("0.01")
SETTLEMENT_PATH = "FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement"
SUMMATION_PATH = f"{SETTLEMENT_PATH}.SpecifiedTradeSettlementHeaderMonetarySummation"
VAT_PATH = f"{SETTLEMENT_PATH}.ApplicableTradeTax"
# Longest amount quoted, so a huge value cannot push the path out of the 200 characters kept.
AMOUNT_SHOWN_MAX = 16

SUMMATION_TAGS = {
    "BT-106": "LineTotalAmount",
    "BT-107": "AllowanceTotalAmount",
    "BT-108": "ChargeTotalAmount",
    "BT-109": "TaxBasisTotalAmount",
    "BT-110": "TaxTotalAmount",
    "BT-112": "GrandTotalAmount",
    "BT-113": "TotalPrepaidAmount",
    "BT-114": "RoundingAmount",
    "BT-115": "DuePayableAmount",
}


def decimal(text):
    """The amount of an element's text, or None when it is not a decimal (the XSD check reports it)."""
    text = (text or "").strip()
    return Decimal(text) if DECIMAL.match(text) else None


def vat_key(category, rate):
    """``(BT-118, BT-119)``: a rate written 20, 20.0 or 20.00 is one rate; none for category O."""
    value = decimal(rate)
    return (category or "", None if value is None else value.normalize())


def _shown(amount):
    text = f"{amount:.2f}"
    return text if len(text) <= AMOUNT_SHOWN_MAX else f"{text[: AMOUNT_SHOWN_MAX - 1]}…"


def _rate_shown(rate):
    return "sans taux" if rate is None else f"{rate:f} %"


def _summation_error(term, written, expected, how):
    path = f"{SUMMATION_PATH}.{SUMMATION_TAGS[term]}.value"
    return f"Montant {_shown(written)} incohérent, {how} {_shown(expected)} ({path})."


def _off(written, expected, tolerance):
    return abs(written - expected) > tolerance


def amount_errors(figures):
    """The ``listeErreurDP`` messages of one document's amounts (``figures`` from ``parsing``)."""
    lines, groups, allowances, totals = (
        figures["lines"],
        figures["vat"],
        figures["allowances"],
        figures["totals"],
    )
    errors = []
    rates = max(len(groups), 1)
    line_total = totals.get("BT-106")
    if lines and line_total is not None:
        # BR-CO-10: BT-106 is the sum of the lines' net amounts.
        expected = sum((amount for _key, amount in lines), Decimal(0))
        if _off(line_total, expected, CENT * len(lines)):
            errors.append(_summation_error("BT-106", line_total, expected, "somme des lignes"))
    errors += _vat_errors(lines, groups, allowances)
    allowance, charge = totals.get("BT-107", Decimal(0)), totals.get("BT-108", Decimal(0))
    basis, tax, grand = totals.get("BT-109"), totals.get("BT-110"), totals.get("BT-112")
    if line_total is not None and basis is not None:
        # BR-CO-13: BT-109 = BT-106 - BT-107 + BT-108.
        expected = line_total - allowance + charge
        if _off(basis, expected, CENT):
            errors.append(_summation_error("BT-109", basis, expected, "attendu"))
    if basis is not None and tax is not None and grand is not None:
        # BR-CO-15: BT-112 = BT-109 + BT-110.
        expected = basis + tax
        if _off(grand, expected, CENT * rates):
            errors.append(_summation_error("BT-112", grand, expected, "attendu"))
    due = totals.get("BT-115")
    if grand is not None and due is not None:
        # BR-CO-16: BT-115 = BT-112 - BT-113 + BT-114.
        expected = grand - totals.get("BT-113", Decimal(0)) + totals.get("BT-114", Decimal(0))
        if _off(due, expected, CENT):
            errors.append(_summation_error("BT-115", due, expected, "attendu"))
    return errors


def _vat_errors(lines, groups, allowances):
    """BT-116 and BT-117 of each VAT rate against the lines and document allowances/charges of that rate."""
    if not lines:
        return []
    bases, counts = {}, {}
    for key, amount in lines:
        bases[key] = bases.get(key, Decimal(0)) + amount
        counts[key] = counts.get(key, 0) + 1
    for key, amount in allowances:
        bases[key] = bases.get(key, Decimal(0)) + amount
        counts[key] = counts.get(key, 0) + 1
    errors = []
    written = {key: (basis, tax) for key, basis, tax in groups}
    for key in list(bases) + [key for key in written if key not in bases]:
        (_category, rate), count = key, max(counts.get(key, 0), 1)
        expected_basis = bases.get(key, Decimal(0))
        basis, tax = written.get(key, (Decimal(0), Decimal(0)))
        # BR-CO-17 and the BR-xx-08 rules: the basis of a rate is its lines' nets less allowances plus charges.
        if _off(basis, expected_basis, CENT * count):
            errors.append(
                f"Base {_shown(basis)} du taux {_rate_shown(rate)} incohérente, lignes {_shown(expected_basis)} "
                f"({VAT_PATH}.BasisAmount.value)."
            )
        expected_tax = (basis * (rate or 0) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        if _off(tax, expected_tax, CENT * count):
            errors.append(
                f"TVA {_shown(tax)} du taux {_rate_shown(rate)} incohérente, attendu {_shown(expected_tax)} "
                f"({VAT_PATH}.CalculatedAmount.value)."
            )
    return errors
