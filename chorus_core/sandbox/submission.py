"""``soumettre`` and ``corriger/valideur/facture`` (§3.11, Factures Swagger): invoices submitted from data.

The body is checked against ``SoumettreFactureParam`` as the Swagger declares it (``SUBMIT_SCHEMA``, a
copy the pure tests compare with the Swagger file): no undeclared key, the declared types and enums.
Then the rules the platform applies: the caller's own supplier structure and bank details, the
recipient's routing (as for a flux), a known active validator for A9 and A12, a PDF uploaded by the
caller, an invoice number used once, totals that add up. A subcontractor's or co-contractor's invoice
then waits for its validator (A_VALIDER_1) before it reaches the buyer: ``lifecycle.release``.
"""

import base64
import hashlib
import json

from .. import invoice_statuses, limits
from ..submission import VALIDATED_FRAMEWORKS
from . import fixtures, lifecycle, validation
from .responses import SUCCESS_TRA, bad_request, fail, ok, refused_shape, require
from .state import now

MODE_PDF_MODES = ("DEPOT_PDF_API", "DEPOT_PDF_SIGNE_API")
# Factures Swagger, SoumettreFactureParam and the definitions it names: property -> type, enum or sub-object.
_STRUCTURE_TYPES = ["SIRET", "UE_HORS_FRANCE", "HORS_UE", "RIDET", "TAHITI", "AUTRE", "PARTICULIER"]
SUBMIT_SCHEMA = {
    "idUtilisateurCourant": "integer",
    "modeDepot": ["SAISIE_API", "DEPOT_PDF_API", "DEPOT_PDF_SIGNE_API"],
    "numeroFactureSaisi": "string",
    "dateFacture": "string",
    "destinataire": {"codeDestinataire": "string", "codeServiceExecutant": "string"},
    "fournisseur": {
        "idFournisseur": "integer",
        "idServiceFournisseur": "integer",
        "codeCoordonneesBancairesFournisseur": "integer",
    },
    "cadreDeFacturation": {
        "codeCadreFacturation": [
            "A1_FACTURE_FOURNISSEUR",
            "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE",
            "A9_FACTURE_SOUSTRAITANT",
            "A12_FACTURE_COTRAITANT",
        ],
        "codeStructureValideur": "string",
        "codeServiceValideur": "string",
    },
    "references": {
        "deviseFacture": "string",
        "typeFacture": ["AVOIR", "FACTURE"],
        "typeTva": ["TVA_SUR_DEBIT", "TVA_SUR_ENCAISSEMENT", "EXONERATION", "SANS_TVA"],
        "motifExonerationTva": "string",
        "numeroMarche": "string",
        "numeroBonCommande": "string",
        "numeroFactureOrigine": "string",
        "modePaiement": ["CHEQUE", "PRELEVEMENT", "VIREMENT", "ESPECE", "AUTRE", "REPORT"],
    },
    "lignePoste": [
        {
            "lignePosteNumero": "integer",
            "lignePosteReference": "string",
            "lignePosteDenomination": "string",
            "lignePosteQuantite": "number",
            "lignePosteUnite": "string",
            "lignePosteMontantUnitaireHT": "number",
            "lignePosteMontantRemiseHT": "number",
            "lignePosteTauxTva": "string",
            "lignePosteTauxTvaManuel": "number",
        }
    ],
    "ligneTva": [
        {
            "ligneTvaTaux": "string",
            "ligneTvaMontantBaseHtParTaux": "number",
            "ligneTvaMontantTvaParTaux": "number",
            "ligneTvaTauxManuel": "number",
        }
    ],
    "montantTotal": {
        "montantHtTotal": "number",
        "montantTVA": "number",
        "montantTtcTotal": "number",
        "montantRemiseGlobaleTTC": "number",
        "motifRemiseGlobaleTTC": "string",
        "montantAPayer": "number",
    },
    "pieceJointePrincipale": {"pieceJointePrincipaleDesignation": "string", "pieceJointePrincipaleId": "integer"},
    "pieceJointeComplementaire": [
        {
            "pieceJointeComplementaireDesignation": "string",
            "pieceJointeComplementaireType": "string",
            "pieceJointeComplementaireNumeroLigneFacture": "integer",
            "pieceJointeComplementaireId": "integer",
            "pieceJointeComplementaireIdLiaison": "integer",
        }
    ],
    "commentaire": "string",
}
CORRECT_VALIDATOR_SCHEMA = {
    "idFacture": "integer",
    "idStructure": "integer",
    "typeIdentifiantStructure": _STRUCTURE_TYPES,
    "identifiantStructure": "string",
}
_TYPES = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}
# Amounts are compared to the cent, as the platform's totals are.
CENT = 0.005

