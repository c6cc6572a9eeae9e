"""Business rules Chorus Pro applies to each invoice of a flux (shared/docs/chorus-pro-api.md §10, §6.2).

Each failed rule gives one French message naming the XML path, the way Chorus writes
``libelleErreurDP``; the messages of one invoice are joined with `` | `` and, as on the real
platform, the joined text is cut at ``LIBELLE_MAX`` characters (§7.1). Every message fits
within that limit on its own, the reason before the path, so the first one always reads whole.
"""

from .. import limits
from ..siret import is_valid_siret
from . import fixtures
from .amounts import amount_errors

XML = "FichierXml"
AGREEMENT = f"{XML}.SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement"
SELLER_PATH = f"{AGREEMENT}.SellerTradeParty.SpecifiedLegalOrganization.ID.value"
BUYER_PATH = f"{AGREEMENT}.BuyerTradeParty.SpecifiedLegalOrganization.ID.value"
SERVICE_PATH = f"{AGREEMENT}.BuyerReference.value"
ENGAGEMENT_PATH = f"{AGREEMENT}.BuyerOrderReferencedDocument.IssuerAssignedID.value"
PAYMENT_MEANS_PATH = (
    f"{XML}.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement"
    ".SpecifiedTradeSettlementPaymentMeans.TypeCode.value"
)
NUMBER_PATH = f"{XML}.ExchangedDocument.ID.value"
DATE_PATH = f"{XML}.ExchangedDocument.IssueDateTime.DateTimeString.value"
TYPE_PATH = f"{XML}.ExchangedDocument.TypeCode.value"
FRAMEWORK_PATH = f"{XML}.ExchangedDocumentContext.BusinessProcessSpecifiedDocumentContextParameter.ID.value"

# Chorus cuts each libelleErreurDP at about 200 characters (invoicerr's live deposits, §7.1).
LIBELLE_MAX = 200
# Longest part of a deposited value quoted in a message, so a long value cannot push the path out.
QUOTED_MAX = 20
# schemeID of BT-30/BT-47: 0002 (SIRENE), 0009 (SIRET), 1 (Chorus SIRET code) or none.
ACCEPTED_SCHEMES = ("0002", "0009", "1", None)

TYPE_CODES = {
    "380": "FACTURE",
    "381": "AVOIR",
    "384": "FACTURE",
    "386": "ACOMPTE",
    "389": "FACTURE",
}

# BT-23 codes (Chorus EDI annex, rule G1.02: A1 to A25) and the long name the API gives each of
# them (§5.3); an invoice without BT-23 is an A1.
DEFAULT_FRAMEWORK = "A1"
FRAMEWORKS = {
    "A1": "A1_FACTURE_FOURNISSEUR",
    "A2": "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE",
    "A3": "A3_MEMOIRE_JUSTICE",
    "A4": "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR",
    "A5": "A5_ETAT_ACOMPTE_FOURNISSEUR",
    "A6": "A6_ETAT_ACOMPTE_VALIDE_FOURNISSEUR",
    "A7": "A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR",
    "A8": "A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR",
    "A9": "A9_FACTURE_SOUSTRAITANT",
    "A10": "A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT",
    "A11": "A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT",
    "A12": "A12_FACTURE_COTRAITANT",
    "A13": "A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT",
    "A14": "A14_PROJET_DECOMPTE_FINAL_COTRAITANT",
    "A15": "A15_ETAT_ACOMPTE_MOE",
    "A16": "A16_ETAT_ACOMPTE_VALIDE_MOE",
    "A17": "A17_PROJET_DECOMPTE_GENERAL_MOE",
    "A18": "A18_DECOMPTE_GENERAL_MOE",
    "A19": "A19_ETAT_ACOMPTE_VALIDE_MOA",
    "A20": "A20_DECOMPTE_GENERAL_MOA",
    "A21": "A21_DEMANDE_REMBOURSEMENT_TIC",
    "A22": "A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE",
    "A23": "A23_DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR",
    "A24": "A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE",
    "A25": "A25_DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE",
}


def libelle(errors):
    """The ``libelleErreurDP`` of one invoice: its messages joined, cut like Chorus cuts them."""
    return " | ".join(errors)[:LIBELLE_MAX]


def quoted(value, limit=QUOTED_MAX):
    """A deposited value as a message shows it, shortened when it is long."""
    value = value or ""
    return value if len(value) <= limit else f"{value[: limit - 1]}…"


def is_siren(value):
    return len(value) == 9 and value.isdigit()


def find_service(buyer, code):
    return next(
        (service for service in buyer["services"] if service["codeService"] == code),
        None,
    )


