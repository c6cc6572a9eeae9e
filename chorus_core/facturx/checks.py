"""Rules the builder checks on the data before writing them (EN 16931, French 2026 CTC, Chorus Pro).

Each finding cites the rule the XML would break. Rules the builder satisfies by construction
(totals, rounding, identifier schemes) are not checked here; see ``amounts.py`` and ``cii.py``.
Own checks with no official rule id use the ``FX-`` prefix.
"""

import re

from ..limits import (
    CONTRACT_MAX,
    ENGAGEMENT_MAX,
    FORBIDDEN_SERVICE_CODES,
    SERVICE_CODE_MAX,
    invoice_number_problem,
)
from ..siret import is_valid_siret, normalize
from .codelists import (
    BILLING_MODE_DIGIT_BY_FRAMEWORK,
    BILLING_MODES,
    FRENCH_VAT_RATES,
    MANDATORY_NOTE_SUBJECTS,
    PAID_BILLING_MODES,
    PAYMENT_CREDIT_TRANSFER,
    PAYMENT_DIRECT_DEBIT,
    PAYMENT_MEANS_CODES,
    TYPE_CODES,
    TYPE_CREDIT_NOTE,
    VAT_CATEGORIES,
    VAT_EXEMPT,
    VAT_NOT_SUBJECT,
    VAT_RULE_PREFIX,
    VAT_STANDARD,
    VAT_ZERO_RATED,
)
from .findings import ERROR, WARNING, Finding

# BR-FR-23: electronic addresses may only hold these characters (so no e-mail address).
ELECTRONIC_ADDRESS_PATTERN = re.compile(r"^[A-Za-z0-9+\-_.]+$")
ELECTRONIC_ADDRESS_MAX = 125  # BR-FR-25
# BR-FR-01/02 on BT-25: the same form as an invoice number.
DOCUMENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9+\-_/]{1,35}$")


def resolve_billing_mode(invoice):
    """BT-23 and the findings about it: explicit ``billing_mode`` first, else derived from the Chorus framework."""
    if invoice.billing_mode:
        if invoice.billing_mode in BILLING_MODES:
            return invoice.billing_mode, []
        return invoice.billing_mode, [
            Finding("BR-FR-08", WARNING, f"Billing mode {invoice.billing_mode!r} is not a 2026 billing mode.", "BT-23")
        ]
    digit = BILLING_MODE_DIGIT_BY_FRAMEWORK.get(invoice.billing_framework)
    if digit:
        return invoice.supply_kind + digit, []
    return invoice.billing_framework, [
        Finding(
            "BR-FR-08",
            ERROR,
            f"Chorus framework {invoice.billing_framework!r} has no derived 2026 billing mode: set billing_mode.",
            "BT-23",
        )
    ]


def check_invoice(invoice, totals, billing_mode):
    findings = []
    add = findings.append

    def error(rule, message, location=""):
        add(Finding(rule, ERROR, message, location))

    problem = invoice_number_problem(invoice.number)
    if problem:
        error(
            "BR-FR-01/02", f"Invoice number {invoice.number!r} is {problem.replace('_', ' ')} for Chorus Pro.", "BT-1"
        )
    if invoice.type_code not in TYPE_CODES:
        error("BR-FR-04", f"Type code {invoice.type_code!r}: only 380 and 381 are sent to Chorus Pro.", "BT-3")
    if not invoice.lines:
        error("BR-16", "An invoice needs at least one line.", "BG-25")
    if invoice.type_code == TYPE_CREDIT_NOTE and not (invoice.preceding_invoice and invoice.preceding_invoice_date):
        error("BR-FR-CO-05", "A credit note must reference the invoice it corrects, with its date.", "BT-25")
    if invoice.preceding_invoice and not DOCUMENT_ID_PATTERN.match(invoice.preceding_invoice):
        error("BR-FR-02", f"Preceding invoice {invoice.preceding_invoice!r} has forbidden characters.", "BT-25")
    _check_routing(invoice, error)
    _check_parties(invoice, totals, error)
    _check_notes(invoice, error)
    _check_vat(invoice, totals, error)
    _check_payment(invoice, totals, billing_mode, error)
    return findings


def _check_routing(invoice, error):
    for value, limit, term in (
        (invoice.service_code, SERVICE_CODE_MAX, "BT-10"),
        (invoice.engagement, ENGAGEMENT_MAX, "BT-13"),
        (invoice.contract, CONTRACT_MAX, "BT-12"),
    ):
        if len(value) > limit:
            error("CHORUS-LIMIT", f"{value!r} is longer than the {limit} characters Chorus Pro accepts.", term)
    if invoice.service_code in FORBIDDEN_SERVICE_CODES:
        error("CHORUS-SERVICE", f"Service code {invoice.service_code!r} is reserved to public entities.", "BT-10")