NOT_OWN_SUPPLIER = (
    20001,
    "GCU_MSG_01_004 - L'identifiant fournisseur ne correspond pas à une structure de l'utilisateur.",
)
UNKNOWN_BANK = (20002, "Les coordonnées bancaires indiquées ne sont pas valides pour ce fournisseur.")
ROUTING = 20003
UNKNOWN_VALIDATOR = 20004
BAD_AMOUNTS = 20005
NUMBER_TAKEN = 20006
UNKNOWN_ATTACHMENT = 20007
NOT_WRONG_VALIDATOR = (
    20002,
    "La facture n'est pas au statut ERREUR_FOURNISSEUR_SUR_VALIDEUR ou ERREUR_COTRAITANT_SUR_VALIDEUR : son valideur "
    "ne peut pas être corrigé.",
)


def schema_errors(value, schema, where="body"):
    """What in ``value`` the Swagger schema does not declare or types otherwise, as ``path: problem``."""
    if isinstance(schema, str):
        # bool is an int in Python; the Swagger keeps them apart.
        if not isinstance(value, _TYPES[schema]) or (schema != "boolean" and isinstance(value, bool)):
            return [f"{where} : {schema} attendu"]
        return []
    if isinstance(schema, list) and schema and isinstance(schema[0], str):
        return [] if value in schema else [f"{where} : valeur non admise {value!r}"]
    if isinstance(schema, list):
        if not isinstance(value, list):
            return [f"{where} : tableau attendu"]
        return [
            error for index, item in enumerate(value) for error in schema_errors(item, schema[0], f"{where}[{index}]")
        ]
    if not isinstance(value, dict):
        return [f"{where} : objet attendu"]
    errors = []
    for key, item in value.items():
        if key not in schema:
            errors.append(f"{where}.{key} : propriété inconnue")
        elif item is not None:
            errors += schema_errors(item, schema[key], f"{where}.{key}")
    return errors


def _check_schema(body, schema):
    errors = schema_errors(body, schema)
    if errors:
        raise bad_request("; ".join(errors[:5]))


def _main_attachment(body):
    """The main attachment: one object, as the Swagger says, or a one-item array, as working clients send it."""
    piece = body.get("pieceJointePrincipale")
    if isinstance(piece, list):
        if len(piece) != 1:
            raise bad_request("pieceJointePrincipale : une seule pièce jointe principale attendue")
        piece = piece[0]
    return piece


def is_validator(siret):
    """A structure that may validate an invoice: a known, active private company."""
    structure = fixtures.CONTRACTORS.get(siret or "") or fixtures.SUPPLIERS.get(siret or "")
    return structure is not None and structure["statut"] == "ACTIVE"


def validator_error(framework, siret, service):
    """The codeRetour and libelle refusing the validator of an A9/A12 invoice, or None."""
    if not siret:
        return UNKNOWN_VALIDATOR, f"La structure valideur est obligatoire pour le cadre de facturation {framework}."
    if not is_validator(siret):
        return UNKNOWN_VALIDATOR, f"La structure valideur {validation.quoted(siret)} est inconnue ou inactive."
    if service:
        structure = fixtures.CONTRACTORS.get(siret) or {}
        services = [s for s in structure.get("services", ()) if s["codeService"] == service and s["estActif"]]
        if not services:
            return (
                UNKNOWN_VALIDATOR,
                f"Le service valideur {validation.quoted(service)} n'existe pas ou n'est pas actif.",
            )
    return None


