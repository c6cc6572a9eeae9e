"""``/cpro/factures/v1/*``: deposit, supplier searches, history and the life-cycle services (§3)."""

import base64
import binascii
import datetime
import functools
import math

from . import fixtures, lifecycle, submission, validation
from .parsing import is_archive
from .responses import (
    NO_RESULT,
    NOT_FOUND_INVOICE,
    HttpError,
    bad_request,
    fail,
    ok,
    paging,
    refused_shape,
    require,
)
from .state import PARIS, day_iso

SYNTAXES = (
    "IN_DP_E1_UBL_INVOICE",
    "IN_DP_E1_CII",
    "IN_DP_E1_PES_FACTURE",
    "IN_DP_E1_XCBL",
    "IN_DP_E1_CII_16B",
    "IN_DP_E2_UBL_INVOICE_MIN",
    "IN_DP_E2_CII_MIN",
    "IN_DP_E2_PES_FACTURE_MIN",
    "IN_DP_E2_CPP_FACTURE_MIN",
    "IN_DP_E2_CII_FACTURX",
    "IN_DP_E2_CII_MIN_16B",
)
FILE_NAME_MAX = 200
MODE_DEPOT = "UPLOAD_API"
# completer: commentaire of at most 2000 characters (§3.15).
COMMENT_MAX = 2000
NOT_AUTHORISED = (20001, "GDP_MSG_11.005 - L'utilisateur n'est pas habilité à traiter cette demande de paiement.")
NOT_SUSPENDED = (20002, "GDP_MSG_11.033 - La facture n'est pas au statut SUSPENDUE.")


def decode_file(value, key):
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise bad_request(f"{key} n'est pas encodé en base64") from exc


def deposer_flux(call, body):
    require(body, "fichierFlux", "nomFichier", "syntaxeFlux")
    if body["syntaxeFlux"] not in SYNTAXES:
        raise bad_request(f"syntaxeFlux inconnue : {body['syntaxeFlux']}")
    if len(body["nomFichier"]) > FILE_NAME_MAX:
        raise bad_request(f"nomFichier dépasse {FILE_NAME_MAX} caractères")
    content = decode_file(body["fichierFlux"], "fichierFlux")
    settings = call.state.settings
    limit = settings["archive_max_bytes"] if is_archive(body["nomFichier"]) else settings["flux_max_bytes"]
    if len(content) > limit:
        raise HttpError(
            413,
            {
                "codeRetour": 413,
                "libelle": f"Fichier trop volumineux (maximum {limit} octets).",
            },
        )
    flux = lifecycle.new_flux(call.state, call.account, body["nomFichier"], content, body["syntaxeFlux"])
    return ok(
        numeroFluxDepot=flux["numeroFluxDepot"],
        dateDepot=flux["dateDepot"],
        syntaxeFlux=flux["syntaxeFlux"],
    )


def _own_invoice(call, identifier):
    invoice = call.state.invoice(identifier)
    if invoice is None or invoice["supplier_siret"] != call.account["supplier_siret"]:
        return None
    return invoice


