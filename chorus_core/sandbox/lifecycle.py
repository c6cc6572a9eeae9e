"""State machines of the sandbox: flux processing and invoice statuses (§5.1, §5.2, §3.15)."""

import base64

from .. import invoice_statuses
from . import fixtures
from .parsing import TechnicalError, document_xml, parse_invoice, split_flux
from .state import iso, now
from .validation import DEFAULT_FRAMEWORK, TYPE_CODES, invoice_errors, libelle

FLUX_WAITING = "IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP"
FLUX_RUNNING = "IN_EN_COURS_TRAITEMENT_CPP"
FLUX_INTEGRATED = "IN_INTEGRE"
FLUX_PARTIAL = "IN_INTEGRE_PARTIEL"
FLUX_REJECTED = "IN_REJETE"
FLUX_INCIDENT = "IN_INCIDENTE"
FLUX_PENDING = (FLUX_WAITING, FLUX_RUNNING)

# Interface code of each syntax inside numeroFluxDepot and the CR (FSO<code>A).
INTERFACES = {
    "IN_DP_E2_CII_FACTURX": "1117",
    "IN_DP_E1_CII_16B": "1106",
    "IN_DP_E1_UBL_INVOICE": "1100",
}
DEFAULT_INTERFACE = "1110"

DEPOSEE = "DEPOSEE"
MISE_A_DISPOSITION = "MISE_A_DISPOSITION"
SUSPENDUE = "SUSPENDUE"
REJETEE = "REJETEE"
A_RECYCLER = "A_RECYCLER"
COMPLETEE = "COMPLETEE"
# Targets of traiter/recue (its swagger description); the control route also allows SERVICE_FAIT.
RECIPIENT_STATUSES = (
    MISE_A_DISPOSITION,
    SUSPENDUE,
    REJETEE,
    A_RECYCLER,
    "MANDATEE",
    "MISE_A_DISPOSITION_COMPTABLE",
    "COMPTABILISEE",
    "MISE_EN_PAIEMENT",
)
# The control route may set any status of the vocabulary (the circuits' ones too).
CONTROL_STATUSES = invoice_statuses.CODES
REASON_REQUIRED = (SUSPENDUE, REJETEE)
# REJETEE, MISE_EN_PAIEMENT, ABANDONNEE, SUPPRIMEE: a recipient cannot move them any more.
FINAL_STATUSES = invoice_statuses.FINAL_STATUSES


def interface_code(syntax):
    return INTERFACES.get(syntax, DEFAULT_INTERFACE)


def new_flux(state, account, name, content, syntax):
    """Record a deposit; its content is only read when the flux is processed."""
    sequence = state.next_id("flux")
    number = f"CPP001{interface_code(syntax)}{sequence:015d}"
    moment = now()
    incident = state.faults["incident_next"] > 0
    if incident:
        state.faults["incident_next"] -= 1
    state.fluxes[number] = {
        "numeroFluxDepot": number,
        "login": account["login"],
        "supplier_siret": account["supplier_siret"],
        "nomFichier": name,
        "syntaxeFlux": syntax,
        "dateDepot": moment.date().isoformat(),
        "dateDepotFlux": iso(moment),
        "etat": FLUX_WAITING,
        "dateHeureEtat": iso(moment),
        "incident": incident,
        "content": base64.b64encode(content).decode("ascii"),
        "listeErreurDP": [],
        # Every message of each failed invoice, uncut (the CR cuts them like Chorus): /sandbox/fluxes.
        "erreursDPCompletes": [],
        "listeErreurTechnique": [],
        "invoices": [],
    }
    if state.settings["flux_mode"] == "immediate":
        process_flux(state, state.fluxes[number])
    return state.fluxes[number]


def _set_flux_state(flux, code):
    flux["etat"] = code
    flux["dateHeureEtat"] = iso(now())