def _amount_errors(body):
    totals = body.get("montantTotal") or {}
    vat_lines = body.get("ligneTva") or []
    untaxed, tax, total = (totals.get(key) or 0 for key in ("montantHtTotal", "montantTVA", "montantTtcTotal"))
    errors = []
    if abs(untaxed + tax - total) > CENT:
        errors.append("Le montant TTC n'est pas égal au montant HT augmenté de la TVA.")
    if abs(sum(line.get("ligneTvaMontantBaseHtParTaux") or 0 for line in vat_lines) - untaxed) > CENT:
        errors.append("La somme des bases HT par taux n'est pas égale au montant HT total.")
    if abs(sum(line.get("ligneTvaMontantTvaParTaux") or 0 for line in vat_lines) - tax) > CENT:
        errors.append("La somme des montants de TVA par taux n'est pas égale au montant de TVA total.")
    return errors


def soumettre(call, body):
    piece = _main_attachment(body)
    _check_schema({**body, "pieceJointePrincipale": piece}, SUBMIT_SCHEMA)
    require(body, "modeDepot", "destinataire", "fournisseur", "cadreDeFacturation", "references", "montantTotal")
    pdf_mode = body["modeDepot"] in MODE_PDF_MODES
    if pdf_mode:
        require(body, "numeroFactureSaisi", "dateFacture", "pieceJointePrincipale")
    if not body.get("lignePoste"):
        raise bad_request("paramètre obligatoire absent : lignePoste")
    date = str(body.get("dateFacture") or "")
    if len(date) > 10:
        # The platform answers 500 to a date with a time part (facture_electronique, §3.11).
        raise refused_shape()
    supplier = fixtures.SUPPLIERS[call.account["supplier_siret"]]
    seller = body["fournisseur"]
    if seller.get("idFournisseur") != supplier["idStructureCPP"]:
        return fail(NOT_OWN_SUPPLIER)
    references = body["references"]
    # Optional: a production client submits transfers without it (docs/subcontractors.md); when given, checked.
    bank = seller.get("codeCoordonneesBancairesFournisseur")
    if bank is not None and bank not in [item["idCoordonneeBancaire"] for item in supplier["coordonneesBancaires"]]:
        return fail(UNKNOWN_BANK)
    recipient = body["destinataire"]
    errors = validation.routing_errors(
        recipient.get("codeDestinataire"), recipient.get("codeServiceExecutant"), references.get("numeroBonCommande")
    )
    if errors:
        return fail((ROUTING, validation.libelle(errors)))
    frame = body["cadreDeFacturation"]
    require(frame, "codeCadreFacturation")
    framework = next(code for code, name in validation.FRAMEWORKS.items() if name == frame["codeCadreFacturation"])
    validator = frame.get("codeStructureValideur")
    if framework in VALIDATED_FRAMEWORKS:
        error = validator_error(framework, validator, frame.get("codeServiceValideur"))
        if error:
            return fail(error)
    number = body.get("numeroFactureSaisi") or f"CPP{call.state.data['seq']['invoice'] + 1:010d}"
    if limits.invoice_number_problem(number):
        return fail((NUMBER_TAKEN, f"Le numéro de facture {validation.quoted(number)} n'est pas admis."))
    used = {i["numeroFacture"] for i in call.state.invoices.values() if i["supplier_siret"] == supplier_siret(call)}
    if number in used:
        return fail((NUMBER_TAKEN, f"Le numéro de facture {number} existe déjà pour ce fournisseur."))
    if pdf_mode:
        stored = call.state.data["attachments"].get(str(piece.get("pieceJointePrincipaleId")))
        if stored is None or stored["login"] != call.account["login"]:
            return fail((UNKNOWN_ATTACHMENT, f"La pièce jointe {piece.get('pieceJointePrincipaleId')} n'existe pas."))
    amount_errors = _amount_errors(body)
    if amount_errors:
        return fail((BAD_AMOUNTS, " | ".join(amount_errors)))
    invoice = _new_invoice(call, body, number, framework, validator)
    return ok(
        identifiantFactureCPP=invoice["identifiantFactureCPP"],
        numeroFacture=number,
        statutFacture=invoice_statuses.DEPOSEE,
        dateDepot=invoice["dateDepot"],
        identifiantStructure=invoice["supplier_siret"],
        empreinteCertificatDepot=invoice["empreinteCertificatDepot"],
    )


def supplier_siret(call):
    return call.account["supplier_siret"]


