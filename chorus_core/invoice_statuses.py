"""Statuses of an invoice on Chorus Pro (``statut``, ``statutCourantCode``, ``histoStatutCode``), §5.2.

Pure constants and helpers: the Odoo Selection field, the scheduled sync and every domain read
them from here. Each status has its French label (the wording of the Chorus Pro portal), an
English one, whether it is final, the action it asks of the supplier and the kind of badge it
shows.

Final: REJETEE, MISE_EN_PAIEMENT, ABANDONNEE and SUPPRIMEE never move again. A buyer whose
structure says ``statutMiseEnPaiementNestPasRemonte`` never reports MISE_EN_PAIEMENT, so for its
invoices MANDATEE, MISE_A_DISPOSITION_COMPTABLE and COMPTABILISEE are final too (``is_final``
with ``payment_not_reported=True``).

The validation circuit of subcontractor (A9) and co-contractor (A12) invoices: a refusal by a
validator (REFUSEE_1, REFUSEE_2) ends the invoice like a rejection (a new invoice is issued); a
validator that says it is not the invoice's validator (ERREUR_FOURNISSEUR_SUR_VALIDEUR,
ERREUR_COTRAITANT_SUR_VALIDEUR) asks the supplier to name the right one (corrigerValideurFacture);
the others wait. The works (MOE/MOA) statuses are listed with their labels but never final: the
add-on does not follow those circuits, and a sync that keeps polling them is the safe choice.
"""

import collections
import datetime

InvoiceStatus = collections.namedtuple("InvoiceStatus", "code label_fr label_en final action kind")

# What the supplier has to do.
ACTION_NONE = "none"
ACTION_COMPLETE = "complete"  # factures/v1/completer (client.complete_invoice)
ACTION_RECYCLE = "recycle"  # factures/v1/recycler (client.recycle_invoice)
ACTION_REISSUE = "reissue"  # a new invoice (and usually a credit note): a rejection is final
ACTION_CORRECT_VALIDATOR = "correct_validator"  # factures/v1/corriger/valideur/facture (client.correct_validator)
ACTIONS = (ACTION_NONE, ACTION_COMPLETE, ACTION_RECYCLE, ACTION_REISSUE, ACTION_CORRECT_VALIDATOR)

# Badge kinds; the Odoo side maps them to decorations (info, warning, success, danger, muted).
KIND_IN_PROGRESS = "in_progress"
KIND_TO_ACT = "to_act"
KIND_PAID = "paid"
KIND_REJECTED = "rejected"
KIND_CANCELLED = "cancelled"
KINDS = (KIND_IN_PROGRESS, KIND_TO_ACT, KIND_PAID, KIND_REJECTED, KIND_CANCELLED)

