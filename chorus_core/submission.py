"""The body of ``factures/v1/soumettre`` (SoumettreFactureParam, chorus-pro-api.md §3.11) from an invoice's data.

Subcontractor (A9) and co-contractor (A12) invoices go to a validator first, the main contractor or
the group's representative, before the buyer sees them. A Factur-X deposit cannot name that validator;
``soumettre`` can (``cadreDeFacturation.codeStructureValideur``). The invoice is submitted in PDF mode
(``DEPOT_PDF_API``): its printed PDF is uploaded first with ``transverses/v1/ajouter/fichier`` and named
as the main attachment, and every figure comes from the same ``facturx.model.Invoice`` the Factur-X is
built from, i.e. Odoo's own lines, VAT breakdown and totals. Why that upload and not ``deposer/pdf``:
docs/subcontractors.md.
"""

from decimal import Decimal

from .facturx.amounts import compute_totals
from .facturx.codelists import (
    PAYMENT_CASH,
    PAYMENT_CHEQUE,
    PAYMENT_CREDIT_TRANSFER,
    PAYMENT_DIRECT_DEBIT,
    TYPE_CREDIT_NOTE,
)
from .limits import INVOICE_NUMBER_MAX

MODE_PDF = "DEPOT_PDF_API"
# The frameworks soumettre accepts (Swagger enum of SoumettreFactureCadreDeFacturation), by BT-23 code.
FRAMEWORKS = {
    "A1": "A1_FACTURE_FOURNISSEUR",
    "A2": "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE",
    "A9": "A9_FACTURE_SOUSTRAITANT",
    "A12": "A12_FACTURE_COTRAITANT",
}
# Subcontractor and co-contractor invoices: validated by a contractor before the buyer sees them.
VALIDATED_FRAMEWORKS = ("A9", "A12")
PAYMENT_MODES = {
    PAYMENT_CREDIT_TRANSFER: "VIREMENT",
    PAYMENT_DIRECT_DEBIT: "PRELEVEMENT",
    PAYMENT_CHEQUE: "CHEQUE",
    PAYMENT_CASH: "ESPECE",
}
OTHER_PAYMENT_MODE = "AUTRE"
# The platform answers HTTP 500 to a dateFacture with a time part (§3.11): a plain date is sent.
DATE_FORMAT = "%Y-%m-%d"
MAIN_ATTACHMENT_DESIGNATION = "Facture"


def _number(value):
    """A JSON number of at most 6 decimals (decimal(19,6) on the platform)."""
    return float(round(Decimal(value), 6))


def _lines(totals):
    return [
        {
            "lignePosteNumero": index,
            "lignePosteReference": (item.line.seller_item_id or item.line.id)[:50],
            "lignePosteDenomination": item.line.name[:200],
            "lignePosteQuantite": _number(item.line.quantity),
            "lignePosteUnite": item.line.unit_code,
            "lignePosteMontantUnitaireHT": _number(item.line.unit_price),
            "lignePosteMontantRemiseHT": _number(item.allowance),
            "lignePosteTauxTvaManuel": _number(item.line.vat_rate or 0),
        }
        for index, item in enumerate(totals.lines, start=1)
    ]


def _vat_lines(totals):
    return [
        {
            "ligneTvaMontantBaseHtParTaux": _number(group.basis),
            "ligneTvaMontantTvaParTaux": _number(group.tax),
            "ligneTvaTauxManuel": _number(group.rate or 0),
        }
        for group in totals.vat_groups
    ]


def _totals(totals):
    return {
        "montantHtTotal": _number(totals.tax_basis_total),
        "montantTVA": _number(totals.tax_total),
        "montantTtcTotal": _number(totals.grand_total),
        "montantAPayer": _number(totals.due),
    }


def _vat_type(invoice, totals):
    if not totals.tax_total:
        return "EXONERATION"
    return "TVA_SUR_ENCAISSEMENT" if invoice.vat_on_payment else "TVA_SUR_DEBIT"


def _references(invoice, totals):
    references = {
        "deviseFacture": invoice.currency,
        "typeFacture": "AVOIR" if invoice.type_code == TYPE_CREDIT_NOTE else "FACTURE",
        # VAT due when invoiced or when paid, as the invoice's taxes say, unless it carries none; the reason then
        # comes from its VAT groups (BT-120).
        "typeTva": _vat_type(invoice, totals),
        "modePaiement": PAYMENT_MODES.get(
            invoice.payment_means.code if invoice.payment_means else "", OTHER_PAYMENT_MODE
        ),
    }
    if not totals.tax_total:
        reason = next((group.exemption_reason for group in totals.vat_groups if group.exemption_reason), "")
        if reason:
            references["motifExonerationTva"] = reason
    for key, value in (
        ("numeroMarche", invoice.contract),
        ("numeroBonCommande", invoice.engagement),
        ("numeroFactureOrigine", invoice.preceding_invoice),
    ):
        if value:
            references[key] = value
    return references


def submit_body(invoice, *, supplier_id, bank_id, attachment_id, validator_siret="", validator_service=""):
    """The SoumettreFactureParam of ``invoice`` (a ``facturx.model.Invoice``), in PDF mode.

    ``supplier_id`` is the supplier's own ``idStructureCPP``, ``bank_id`` the ``idCoordonneeBancaire`` of
    its bank details on Chorus Pro (None when the invoice is not paid by transfer), ``attachment_id`` the
    ``pieceJointeId`` of the uploaded PDF. A9 and A12 name their validator (``validator_siret``, and its
    service code when it has one).
    """
    if invoice.billing_framework not in FRAMEWORKS:
        raise ValueError(f"soumettre does not take the billing framework {invoice.billing_framework}")
    if len(invoice.number) > INVOICE_NUMBER_MAX:
        raise ValueError(f"A Chorus Pro invoice number has at most {INVOICE_NUMBER_MAX} characters.")
    framework = {"codeCadreFacturation": FRAMEWORKS[invoice.billing_framework]}
    if invoice.billing_framework in VALIDATED_FRAMEWORKS:
        if not validator_siret:
            raise ValueError(f"A {invoice.billing_framework} invoice names its validator.")
        framework["codeStructureValideur"] = validator_siret
        if validator_service:
            framework["codeServiceValideur"] = validator_service
    recipient = {"codeDestinataire": invoice.buyer.siret}
    if invoice.service_code:
        recipient["codeServiceExecutant"] = invoice.service_code
    supplier = {"idFournisseur": int(supplier_id)}
    if bank_id is not None:
        supplier["codeCoordonneesBancairesFournisseur"] = int(bank_id)
    # The totals the Factur-X states: the host's own line amounts and VAT breakdown when it gives them.
    totals, _findings = compute_totals(invoice)
    return {
        "modeDepot": MODE_PDF,
        "numeroFactureSaisi": invoice.number,
        "dateFacture": invoice.issue_date.strftime(DATE_FORMAT),
        "destinataire": recipient,
        "fournisseur": supplier,
        "cadreDeFacturation": framework,
        "references": _references(invoice, totals),
        "lignePoste": _lines(totals),
        "ligneTva": _vat_lines(totals),
        "montantTotal": _totals(totals),
        # An array, as working clients send it and the platform takes it (the Swagger says an object, §3.11).
        "pieceJointePrincipale": [
            {
                "pieceJointePrincipaleDesignation": MAIN_ATTACHMENT_DESIGNATION,
                "pieceJointePrincipaleId": int(attachment_id),
            }
        ],
    }