def _new_invoice(call, body, number, framework, validator):
    state = call.state
    identifier = state.next_id("invoice")
    totals = body["montantTotal"]
    references = body["references"]
    recipient = body["destinataire"]
    moment = now()
    invoice = {
        "identifiantFactureCPP": identifier,
        "numeroFacture": number,
        # Submitted from data: no flux, Chorus Pro builds it itself.
        "numeroFluxDepot": None,
        "modeDepot": body["modeDepot"],
        "supplier_siret": supplier_siret(call),
        "buyer_siret": recipient.get("codeDestinataire"),
        "codeServiceExecutant": recipient.get("codeServiceExecutant"),
        "numeroBonCommande": references.get("numeroBonCommande"),
        "numeroMarche": references.get("numeroMarche"),
        "numeroFactureOrigine": references.get("numeroFactureOrigine"),
        "typeFacture": references.get("typeFacture") or "FACTURE",
        "cadreFacturation": framework,
        "valideur": validator if framework in VALIDATED_FRAMEWORKS else None,
        "serviceValideur": body["cadreDeFacturation"].get("codeServiceValideur"),
        "dateFacture": str(body.get("dateFacture") or moment.date().isoformat())[:10],
        "dateDepot": moment.date().isoformat(),
        "devise": references.get("deviseFacture") or "EUR",
        "montantHT": totals.get("montantHtTotal"),
        "montantTVA": totals.get("montantTVA"),
        "montantTTC": totals.get("montantTtcTotal"),
        "montantAPayer": totals.get("montantAPayer"),
        # The deposit certificate's fingerprint: a base64 hash, here of what was submitted.
        "empreinteCertificatDepot": base64.b64encode(
            hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).digest()
        ).decode("ascii"),
        "statut": None,
        "history": [],
    }
    state.invoices[str(identifier)] = invoice
    lifecycle.set_status(state, invoice, invoice_statuses.DEPOSEE)
    if state.settings["flux_mode"] == "immediate":
        lifecycle.release(state, [invoice])
    return invoice


def corriger_valideur(call, body):
    """ERREUR_..._SUR_VALIDEUR -> A_VALIDER_1 with the validator named now (a known, active structure)."""
    _check_schema(body, CORRECT_VALIDATOR_SCHEMA)
    require(body, "idFacture")
    invoice = call.state.invoice(body["idFacture"])
    if invoice is None or invoice["supplier_siret"] != supplier_siret(call):
        return fail((20000, "GDP_MSG_11.008 - La demande de paiement n'existe pas."))
    if invoice["statut"] not in invoice_statuses.WRONG_VALIDATOR_STATUSES:
        return fail(NOT_WRONG_VALIDATOR)
    siret = body.get("identifiantStructure")
    if not siret and body.get("idStructure"):
        siret = next(
            (key for key, data in fixtures.CONTRACTORS.items() if data["idStructureCPP"] == body["idStructure"]), None
        )
    error = validator_error(invoice["cadreFacturation"], siret, None)
    if error:
        return fail(error)
    invoice.update(valideur=siret, serviceValideur=None)
    lifecycle.set_status(call.state, invoice, invoice_statuses.A_VALIDER_1, f"Valideur corrigé : {siret}")
    return ok(SUCCESS_TRA, idFacture=invoice["identifiantFactureCPP"])


def structures_actives_fournisseur(call, body):
    """recupererStructuresActivesFournisseur: the caller's own private structure, the one it invoices for."""
    siret = supplier_siret(call)
    supplier = fixtures.SUPPLIERS[siret]
    item = {
        "idStructureCPP": supplier["idStructureCPP"],
        "identifiantStructure": siret,
        "typeIdentifiantStructure": "SIRET",
        "designationStructure": supplier["designationStructure"],
        "statut": supplier["statut"],
    }
    return ok(listeStructures=[item])


def coordonnees_bancaires(call, body):
    """recupererCoordonneesBancairesValides: the bank details of one of the caller's own structures."""
    require(body, "idStructure")
    supplier = fixtures.SUPPLIERS[supplier_siret(call)]
    if str(body["idStructure"]) != str(supplier["idStructureCPP"]):
        return fail((20001, "La structure n'existe pas ou l'utilisateur n'y est pas rattaché."))
    return ok(listeCoordonneeBancaire=[dict(item) for item in supplier["coordonneesBancaires"]])
