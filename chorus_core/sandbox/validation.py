"""Business rules Chorus Pro applies to each invoice of a flux (shared/docs/chorus-pro-api.md §10, §6.2).

Each failed rule gives one French message naming the XML path, the way Chorus writes
``libelleErreurDP``; the messages of one invoice are joined with `` | ``.
"""

from .. import limits
from ..siret import is_valid_siret
from . import fixtures

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

TYPE_CODES = {
    "380": "FACTURE",
    "381": "AVOIR",
    "384": "FACTURE",
    "386": "ACOMPTE",
    "389": "FACTURE",
}


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
        return [f"L'identifiant du destinataire ({BUYER_PATH}) est obligatoire."]
    if buyer is None or buyer["statut"] != "ACTIVE":
        if len(buyer_siret) == 9 and buyer_siret.isdigit():
            return [
                (
                    f"L'identifiant du destinataire ({BUYER_PATH}) {buyer_siret} est un SIREN : "
                    "le SIRET (14 chiffres) de la structure publique est attendu."
                )
            ]
        if not is_valid_siret(buyer_siret):
            return [f"L'identifiant du destinataire ({BUYER_PATH}) {buyer_siret} n'est pas un SIRET valide."]
        return [
            (
                f"Le destinataire ({BUYER_PATH}) {buyer_siret} n'est pas référencé dans Chorus Pro "
                "comme structure publique active."
            )
        ]
    errors = []
    params = buyer["parametres"]
    service = find_service(buyer, service_code) if service_code else None
    if service_code:
        if service_code in limits.FORBIDDEN_SERVICE_CODES:
            errors.append(
                f"Le code service ({SERVICE_PATH}) {service_code} est réservé à la facturation entre "
                "entités publiques et ne peut pas être utilisé par un fournisseur privé."
            )
        elif service is None or not service["estActif"]:
            errors.append(
                f"Le code service ({SERVICE_PATH}) {service_code} n'existe pas ou n'est pas actif "
                f"pour le destinataire {buyer_siret}."
            )
    elif params["codeServiceDoitEtreRenseigne"]:
        errors.append(f"Le code service ({SERVICE_PATH}) est obligatoire pour le destinataire {buyer_siret}.")
    if engagement and len(engagement) > limits.ENGAGEMENT_MAX:
        errors.append(f"Le numéro d'engagement ({ENGAGEMENT_PATH}) dépasse {limits.ENGAGEMENT_MAX} caractères.")
    if not engagement:
        if params["numeroEJDoitEtreRenseigne"]:
            errors.append(
                f"Le numéro d'engagement ({ENGAGEMENT_PATH}) est obligatoire pour le destinataire {buyer_siret}."
            )
        elif service is not None and service["numeroEngagement"]:
            errors.append(f"Le numéro d'engagement ({ENGAGEMENT_PATH}) est obligatoire pour le service {service_code}.")
        elif params["gestionNumeroEJOuCodeService"] and not service_code:
            errors.append(
                f"Le code service ({SERVICE_PATH}) ou le numéro d'engagement ({ENGAGEMENT_PATH}) "
                f"doit être renseigné pour le destinataire {buyer_siret}."
            )
    return errors


def invoice_errors(invoice, supplier_siret, deposit_date, used_numbers):
    """All DP errors of one parsed invoice (see ``parsing.parse_invoice``).

    ``used_numbers`` holds the invoice numbers the supplier already has in Chorus.
    """
    errors = []
    if invoice["seller"] != supplier_siret:
        errors.append(
            f"L'identifiant fournisseur ({SELLER_PATH}) {invoice['seller'] or ''} n'est pas référencé "
            "dans Chorus Pro ou n'est pas rattaché au compte technique qui dépose le flux."
        )
    errors += routing_errors(invoice["buyer"], invoice["service_code"], invoice["engagement"])
    if not invoice["payment_means"]:
        errors.append(f"L'element {PAYMENT_MEANS_PATH} est obligatoire")
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
            f"Le type de facture ({TYPE_PATH}) {invoice['type_code']} n'est pas autorisé "
            f"(valeurs admises : {', '.join(TYPE_CODES)})."
        )
    return errors