BROUILLON = "BROUILLON"
DEPOSEE = "DEPOSEE"
EN_COURS_ACHEMINEMENT = "EN_COURS_ACHEMINEMENT"
MISE_A_DISPOSITION = "MISE_A_DISPOSITION"
PRISE_EN_COMPTE_DESTINATAIRE = "PRISE_EN_COMPTE_DESTINATAIRE"
SERVICE_FAIT = "SERVICE_FAIT"
A_RECYCLER = "A_RECYCLER"
SUSPENDUE = "SUSPENDUE"
COMPLETEE = "COMPLETEE"
REJETEE = "REJETEE"
MANDATEE = "MANDATEE"
MISE_A_DISPOSITION_COMPTABLE = "MISE_A_DISPOSITION_COMPTABLE"
COMPTABILISEE = "COMPTABILISEE"
MISE_EN_PAIEMENT = "MISE_EN_PAIEMENT"
ABANDONNEE = "ABANDONNEE"
SUPPRIMEE = "SUPPRIMEE"
INTERPRETEE_OCR = "INTERPRETEE_OCR"
# The validation circuit (first validator; a second one for some co-contracting groups).
A_VALIDER_1 = "A_VALIDER_1"
VALIDEE_1 = "VALIDEE_1"
REFUSEE_1 = "REFUSEE_1"
ABSENCE_VALIDATION_1_HORS_DELAI = "ABSENCE_VALIDATION_1_HORS_DELAI"
A_VALIDER_2 = "A_VALIDER_2"
VALIDEE_2 = "VALIDEE_2"
REFUSEE_2 = "REFUSEE_2"
ABSENCE_VALIDATION_2_HORS_DELAI = "ABSENCE_VALIDATION_2_HORS_DELAI"
ERREUR_FOURNISSEUR_SUR_VALIDEUR = "ERREUR_FOURNISSEUR_SUR_VALIDEUR"
ERREUR_COTRAITANT_SUR_VALIDEUR = "ERREUR_COTRAITANT_SUR_VALIDEUR"
VALIDATOR_REFUSALS = (REFUSEE_1, REFUSEE_2)
# The validator says it is not this invoice's validator: the supplier names the right one.
WRONG_VALIDATOR_STATUSES = (ERREUR_FOURNISSEUR_SUR_VALIDEUR, ERREUR_COTRAITANT_SUR_VALIDEUR)
# Passed on by a validator (validated, or not in time): the buyer receives it.
PASSED_VALIDATION = (VALIDEE_1, VALIDEE_2, ABSENCE_VALIDATION_1_HORS_DELAI, ABSENCE_VALIDATION_2_HORS_DELAI)

FINAL_STATUSES = (REJETEE, MISE_EN_PAIEMENT, ABANDONNEE, SUPPRIMEE, *VALIDATOR_REFUSALS)
# Final only for a buyer that does not report MISE_EN_PAIEMENT (statutMiseEnPaiementNestPasRemonte).
FINAL_IF_PAYMENT_NOT_REPORTED = (MANDATEE, MISE_A_DISPOSITION_COMPTABLE, COMPTABILISEE)
PAID_STATUSES = (MISE_EN_PAIEMENT,)

_ACTIONS = {
    SUSPENDUE: ACTION_COMPLETE,
    A_RECYCLER: ACTION_RECYCLE,
    REJETEE: ACTION_REISSUE,
    **dict.fromkeys(VALIDATOR_REFUSALS, ACTION_REISSUE),
    **dict.fromkeys(WRONG_VALIDATOR_STATUSES, ACTION_CORRECT_VALIDATOR),
}
_KINDS = {
    **dict.fromkeys(VALIDATOR_REFUSALS, KIND_REJECTED),
    **dict.fromkeys(WRONG_VALIDATOR_STATUSES, KIND_TO_ACT),
    MISE_EN_PAIEMENT: KIND_PAID,
    REJETEE: KIND_REJECTED,
    ABANDONNEE: KIND_CANCELLED,
    SUPPRIMEE: KIND_CANCELLED,
    SUSPENDUE: KIND_TO_ACT,
    A_RECYCLER: KIND_TO_ACT,
}