def _check_parties(invoice, totals, error):
    seller, buyer = invoice.seller, invoice.buyer
    if not is_valid_siret(seller.siret):
        error("BR-FR-10", f"Seller SIRET {seller.siret!r} is not a valid SIRET (its SIREN is BT-30).", "BT-29")
    if not normalize(buyer.siret):
        error("CHORUS-BT-47", "Chorus Pro identifies the public buyer by its SIRET: it is missing.", "BT-47")
    elif not is_valid_siret(buyer.siret):
        error("CHORUS-BT-47", f"Buyer SIRET {buyer.siret!r} is not a valid SIRET.", "BT-47")
    for party, term in ((seller, "BT-34"), (buyer, "BT-49")):
        address = party.electronic_address
        value = address.value if address else normalize(party.siret)
        if not value:
            error("BR-FR-12/13", f"{party.name}: no electronic address and no SIRET to derive one from.", term)
        elif not ELECTRONIC_ADDRESS_PATTERN.match(value):
            error(
                "BR-FR-23", f"{party.name}: electronic address {value!r} may only hold letters, digits, + - _ .", term
            )
        elif len(value) > ELECTRONIC_ADDRESS_MAX:
            error("BR-FR-25", f"{party.name}: electronic address is longer than {ELECTRONIC_ADDRESS_MAX}.", term)
    needing_seller_vat = sorted({group.category for group in totals.vat_groups} - {VAT_NOT_SUBJECT})
    if needing_seller_vat and not seller.vat_id:
        rule = f"{VAT_RULE_PREFIX[needing_seller_vat[0]]}-02"
        error(rule, "The seller VAT identifier is required when VAT applies or is exempted.", "BT-31")


def _check_notes(invoice, error):
    subjects = [subject for subject, _text in invoice.notes]
    for subject in MANDATORY_NOTE_SUBJECTS:
        count = subjects.count(subject)
        if not count:
            error("BR-FR-05", f"The legal note {subject} is missing.", "BT-21")
        elif count > 1:
            error("BR-FR-06", f"The note {subject} appears {count} times.", "BT-21")


def _check_vat(invoice, totals, error):
    for line in invoice.lines:
        if line.vat_category not in VAT_CATEGORIES:
            error("BR-FR-15", f"Line {line.id}: VAT category {line.vat_category!r} is not allowed.", "BT-151")
    for item in invoice.allowances_charges:
        if not (item.reason or item.reason_code):
            error("BR-33", "A document allowance or charge needs a reason or a reason code.", "BT-97")
    categories = {group.category for group in totals.vat_groups}
    if VAT_NOT_SUBJECT in categories and len(categories) > 1:
        error("BR-O-11", "Category O (not subject to VAT) cannot be mixed with other categories.", "BG-23")
    for group in totals.vat_groups:
        rate = f"{group.rate:.2f}" if group.rate is not None else None
        if rate is not None and rate not in FRENCH_VAT_RATES:
            error("BR-FR-16", f"VAT rate {rate} is not a French rate.", "BT-119")
        if group.category == VAT_STANDARD and not group.rate:
            error("BR-S-05", "Standard-rated VAT needs a rate above zero.", "BT-119")
        if group.category != VAT_STANDARD and group.rate:
            error(
                f"{VAT_RULE_PREFIX[group.category]}-05",
                f"VAT category {group.category} must have a zero rate.",
                "BT-119",
            )
        if group.category == VAT_EXEMPT and not (group.exemption_code or group.exemption_reason):
            error("BR-E-10", "Exempt VAT needs an exemption reason code or text.", "BT-121")
        if group.category == VAT_ZERO_RATED and (group.exemption_code or group.exemption_reason):
            error("BR-Z-10", "Zero-rated VAT must not carry an exemption reason.", "BT-120")


def _check_payment(invoice, totals, billing_mode, error):
    means = invoice.payment_means
    if means:
        if means.code not in PAYMENT_MEANS_CODES:
            error(
                "CHORUS-BT-81", f"Payment means {means.code!r}: use 30 for transfers and 49 for direct debit.", "BT-81"
            )
        if means.code == PAYMENT_CREDIT_TRANSFER and not means.iban:
            error("BR-61", "A credit transfer needs the IBAN to pay into.", "BT-84")
        if means.code == PAYMENT_DIRECT_DEBIT and not means.mandate_reference:
            error("BR-DD", "A direct debit needs the mandate reference.", "BT-89")
    elif invoice.type_code != TYPE_CREDIT_NOTE:
        error("CHORUS-BT-81", "Chorus Pro requires a payment means on an invoice.", "BT-81")
    due_date = effective_due_date(invoice)
    if totals.due > 0 and not (due_date or invoice.payment_terms):
        error("BR-CO-25", "An amount is due: give a due date or payment terms.", "BT-9")
    paid_mode = billing_mode in PAID_BILLING_MODES
    if due_date and due_date < invoice.issue_date and not paid_mode:
        error("BR-FR-CO-07", "The due date is before the issue date.", "BT-9")
    if paid_mode:
        if totals.prepaid != totals.grand_total:
            error("BR-FR-CO-09", "An already paid invoice must have its whole total as paid amount.", "BT-113")
        if not due_date:
            error("BR-FR-CO-09", "An already paid invoice needs the payment date as due date.", "BT-9")
    if invoice.currency != "EUR" and invoice.vat_total_in_eur is None:
        error("BR-FR-CO-12", "An invoice not in EUR needs its VAT total in EUR.", "BT-111")


def effective_due_date(invoice):
    """BT-9: the explicit due date, else the last installment (Odoo's ``invoice_date_due`` is the last one)."""
    if invoice.due_date:
        return invoice.due_date
    return max((when for when, _amount in invoice.installments), default=None)