def advance_flux(state, flux):
    """Move a pending flux one state on."""
    if flux["etat"] == FLUX_WAITING:
        _set_flux_state(flux, FLUX_RUNNING)
    elif flux["etat"] == FLUX_RUNNING:
        process_flux(state, flux)


def process_flux(state, flux):
    """Run the whole processing of a pending flux and give it its final state."""
    if flux["etat"] not in FLUX_PENDING:
        return
    content = base64.b64decode(flux.pop("content"))
    if flux["incident"]:
        _set_flux_state(flux, FLUX_INCIDENT)
        return
    try:
        documents = [
            parse_invoice(document_xml(member, data))
            for member, data in split_flux(flux["nomFichier"], content, flux["syntaxeFlux"])
        ]
    except TechnicalError as error:
        flux["listeErreurTechnique"] = [error.as_dict()]
        _set_flux_state(flux, FLUX_REJECTED)
        return
    supplier = flux["supplier_siret"]
    used = {invoice["numeroFacture"] for invoice in state.invoices.values() if invoice["supplier_siret"] == supplier}
    for document in documents:
        errors = invoice_errors(document, supplier, flux["dateDepot"], used)
        if errors:
            flux["listeErreurDP"].append(
                {
                    "identifiantDestinataire": document["buyer"] or "",
                    "identifiantFournisseur": document["seller"] or "",
                    "numeroDP": document["number"],
                    "libelleErreurDP": libelle(errors),
                }
            )
            flux.setdefault("erreursDPCompletes", []).append({"numeroDP": document["number"], "messages": errors})
            continue
        used.add(document["number"])
        flux["invoices"].append(_new_invoice(state, flux, document)["identifiantFactureCPP"])
    if not flux["invoices"]:
        _set_flux_state(flux, FLUX_REJECTED)
    else:
        _set_flux_state(flux, FLUX_PARTIAL if flux["listeErreurDP"] else FLUX_INTEGRATED)


def process_all(state):
    """Finish every pending flux and make every new invoice available (control route)."""
    done = [number for number, flux in state.fluxes.items() if flux["etat"] in FLUX_PENDING]
    for number in done:
        process_flux(state, state.fluxes[number])
    release(state, state.invoices.values())
    return done


def _new_invoice(state, flux, document):
    identifier = state.next_id("invoice")
    amounts = document["amounts"]
    invoice = {
        "identifiantFactureCPP": identifier,
        "numeroFacture": document["number"],
        "numeroFluxDepot": flux["numeroFluxDepot"],
        "supplier_siret": flux["supplier_siret"],
        "buyer_siret": document["buyer"],
        "codeServiceExecutant": document["service_code"],
        "numeroBonCommande": document["engagement"],
        "numeroMarche": document["contract"],
        "numeroFactureOrigine": document["origin"],
        "typeFacture": TYPE_CODES[document["type_code"]],
        "cadreFacturation": document["framework"] or DEFAULT_FRAMEWORK,
        "dateFacture": document["issue_date"],
        "dateDepot": flux["dateDepot"],
        "devise": document["currency"],
        "montantHT": amounts.get("TaxBasisTotalAmount"),
        "montantTVA": amounts.get("TaxTotalAmount"),
        "montantTTC": amounts.get("GrandTotalAmount"),
        "montantAPayer": amounts.get("DuePayableAmount"),
        "statut": None,
        "history": [],
    }
    state.invoices[str(identifier)] = invoice
    set_status(state, invoice, DEPOSEE)
    if state.settings["flux_mode"] == "immediate":
        release(state, [invoice])
    return invoice


def status_error(invoice, target, motif, allowed, force=False):
    """``(codeRetour, libelle)`` when an invoice may not take ``target``; ``force`` skips the final-status guard."""
    if target not in allowed:
        return 20002, f"Le statut {target} n'est pas autorisé pour ce traitement."
    if target in REASON_REQUIRED and not (motif or "").strip():
        return 20003, f"Le motif est obligatoire pour le statut {target}."
    if invoice["statut"] in FINAL_STATUSES and not force:
        return (
            20004,
            f"La facture au statut {invoice['statut']} ne peut plus changer de statut.",
        )
    return None