# (code, French label, English label), in the order of the life cycle, then the circuits.
_LABELS = (
    # Life cycle seen by a supplier (§5.2).
    (BROUILLON, "Brouillon", "Draft"),
    (INTERPRETEE_OCR, "Interprétée (OCR)", "Read by OCR"),
    ("A_COMPLETER", "À compléter", "To be completed"),
    (DEPOSEE, "Déposée", "Submitted"),
    (EN_COURS_ACHEMINEMENT, "En cours d'acheminement", "Being routed"),
    (MISE_A_DISPOSITION, "Mise à disposition", "Made available"),
    (PRISE_EN_COMPTE_DESTINATAIRE, "Prise en compte par le destinataire", "Taken in by the recipient"),
    (SERVICE_FAIT, "Service fait", "Service certified as done"),
    (A_RECYCLER, "À recycler", "To be recycled"),
    (SUSPENDUE, "Suspendue", "Suspended"),
    (COMPLETEE, "Complétée", "Completed"),
    (REJETEE, "Rejetée", "Rejected"),
    (MANDATEE, "Mandatée", "Payment ordered"),
    (MISE_A_DISPOSITION_COMPTABLE, "Mise à disposition du comptable", "Passed to the public accountant"),
    (COMPTABILISEE, "Comptabilisée", "Booked"),
    (MISE_EN_PAIEMENT, "Mise en paiement", "Paid"),
    (ABANDONNEE, "Abandonnée", "Abandoned"),
    (SUPPRIMEE, "Supprimée", "Deleted"),
    ("NON_CONFORME", "Non conforme", "Not compliant"),
    # Validation circuit (cadres A9, A12...: first and second validator).
    (A_VALIDER_1, "À valider par le premier valideur", "To be validated by the first validator"),
    (VALIDEE_1, "Validée par le premier valideur", "Validated by the first validator"),
    (REFUSEE_1, "Refusée par le premier valideur", "Refused by the first validator"),
    (
        ABSENCE_VALIDATION_1_HORS_DELAI,
        "Absence de validation du premier valideur dans le délai",
        "Not validated by the first validator in time",
    ),
    (A_VALIDER_2, "À valider par le second valideur", "To be validated by the second validator"),
    (VALIDEE_2, "Validée par le second valideur", "Validated by the second validator"),
    (REFUSEE_2, "Refusée par le second valideur", "Refused by the second validator"),
    (
        ABSENCE_VALIDATION_2_HORS_DELAI,
        "Absence de validation du second valideur dans le délai",
        "Not validated by the second validator in time",
    ),
    (ERREUR_FOURNISSEUR_SUR_VALIDEUR, "Erreur du fournisseur sur le valideur", "Supplier's error on the validator"),
    (
        ERREUR_COTRAITANT_SUR_VALIDEUR,
        "Erreur du cotraitant sur le valideur",
        "Co-contractor's error on the validator",
    ),
    # Works invoices: project manager (maîtrise d'œuvre, MOE) and contracting authority (maîtrise d'ouvrage, MOA).
    ("A_VALIDER_MOE", "À valider par la maîtrise d'œuvre", "To be validated by the project manager"),
    ("REFUSEE_MOE", "Refusée par la maîtrise d'œuvre", "Refused by the project manager"),
    ("A_ASSOCIER_MOE", "À associer par la maîtrise d'œuvre", "To be linked by the project manager"),
    ("ERREUR_DE_MOE", "Erreur de maîtrise d'œuvre", "Wrong project manager"),
    ("MISE_A_DISPOSITION_MOE", "Mise à disposition de la maîtrise d'œuvre", "Made available to the project manager"),
    ("PRISE_EN_COMPTE_MOE", "Prise en compte par la maîtrise d'œuvre", "Taken in by the project manager"),
    (
        "ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE",
        "Absence de validation de la maîtrise d'œuvre dans le délai réglementaire",
        "Not validated by the project manager within the legal time",
    ),
    ("A_ASSOCIER_MOA", "À associer par la maîtrise d'ouvrage", "To be linked by the contracting authority"),
    ("ERREUR_DE_MOA", "Erreur de maîtrise d'ouvrage", "Wrong contracting authority"),
    ("REFUSEE_MOA", "Refusée par la maîtrise d'ouvrage", "Refused by the contracting authority"),
    ("TRANSMISE_MOA", "Transmise à la maîtrise d'ouvrage", "Sent to the contracting authority"),
    (
        "MISE_A_DISPOSITION_MOA",
        "Mise à disposition de la maîtrise d'ouvrage",
        "Made available to the contracting authority",
    ),
    ("PRISE_EN_COMPTE_MOA", "Prise en compte par la maîtrise d'ouvrage", "Taken in by the contracting authority"),
    (
        "ERREUR_FOURNISSEUR_SUR_MOE",
        "Erreur du fournisseur sur la maîtrise d'œuvre",
        "Supplier's error on the project manager",
    ),
    (
        "ERREUR_MOE_SUR_FOURNISSEUR",
        "Erreur de la maîtrise d'œuvre sur le fournisseur",
        "Project manager's error on the supplier",
    ),
    (
        "ERREUR_MOA_SUR_FOURNISSEUR",
        "Erreur de la maîtrise d'ouvrage sur le fournisseur",
        "Contracting authority's error on the supplier",
    ),
    (
        "ERREUR_FOURNISSEUR_SUR_MOA",
        "Erreur du fournisseur sur la maîtrise d'ouvrage",
        "Supplier's error on the contracting authority",
    ),
    (
        "ERREUR_MOE_SUR_MOA",
        "Erreur de la maîtrise d'œuvre sur la maîtrise d'ouvrage",
        "Project manager's error on the contracting authority",
    ),
    ("A_ASSOCIER_FOURNISSEUR", "À associer par le fournisseur", "To be linked by the supplier"),
    ("REFUSEE_FOURNISSEUR", "Refusée par le fournisseur", "Refused by the supplier"),
    (
        "EN_ATTENTE_RECYCLAGE_FOURNISSEUR",
        "En attente de recyclage par le fournisseur",
        "Waiting for the supplier to recycle it",
    ),
    (
        "REMPLACEE_PAR_A22",
        "Remplacée par un projet de décompte général tacite (A22)",
        "Replaced by a tacit general statement (A22)",
    ),
    ("DUPLIQUE_APRES_REFUS", "Dupliquée après refus", "Duplicated after a refusal"),
    # Technical statuses.
    ("ASSOCIEE", "Associée", "Linked"),
    ("EN_COURS_TRAITEMENT_PIVOT_S", "En cours de traitement", "Being processed"),
    ("ERREUR_DESTINATAIRE_PD", "Erreur de destinataire (PD)", "Recipient error (PD)"),
    ("ERREUR_DESTINATAIRE_EA", "Erreur de destinataire (EA)", "Recipient error (EA)"),
    ("TECHNIQUE_INCONNU", "Statut technique inconnu", "Unknown technical status"),
)