def _moment(body, key, end):
    """A bound of a date-time period as an aware datetime; a plain date covers its whole day.

    Chorus writes ISO-8601 with an offset; a value without one is read in Paris time.
    """
    value = body.get(key)
    if not value:
        return None
    text = str(value).strip()
    try:
        if len(text) == 10:
            moment = datetime.datetime.combine(
                datetime.date.fromisoformat(text), datetime.time.max if end else datetime.time.min
            )
        else:
            moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise bad_request(f"{key} n'est pas une date valide : {text}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


def _filter(body):
    """The predicate of a supplier search: every criterion given must match (§3.4).

    Built once per request from the criteria given, so a search over 10,000 invoices stays fast.
    """
    checks = []
    for key in ("numeroFluxDepot", "numeroFacture", "typeFacture"):
        if body.get(key):
            checks.append(lambda invoice, key=key, value=body[key]: invoice[key] == value)
    statuses = body.get("statutCourant") or []
    if isinstance(statuses, str):  # tolerate a single status where the swagger wants a list
        statuses = [statuses]
    if statuses:
        checks.append(lambda invoice, wanted=frozenset(statuses): invoice["statut"] in wanted)
    # Day periods: the deposit and invoice dates are days (YYYY-MM-DD).
    for field, first, last in (
        ("dateDepot", "periodeDateDepotDu", "periodeDateDepotAu"),
        ("dateFacture", "periodeDateFactureDu", "periodeDateFactureAu"),
    ):
        if body.get(first):
            checks.append(lambda invoice, field=field, day=str(body[first])[:10]: (invoice[field] or "") >= day)
        if body.get(last):
            checks.append(lambda invoice, field=field, day=str(body[last])[:10]: (invoice[field] or "") <= day)
    # The date-time of the current status: the invoices whose status changed in the window.
    changed_from = _moment(body, "periodeDateHeureEtatCourantDu", end=False)
    changed_to = _moment(body, "periodeDateHeureEtatCourantAu", end=True)
    if changed_from or changed_to:
        lowest = changed_from.timestamp() if changed_from else -math.inf
        highest = changed_to.timestamp() if changed_to else math.inf
        checks.append(lambda invoice: lowest <= _timestamp(invoice["dateHeureEtatCourant"]) <= highest)
    if not checks:
        return lambda invoice: True
    if len(checks) == 1:
        return checks[0]
    return lambda invoice: all(check(invoice) for check in checks)


@functools.lru_cache(maxsize=65536)
def _timestamp(text):
    """Seconds since the epoch of a Chorus date-time (a cache: every page of a search reads them all)."""
    return datetime.datetime.fromisoformat(text).timestamp()


def _summary(invoice):
    buyer = lifecycle.buyer_of(invoice)
    supplier = fixtures.SUPPLIERS[invoice["supplier_siret"]]
    service = next(
        (s for s in buyer.get("services", ()) if s["codeService"] == invoice["codeServiceExecutant"]),
        {},
    )
    return {
        "identifiantFactureCPP": invoice["identifiantFactureCPP"],
        "typeDemandePaiement": "FACTURE",
        "codeFournisseur": invoice["supplier_siret"],
        "typeIdentifiantFournisseur": "SIRET",
        "designationFournisseur": supplier["designationStructure"],
        "idDestinataire": buyer.get("idStructureCPP"),
        "codeDestinataire": invoice["buyer_siret"],
        "designationDestinataire": buyer.get("designationStructure"),
        "idServiceExecutant": service.get("idService"),
        "codeServiceExecutant": invoice["codeServiceExecutant"],
        "nomServiceExecutant": service.get("libelleService"),
        "typeFacture": invoice["typeFacture"],
        "numeroFacture": invoice["numeroFacture"],
        "dateFacture": day_iso(invoice["dateFacture"]),
        "dateDepot": day_iso(invoice["dateDepot"]),
        "montantHT": invoice["montantHT"],
        "montantTTC": invoice["montantTTC"],
        "montantAPayer": invoice["montantAPayer"],
        "devise": invoice["devise"],
        "statut": invoice["statut"],
        "numeroMarche": invoice["numeroMarche"],
        "numeroBonCommande": invoice["numeroBonCommande"],
        "numeroFluxDepot": invoice["numeroFluxDepot"],
        "numeroFactureOrigine": invoice["numeroFactureOrigine"],
        "modeDepot": invoice.get("modeDepot", MODE_DEPOT),
        "dateHeureEtatCourant": invoice["dateHeureEtatCourant"],
        "commentaireEtatCourant": invoice["commentaireEtatCourant"],
        "rejetTraite": False,
    }


def rechercher_fournisseur(call, body):
    if call.state.settings["refuse_period_search"] and (
        body.get("periodeDateHeureEtatCourantDu") or body.get("periodeDateHeureEtatCourantAu")
    ):
        raise refused_shape()
    supplier = call.account["supplier_siret"]
    matches = _filter(body)
    found = [i for i in call.state.invoices.values() if i["supplier_siret"] == supplier and matches(i)]
    options = body.get("rechercheFactureParFournisseur") or {}
    found.sort(
        key=lambda i: i["identifiantFactureCPP"],
        reverse=options.get("triSens") == "Descendant",
    )
    if not found and call.state.settings["empty_search_error"]:
        return fail(NO_RESULT)
    start, end, page = paging(
        len(found),
        options.get("pageResultatDemandee"),
        options.get("nbResultatsParPage"),
    )
    shown = found[start:end]
    answer = ok(parametresRetour=page, listeFactures=[_summary(invoice) for invoice in shown])
    lifecycle.after_read(call.state, shown)
    return answer


def consulter_fournisseur(call, body):
    require(body, "identifiantFactureCPP")
    invoice = _own_invoice(call, body["identifiantFactureCPP"])
    if invoice is None:
        return fail(NOT_FOUND_INVOICE)
    summary = _summary(invoice)
    framework = invoice.get("cadreFacturation", validation.DEFAULT_FRAMEWORK)
    facture = {
        "identifiantFactureCPP": invoice["identifiantFactureCPP"],
        "numeroFacture": invoice["numeroFacture"],
        "statutFacture": invoice["statut"],
        "modeDepot": MODE_DEPOT,
        "rejetTraite": False,
        "commentaire": invoice["commentaireEtatCourant"],
        "destinataire": {
            "idDestinataire": summary["idDestinataire"],
            "codeDestinataire": summary["codeDestinataire"],
            "libelleDestinataire": summary["designationDestinataire"],
            "idServiceExecutant": summary["idServiceExecutant"],
            "codeServiceExecutant": summary["codeServiceExecutant"],
            "libelleServiceExecutant": summary["nomServiceExecutant"],
        },
        "fournisseur": {
            "idFournisseur": fixtures.SUPPLIERS[invoice["supplier_siret"]]["idStructureCPP"],
            "typeIdentifiantFournisseur": "SIRET",
            "codeFournisseur": invoice["supplier_siret"],
            "raisonSocialeFournisseur": summary["designationFournisseur"],
        },
        "cadreDeFacturation": {
            "codeCadreFacturation": validation.FRAMEWORKS[framework],
            "codeStructureValideur": invoice.get("valideur"),
        },
        "references": {
            "dateFacture": summary["dateFacture"],
            "dateDepot": summary["dateDepot"],
            "codeDeviseFacture": invoice["devise"],
            "typeFacture": invoice["typeFacture"],
            "numeroMarche": invoice["numeroMarche"],
            "numeroBonCommande": invoice["numeroBonCommande"],
            "numeroFactureOrigine": invoice["numeroFactureOrigine"],
        },
        "listeDesPiecesJointes": {
            "pieceJointe": invoice.get("piecesJointes", []),
            "totalListePiecesJointe": len(invoice.get("piecesJointes", [])),
        },
        "montantTotal": {
            "montantHtTotal": invoice["montantHT"],
            "montantTVA": invoice["montantTVA"],
            "montantTtcTotal": invoice["montantTTC"],
            "montantAPayer": invoice["montantAPayer"],
        },
    }
    lifecycle.after_read(call.state, [invoice])
    return ok(facture=facture)


def consulter_historique(call, body):
    require(body, "idFacture")
    if call.state.settings["refuse_paged_history"] and body.get("paramRechercheHistoStatuts"):
        raise refused_shape()
    invoice = _own_invoice(call, body["idFacture"])
    if invoice is None:
        return fail(NOT_FOUND_INVOICE)
    options = body.get("paramRechercheHistoStatuts") or {}
    history = list(invoice["history"])
    # Most recent first unless the client asks otherwise.
    if options.get("triSensListeHistoStatut") != "Ascendant":
        history.reverse()
    start, end, page = paging(
        len(history),
        options.get("pageResultatDemandeeListeHistoStatut"),
        options.get("nbResultatsParPageListeHistoStatut"),
    )
    answer = ok(
        idFacture=invoice["identifiantFactureCPP"],
        numeroFacture=invoice["numeroFacture"],
        modeDepot=MODE_DEPOT,
        statutCourantCode=invoice["statut"],
        historiquesDesStatuts={
            "histoStatut": history[start:end],
            "pageCouranteHistoStatut": page["pageCourante"],
            "pagesHistoStatut": page["pages"],
            "nbResultatsParPageHistoStatut": page["nbResultatsParPage"],
            "totalHistoStatut": page["total"],
        },
        historiquesDesEvenementsComplementaires={
            "evenement": list(reversed(invoice.get("evenements", []))),
            "totalEvenement": len(invoice.get("evenements", [])),
        },
        historiquesDesActionsUtilisateurs={"histoAction": [], "totalHistoAction": 0},
    )
    lifecycle.after_read(call.state, [invoice])
    return answer


def traiter_recue(call, body):
    # Recipient-side service: the sandbox lets any account play the recipient.
    require(body, "idFacture", "nouveauStatut")
    invoice = call.state.invoice(body["idFacture"])
    if invoice is None:
        return fail(NOT_FOUND_INVOICE)
    error = lifecycle.status_error(invoice, body["nouveauStatut"], body.get("motif"), lifecycle.RECIPIENT_STATUSES)
    if error:
        return fail(error)
    lifecycle.set_status(call.state, invoice, body["nouveauStatut"], body.get("motif") or None)
    return ok(
        idFacture=invoice["identifiantFactureCPP"],
        numeroFacture=invoice["numeroFacture"],
        dateTraitement=lifecycle.traitement_date(),
        nouveauStatut=invoice["statut"],
    )


def _invoice_to_handle(call, identifier):
    """``(invoice, None)`` or ``(None, error)``: unknown (20000), or another supplier's (20001)."""
    invoice = call.state.invoice(identifier)
    if invoice is None:
        return None, NOT_FOUND_INVOICE
    if invoice["supplier_siret"] != call.account["supplier_siret"]:
        return None, NOT_AUTHORISED
    return invoice, None


def completer(call, body):
    """SUSPENDUE -> COMPLETEE; the comment goes to the history, each attachment to the invoice and its events."""
    require(body, "identifiantFactureCPP")
    invoice, error = _invoice_to_handle(call, body["identifiantFactureCPP"])
    if error:
        return fail(error)
    if invoice["statut"] != lifecycle.SUSPENDUE:
        return fail(NOT_SUSPENDED)
    comment = body.get("commentaire") or None
    if comment and len(comment) > COMMENT_MAX:
        raise bad_request(f"commentaire dépasse {COMMENT_MAX} caractères")
    attachments = call.state.data["attachments"]
    pieces = body.get("pieceJointeComplementaire") or []
    for piece in pieces:
        stored = attachments.get(str(piece.get("pieceJointeComplementaireId")))
        # An attachment uploaded by another technical account is as unknown as a wrong id.
        if stored is None or stored["login"] != call.account["login"]:
            return fail((20003, f"La pièce jointe {piece.get('pieceJointeComplementaireId')} n'existe pas."))
    lifecycle.set_status(call.state, invoice, lifecycle.COMPLETEE, comment)
    moment = invoice["dateHeureEtatCourant"]
    for piece in pieces:
        stored = attachments[str(piece["pieceJointeComplementaireId"])]
        name = piece.get("pieceJointeComplementaireDesignation") or stored["pieceJointeNom"]
        invoice.setdefault("piecesJointes", []).append(
            {
                "pieceJointeId": stored["pieceJointeId"],
                "pieceJointeDesignation": name,
                "pieceJointeExtension": stored["pieceJointeExtension"],
                "pieceJointeTypeCode": piece.get("pieceJointeComplementaireType") or "PIECE_JOINTE_COMPLEMENTAIRE",
            }
        )
        lifecycle.add_event(call.state, invoice, f"Pièce jointe complémentaire ajoutée : {name}", call.account, moment)
    return ok(
        identifiantFactureCPP=invoice["identifiantFactureCPP"],
        numeroFacture=invoice["numeroFacture"],
        dateTraitement=lifecycle.traitement_date(),
    )


def recycler(call, body):
    """A_RECYCLER -> DEPOSEE with the new routing (checked against the buyer's rules), then MISE_A_DISPOSITION."""
    require(body, "identifiantFactureCPP")
    invoice, error = _invoice_to_handle(call, body["identifiantFactureCPP"])
    if error:
        return fail(error)
    if invoice["statut"] != lifecycle.A_RECYCLER:
        return fail(
            (
                20002,
                "La facture n'est pas au statut A_RECYCLER : elle ne peut pas être recyclée.",
            )
        )
    target = body.get("destinataire")
    # A new recipient comes with its own service; without one the routing stays as it was.
    buyer = (target or {}).get("codeDestinataire") or invoice["buyer_siret"]
    service = (target or {}).get("codeServiceExecutant") if target else invoice["codeServiceExecutant"]
    engagement = (body.get("reference") or {}).get("numeroBonCommande") or invoice["numeroBonCommande"]
    errors = validation.routing_errors(buyer, service, engagement)
    if errors:
        return fail((20003, " | ".join(errors)))
    invoice.update(buyer_siret=buyer, codeServiceExecutant=service, numeroBonCommande=engagement)
    lifecycle.set_status(call.state, invoice, lifecycle.DEPOSEE, body.get("commentaire") or None)
    if call.state.settings["flux_mode"] == "immediate":
        lifecycle.release(call.state, [invoice])
    return ok(
        identifiantFactureCPP=invoice["identifiantFactureCPP"],
        numeroFacture=invoice["numeroFacture"],
        statutFacture=lifecycle.DEPOSEE,
        dateDepot=day_iso(invoice["dateDepot"]),
    )


ROUTES = {
    "deposer/flux": deposer_flux,
    "rechercher/fournisseur": rechercher_fournisseur,
    "consulter/fournisseur": consulter_fournisseur,
    "consulter/historique": consulter_historique,
    "traiter/recue": traiter_recue,
    "completer": completer,
    "recycler": recycler,
    "soumettre": submission.soumettre,
    "corriger/valideur/facture": submission.corriger_valideur,
}
