"""Rules the builder checks on the data before writing them: EN 16931 and Chorus Pro's own.

Each finding cites the rule the XML would break: an EN 16931 id (``BR-16``, ``BR-CO-25``,
``BR-S-02`` ...) or, for what Chorus Pro itself enforces on a deposit (chorus-pro-api.md §4.3,
§6.2, §7), ``CHORUS-`` and the business term. Own checks with no official rule use ``FX-``.
The French 2026 rules (BR-FR-*, XP Z12-012) govern exchanges between approved platforms, not a
direct deposit on Chorus Pro, which refuses some of what they require (§7.1): none is checked.
Rules the builder satisfies by construction (totals, rounding, identifier schemes) are not
checked here; see ``amounts.py`` and ``cii.py``.
"""

from ..i18n import _lt
from ..limits import (
    CONTRACT_MAX,
    ENGAGEMENT_MAX,
    FORBIDDEN_SERVICE_CODES,
    INVOICE_NUMBER_MAX,
    SERVICE_CODE_MAX,
    invoice_number_problem,
)
from ..siret import is_valid_siret, normalize
from .codelists import (
    CHORUS_FRAMEWORKS,
    FRAMEWORK_ALREADY_PAID,
    FRAMEWORK_SUPPLIER_INVOICE,
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
from .findings import error
from .formatting import format_amount


def check_invoice(invoice, totals):
    findings = []

    def report(rule, template, location="", **params):
        findings.append(error(rule, template, location, **params))

    _check_document(invoice, report)
    _check_routing(invoice, report)
    _check_parties(invoice, totals, report)
    _check_vat(invoice, totals, report)
    _check_payment(invoice, totals, report)
    return findings


def _check_document(invoice, report):
    problem = invoice_number_problem(invoice.number)
    if problem == "too_long":
        report(
            "CHORUS-BT-1",
            _lt("Invoice number %(number)s has %(length)s characters; Chorus Pro accepts %(limit)s at most."),
            "BT-1",
            number=invoice.number,
            length=len(invoice.number),
            limit=INVOICE_NUMBER_MAX,
        )
    elif problem:
        report(
            "CHORUS-BT-1",
            _lt("Invoice number %(number)s: Chorus Pro accepts only letters, digits and - _ / + in it."),
            "BT-1",
            number=invoice.number,
        )
    if invoice.type_code not in TYPE_CODES:
        report(
            "CHORUS-BT-3",
            _lt("Type code %(code)s: only 380 (invoice) and 381 (credit note) are sent to Chorus Pro."),
            "BT-3",
            code=invoice.type_code,
        )
    framework = billing_framework(invoice)
    if framework not in CHORUS_FRAMEWORKS:
        # Chorus EDI annex, rule G1.02: BT-23 holds a cadre de facturation, A1 to A25.
        report(
            "CHORUS-BT-23",
            _lt("Billing framework %(framework)s: Chorus Pro accepts A1 to A25 (A1 for a supplier's invoice)."),
            "BT-23",
            framework=framework,
        )
    if not invoice.lines:
        report("BR-16", _lt("An invoice needs at least one line."), "BG-25")
    preceding = invoice.preceding_invoice
    if invoice.type_code == TYPE_CREDIT_NOTE and not preceding:
        # Chorus Pro files a credit note (AVOIR) against the invoice it corrects (numeroFactureOrigine).
        report("CHORUS-BT-25", _lt("A credit note must give the number of the invoice it corrects."), "BT-25")
    problem = invoice_number_problem(preceding) if preceding else None
    if problem == "too_long":
        report(
            "CHORUS-BT-25",
            _lt("Preceding invoice number %(number)s has %(length)s characters; Chorus Pro accepts %(limit)s at most."),
            "BT-25",
            number=preceding,
            length=len(preceding),
            limit=INVOICE_NUMBER_MAX,
        )
    elif problem:
        report(
            "CHORUS-BT-25",
            _lt("Preceding invoice number %(number)s: Chorus Pro accepts only letters, digits and - _ / + in it."),
            "BT-25",
            number=preceding,
        )


def _check_routing(invoice, report):
    for value, limit, term in (
        (invoice.service_code, SERVICE_CODE_MAX, "BT-10"),
        (invoice.engagement, ENGAGEMENT_MAX, "BT-13"),
        (invoice.contract, CONTRACT_MAX, "BT-12"),
    ):
        if len(value) > limit:
            report(
                "CHORUS-LIMIT",
                _lt("%(value)s is longer than the %(limit)s characters Chorus Pro accepts."),
                term,
                value=value,
                limit=limit,
            )
    if invoice.service_code in FORBIDDEN_SERVICE_CODES:
        report(
            "CHORUS-SERVICE",
            _lt("Service code %(code)s is reserved to invoices between public entities."),
            "BT-10",
            code=invoice.service_code,
        )


def _check_parties(invoice, totals, report):
    # Chorus Pro identifies both parties by their 14-digit SIRET; a 9-digit SIREN gets the deposit rejected.
    seller, buyer = invoice.seller, invoice.buyer
    if not normalize(seller.siret):
        report("CHORUS-BT-30", _lt("The seller's SIRET is missing: Chorus Pro identifies the seller by it."), "BT-30")
    elif not is_valid_siret(seller.siret):
        report(
            "CHORUS-BT-30",
            _lt("Seller SIRET %(siret)s is not a valid 14-digit SIRET (a SIREN is not enough)."),
            "BT-30",
            siret=seller.siret,
        )
    if not normalize(buyer.siret):
        report(
            "CHORUS-BT-47", _lt("The buyer's SIRET is missing: Chorus Pro identifies the public buyer by it."), "BT-47"
        )
    elif not is_valid_siret(buyer.siret):
        report(
            "CHORUS-BT-47",
            _lt("Buyer SIRET %(siret)s is not a valid 14-digit SIRET (a SIREN is not enough)."),
            "BT-47",
            siret=buyer.siret,
        )
    needing_seller_vat = sorted(
        {group.category for group in totals.vat_groups} & set(VAT_RULE_PREFIX) - {VAT_NOT_SUBJECT}
    )
    if needing_seller_vat and not seller.vat_id:
        report(
            f"{VAT_RULE_PREFIX[needing_seller_vat[0]]}-02",
            _lt("The seller's VAT identifier is required when VAT applies or is exempted."),
            "BT-31",
        )


def _check_vat(invoice, totals, report):
    for line in invoice.lines:
        if line.vat_category not in VAT_CATEGORIES:
            report(
                "FX-VAT-CATEGORY",
                _lt("Line %(line)s: VAT category %(category)s is not one of S, Z, E, AE, K, G, O."),
                "BT-151",
                line=line.id,
                category=line.vat_category,
            )
    for item in invoice.allowances_charges:
        if item.reason or item.reason_code:
            continue
        if item.is_charge:
            report("BR-38", _lt("A document charge needs a reason or a reason code."), "BT-104")
        else:
            report("BR-33", _lt("A document allowance needs a reason or a reason code."), "BT-97")
    categories = {group.category for group in totals.vat_groups}
    if VAT_NOT_SUBJECT in categories and len(categories) > 1:
        report("BR-O-11", _lt("Category O (not subject to VAT) cannot be mixed with other categories."), "BG-23")
    for group in totals.vat_groups:
        if group.category not in VAT_RULE_PREFIX:
            continue  # refused above
        if group.category == VAT_STANDARD and not group.rate:
            report("BR-S-05", _lt("Standard-rated VAT needs a rate above zero."), "BT-119")
        if group.category != VAT_STANDARD and group.rate:
            report(
                f"{VAT_RULE_PREFIX[group.category]}-05",
                _lt("VAT category %(category)s must have a zero rate."),
                "BT-119",
                category=group.category,
            )
        if group.category == VAT_EXEMPT and not (group.exemption_code or group.exemption_reason):
            report("BR-E-10", _lt("Exempt VAT needs an exemption reason code or text."), "BT-121")
        if group.category == VAT_ZERO_RATED and (group.exemption_code or group.exemption_reason):
            report("BR-Z-10", _lt("Zero-rated VAT must not carry an exemption reason."), "BT-120")


def _check_payment(invoice, totals, report):
    means = invoice.payment_means
    if means:
        if means.code not in PAYMENT_MEANS_CODES:
            report(
                "CHORUS-BT-81",
                _lt("Payment means %(code)s: Chorus Pro wants 30 for a transfer and 49 for a direct debit."),
                "BT-81",
                code=means.code,
            )
        if means.code == PAYMENT_CREDIT_TRANSFER and not means.iban:
            report("BR-61", _lt("A credit transfer needs the IBAN to pay into."), "BT-84")
        if means.code == PAYMENT_DIRECT_DEBIT and not means.mandate_reference:
            # Own rule: a SEPA direct debit is collected under a mandate the buyer's accountant must know.
            report("FX-BT-89", _lt("A direct debit needs the mandate reference."), "BT-89")
    else:
        # On credit notes too: Chorus Pro refuses any document without BT-81 (chorus-pro-api.md §6.2, §7.3).
        report("CHORUS-BT-81", _lt("Chorus Pro requires a payment means on an invoice."), "BT-81")
    due_date = effective_due_date(invoice)
    if totals.due > 0 and not (due_date or invoice.payment_terms):
        report("BR-CO-25", _lt("An amount is due: give a due date or payment terms."), "BT-9")
    if billing_framework(invoice) == FRAMEWORK_ALREADY_PAID:
        # Chorus cadre A2, "facture déjà payée": nothing is left to pay, and the invoice says when it was paid.
        if totals.prepaid != totals.grand_total:
            report(
                "CHORUS-A2",
                _lt("An already paid invoice (A2) must show its whole total %(total)s as paid, not %(paid)s."),
                "BT-113",
                total=format_amount(totals.grand_total),
                paid=format_amount(totals.prepaid),
            )
        if not due_date:
            report("CHORUS-A2", _lt("An already paid invoice (A2) needs its payment date as due date."), "BT-9")
    if invoice.currency != "EUR" and invoice.vat_total_in_eur is None:
        # The builder states the VAT accounting currency EUR (BT-6) of a French seller, so BR-53 wants BT-111.
        report(
            "BR-53",
            _lt("An invoice in %(currency)s needs its VAT total in EUR."),
            "BT-111",
            currency=invoice.currency,
        )


def billing_framework(invoice):
    """BT-23: the Chorus cadre de facturation, A1 when none is given (as Chorus Pro reads a missing BT-23)."""
    return invoice.billing_framework or FRAMEWORK_SUPPLIER_INVOICE


def effective_due_date(invoice):
    """BT-9: the explicit due date, else the last installment (Odoo's ``invoice_date_due`` is the last one)."""
    if invoice.due_date:
        return invoice.due_date
    return max((when for when, _amount in invoice.installments), default=None)