STATUSES = tuple(
    InvoiceStatus(
        code,
        label_fr,
        label_en,
        code in FINAL_STATUSES,
        _ACTIONS.get(code, ACTION_NONE),
        _KINDS.get(code, KIND_IN_PROGRESS),
    )
    for code, label_fr, label_en in _LABELS
)
BY_CODE = {status.code: status for status in STATUSES}
CODES = tuple(BY_CODE)
# Statuses that ask the supplier to do something (complete, recycle): the "to act on" filter.
ACTION_STATUSES = tuple(status.code for status in STATUSES if status.kind == KIND_TO_ACT)
# For Odoo's Selection: (code, English label); the French labels are the translations.
SELECTION = [(status.code, status.label_en) for status in STATUSES]


# What the validation circuit asks of the supplier, in French and English, shown beside the status.
_ADVICE = {
    A_VALIDER_1: (
        "La facture attend la validation du valideur (entrepreneur principal ou mandataire) : rien à faire.",
        "The invoice waits for its validator (the main contractor or the group's representative): nothing to do.",
    ),
    A_VALIDER_2: (
        "La facture attend la validation du second valideur : rien à faire.",
        "The invoice waits for its second validator: nothing to do.",
    ),
    VALIDEE_1: (
        "Le valideur a validé la facture : Chorus Pro la transmet à l'acheteur public.",
        "The validator validated the invoice: Chorus Pro passes it on to the public buyer.",
    ),
    VALIDEE_2: (
        "Le second valideur a validé la facture : Chorus Pro la transmet à l'acheteur public.",
        "The second validator validated the invoice: Chorus Pro passes it on to the public buyer.",
    ),
    ABSENCE_VALIDATION_1_HORS_DELAI: (
        "Le valideur n'a pas répondu dans le délai : Chorus Pro transmet la facture à l'acheteur public.",
        "The validator did not answer in time: Chorus Pro passes the invoice on to the public buyer.",
    ),
    ABSENCE_VALIDATION_2_HORS_DELAI: (
        "Le second valideur n'a pas répondu dans le délai : Chorus Pro transmet la facture à l'acheteur public.",
        "The second validator did not answer in time: Chorus Pro passes the invoice on to the public buyer.",
    ),
    REFUSEE_1: (
        "Le valideur a refusé la facture (voir le motif) : émettez un avoir et une nouvelle facture corrigée.",
        "The validator refused the invoice (see the reason): issue a credit note and a new, corrected invoice.",
    ),
    REFUSEE_2: (
        "Le second valideur a refusé la facture (voir le motif) : émettez un avoir et une nouvelle facture.",
        "The second validator refused the invoice (see the reason): issue a credit note and a new invoice.",
    ),
    ERREUR_FOURNISSEUR_SUR_VALIDEUR: (
        "Le valideur indiqué n'est pas celui de la facture : choisissez le bon valideur puis « Corriger le valideur ».",
        "The validator named is not this invoice's: choose the right validator, then 'Correct the validator'.",
    ),
    ERREUR_COTRAITANT_SUR_VALIDEUR: (
        "Le mandataire indiqué n'est pas celui du groupement : choisissez le bon valideur puis « Corriger le "
        "valideur ».",
        "The representative named is not the group's: choose the right validator, then 'Correct the validator'.",
    ),
}