def routing_errors(buyer_siret, service_code, engagement):
    """Rules on the recipient, its service (BT-10) and the engagement (BT-13).

    Shared by the flux processing and ``recycler``, which changes exactly these.
    """
    buyer = fixtures.BUYERS.get(buyer_siret or "")
    if not buyer_siret:
        return [f"L'identifiantDestinataire est obligatoire ({BUYER_PATH})."]
    shown = quoted(buyer_siret)
    if is_siren(buyer_siret):
        return [f"L'identifiantDestinataire {shown} est un SIREN, SIRET attendu ({BUYER_PATH})."]
    if buyer is None and not is_valid_siret(buyer_siret):
        return [f"L'identifiantDestinataire {shown} n'est pas un SIRET valide ({BUYER_PATH})."]
    if buyer is None:
        return [f"L'identifiantDestinataire {shown} n'est pas référencé ({BUYER_PATH})."]
    if buyer["statut"] != "ACTIVE":
        return [f"L'identifiantDestinataire {shown} n'est pas actif ({BUYER_PATH})."]
    errors = []
    params = buyer["parametres"]
    service = find_service(buyer, service_code) if service_code else None
    if service_code:
        if service_code in limits.FORBIDDEN_SERVICE_CODES:
            errors.append(
                f"Le code service {quoted(service_code)} est réservé aux échanges entre entités publiques "
                f"({SERVICE_PATH})."
            )
        elif service is None or not service["estActif"]:
            errors.append(f"Le code service {quoted(service_code)} n'existe pas ou n'est pas actif ({SERVICE_PATH}).")
    elif params["codeServiceDoitEtreRenseigne"]:
        errors.append(f"Le code service est obligatoire pour ce destinataire ({SERVICE_PATH}).")
    # The EJ is required by the buyer, by its service, or stands in for a service code it did not get.
    required = (
        params["numeroEJDoitEtreRenseigne"]
        or (service is not None and service["numeroEngagement"])
        or (params["gestionNumeroEJOuCodeService"] and not service_code)
    )
    if engagement and len(engagement) > limits.ENGAGEMENT_MAX:
        errors.append(f"Le numéro d'engagement dépasse {limits.ENGAGEMENT_MAX} caractères ({ENGAGEMENT_PATH}).")
    elif engagement and required and engagement not in buyer["engagements"]:
        # The live wording is not public: the sandbox's own, reason before path like the others.
        errors.append(f"Le numéro d'engagement {quoted(engagement)} est inconnu du destinataire ({ENGAGEMENT_PATH}).")
    if not engagement:
        if params["numeroEJDoitEtreRenseigne"]:
            errors.append(f"Le numéro d'engagement est obligatoire pour ce destinataire ({ENGAGEMENT_PATH}).")
        elif service is not None and service["numeroEngagement"]:
            errors.append(f"Le service {quoted(service_code)} exige le numéro d'engagement ({ENGAGEMENT_PATH}).")
        elif params["gestionNumeroEJOuCodeService"] and not service_code:
            # Both full paths would not fit in LIBELLE_MAX: name their common parent once.
            errors.append(
                "Le code service ou le numéro d'engagement est obligatoire pour ce destinataire "
                f"({AGREEMENT}.BuyerReference ou BuyerOrderReferencedDocument)."
            )
    return errors


def supplier_errors(seller, scheme, supplier_siret):
    """BT-30 must hold the 14-digit SIRET of the supplier of the calling technical account."""
    if not seller:
        return [f"L'identifiantFournisseur est obligatoire ({SELLER_PATH})."]
    shown = quoted(seller)
    if scheme not in ACCEPTED_SCHEMES:
        return [f"Le schemeID {quoted(scheme, 8)} de l'identifiantFournisseur n'est pas admis ({SELLER_PATH})."]
    if is_siren(seller):
        return [f"L'identifiantFournisseur {shown} est un SIREN, SIRET attendu ({SELLER_PATH})."]
    if seller != supplier_siret:
        return [f"L'identifiantFournisseur {shown} n'est pas référencé ({SELLER_PATH})."]
    return []


def invoice_errors(invoice, supplier_siret, deposit_date, used_numbers):
    """All DP errors of one parsed invoice (see ``parsing.parse_invoice``).

    ``used_numbers`` holds the invoice numbers the supplier already has in Chorus.
    """
    errors = supplier_errors(invoice["seller"], invoice["seller_scheme"], supplier_siret)
    if invoice["buyer"] and invoice["buyer_scheme"] not in ACCEPTED_SCHEMES:
        scheme = quoted(invoice["buyer_scheme"], 8)
        errors.append(f"Le schemeID {scheme} de l'identifiantDestinataire n'est pas admis ({BUYER_PATH}).")
    else:
        errors += routing_errors(invoice["buyer"], invoice["service_code"], invoice["engagement"])
    # BT-81 on every document, credit notes included (§6.2; OCA's credit notes carry it, §7.3).
    if not invoice["payment_means"]:
        errors.append(f"L'element {PAYMENT_MEANS_PATH} est obligatoire")
    framework = invoice["framework"]
    if framework is not None and framework not in FRAMEWORKS:
        errors.append(
            f"Le cadre de facturation {quoted(framework) or 'vide'} n'est pas admis, A1 à A25 attendu "
            f"({FRAMEWORK_PATH})."
        )
    number = invoice["number"]
    problem = limits.invoice_number_problem(number)
    if problem == "too_long":
        errors.append(f"Le numéro de facture ({NUMBER_PATH}) dépasse {limits.INVOICE_NUMBER_MAX} caractères.")
    elif problem == "bad_characters":
        errors.append(
            f"Le numéro de facture ({NUMBER_PATH}) {number} contient des caractères non autorisés "
            "(lettres, chiffres et - _ / + seulement)."
        )
    elif number in used_numbers:
        errors.append(f"Le numéro de facture ({NUMBER_PATH}) {number} existe déjà pour ce fournisseur.")
    if invoice["issue_date"] > deposit_date:
        errors.append(
            f"La date de facture ({DATE_PATH}) {invoice['issue_date']} est postérieure "
            f"à la date de dépôt {deposit_date}."
        )
    if invoice["type_code"] not in TYPE_CODES:
        errors.append(
            f"Le type de facture ({TYPE_PATH}) {quoted(invoice['type_code'])} n'est pas autorisé "
            f"(valeurs admises : {', '.join(TYPE_CODES)})."
        )
    errors += amount_errors(invoice["figures"])
    return errors