def set_status(state, invoice, code, comment=None, moment=None):
    """Change an invoice status and record the transition for consulter/historique.

    ``moment`` (ISO with offset) backdates the change; the default is now.
    """
    moment = moment or iso(now())
    invoice["statut"] = code
    invoice["dateHeureEtatCourant"] = moment
    invoice["commentaireEtatCourant"] = comment
    invoice["history"].append(
        {
            "histoStatutId": state.next_id("histo"),
            "histoStatutCode": code,
            "histoStatutDatePassage": moment,
            "histoStatutCommentaire": comment,
        }
    )


def add_event(state, invoice, text, account, moment=None):
    """A complementary event of consulter/historique (``historiquesDesEvenementsComplementaires``)."""
    invoice.setdefault("evenements", []).append(
        {
            "evenementId": state.next_id("event"),
            "evenementLibelle": text,
            "evenementQui": account["login"],
            "evenementDateHeure": moment or iso(now()),
        }
    )


def release(state, invoices):
    """Chorus routes new invoices by itself: DEPOSEE -> MISE_A_DISPOSITION, or to its validator first.

    An A9/A12 invoice waits for its validator (A_VALIDER_1); once validated, or not in time, it
    reaches the buyer (MISE_A_DISPOSITION).
    """
    for invoice in list(invoices):
        if invoice["statut"] == DEPOSEE:
            set_status(state, invoice, invoice_statuses.A_VALIDER_1 if invoice.get("valideur") else MISE_A_DISPOSITION)
        elif invoice["statut"] in invoice_statuses.PASSED_VALIDATION:
            set_status(state, invoice, MISE_A_DISPOSITION)


# What a validator may do with an invoice waiting for it (the sandbox's control route and CLI).
VALIDATOR_DECISIONS = ("accept", "refuse", "wrong", "late")


def validator_decision(state, invoice, decision, motif=None):
    """Play the validator of an invoice in A_VALIDER_1: accept, refuse (with a reason), say it is not its
    validator, or let the validation delay pass. Returns an error text, or None once done."""
    if decision not in VALIDATOR_DECISIONS:
        return f"Décision inconnue {decision} : {', '.join(VALIDATOR_DECISIONS)}."
    if invoice["statut"] != invoice_statuses.A_VALIDER_1:
        return f"La facture est au statut {invoice['statut']}, pas à valider."
    if decision == "refuse" and not (motif or "").strip():
        return "Le motif du refus est obligatoire."
    if decision == "accept":
        code = invoice_statuses.VALIDEE_1
    elif decision == "refuse":
        code = invoice_statuses.REFUSEE_1
    elif decision == "late":
        code = invoice_statuses.ABSENCE_VALIDATION_1_HORS_DELAI
    elif invoice.get("cadreFacturation") == "A12":
        code = invoice_statuses.ERREUR_COTRAITANT_SUR_VALIDEUR
    else:
        code = invoice_statuses.ERREUR_FOURNISSEUR_SUR_VALIDEUR
    set_status(state, invoice, code, (motif or "").strip() or None)
    if state.settings["flux_mode"] == "immediate":
        release(state, [invoice])
    return None


def after_read(state, invoices):
    """In step mode, the invoices a client has just read move on, so a poller sees DEPOSEE first."""
    if state.settings["flux_mode"] == "step":
        release(state, invoices)


def buyer_of(invoice):
    return fixtures.BUYERS.get(invoice["buyer_siret"] or "", {})


def traitement_date():
    """``dateTraitement`` is written ``YYYY-MM-DD HH:MM`` by Chorus."""
    return now().strftime("%Y-%m-%d %H:%M")