def advice(code, lang="fr"):
    """What the supplier has to do about a status of the validation circuit (French or English), or ``""``."""
    texts = _ADVICE.get(code)
    if not texts:
        return ""
    return texts[0] if (lang or "").lower().startswith("fr") else texts[1]


def get(code):
    """The ``InvoiceStatus`` of a code; an unknown code (a status added by Chorus) reads as itself, in progress."""
    status = BY_CODE.get(code)
    if status is None:
        status = InvoiceStatus(code, code, code, False, ACTION_NONE, KIND_IN_PROGRESS)
    return status


def label(code, lang="fr"):
    """The label to show: French for ``fr``/``fr_FR``..., English otherwise."""
    status = get(code)
    return status.label_fr if (lang or "").lower().startswith("fr") else status.label_en


def is_final(code, payment_not_reported=False):
    """Whether an invoice in this status will not move any more (the sync may stop polling it).

    ``payment_not_reported``: the buyer's ``statutMiseEnPaiementNestPasRemonte`` (``lookup_buyer``'s
    ``payment_status_not_reported``): its invoices stop at COMPTABILISEE at the latest.
    """
    if code in FINAL_STATUSES:
        return True
    return bool(payment_not_reported) and code in FINAL_IF_PAYMENT_NOT_REPORTED


def final_statuses(payment_not_reported=False):
    """The final statuses for a buyer, for a domain (``("chorus_status", "not in", ...)``)."""
    return FINAL_STATUSES + (FINAL_IF_PAYMENT_NOT_REPORTED if payment_not_reported else ())


def action(code):
    """``none``, ``complete`` (SUSPENDUE), ``recycle`` (A_RECYCLER), ``reissue`` (REJETEE, REFUSEE_1/2) or
    ``correct_validator`` (ERREUR_..._SUR_VALIDEUR)."""
    return get(code).action


def badge_kind(code, payment_not_reported=False):
    """The badge of a status; for a buyer that does not report payments, its last statuses read as paid."""
    if payment_not_reported and code in FINAL_IF_PAYMENT_NOT_REPORTED:
        return KIND_PAID
    return get(code).kind


def reached_on(history, code):
    """The day (``datetime.date``, as Chorus wrote it) an invoice first took ``code``, or ``None``.

    ``history`` is the ``histoStatut`` list of consulter/historique (any order), e.g. the day of
    MISE_EN_PAIEMENT that stops the late-payment interest, or the day of MISE_A_DISPOSITION.
    """
    days = [
        _day(item.get("histoStatutDatePassage"))
        for item in history or ()
        if item.get("histoStatutCode") == code and item.get("histoStatutDatePassage")
    ]
    days = [day for day in days if day is not None]
    return min(days) if days else None


def _day(value):
    """The calendar day of a Chorus date-time (``2026-12-01T10:00:00.000+01:00``) in its own offset."""
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return datetime.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
