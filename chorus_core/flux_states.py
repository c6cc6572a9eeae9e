"""States of a deposited flux (``etatCourantDepotFlux`` of consulterCRDetaille), shared/docs/chorus-pro-api.md §5.1.

Pure constants: the Odoo Selection field and every domain read them from here. ``final`` says
the flux will not move any more; ``success`` says its invoices reached Chorus Pro (``None`` while
the flux is not final). A flux holds one invoice here (one Factur-X per deposit), so a partial
integration means that invoice was integrated.
"""

import collections

FluxState = collections.namedtuple("FluxState", "code label_fr label_en final success")

# The state Chorus Pro reports right after an API deposit.
DEPOSITED = "IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP"
INTEGRATED = "IN_INTEGRE"
PARTIALLY_INTEGRATED = "IN_INTEGRE_PARTIEL"
REJECTED = "IN_REJETE"
INCIDENT = "IN_INCIDENTE"

FLUX_STATES = (
    FluxState(DEPOSITED, "Déposé, en attente de traitement", "Deposited, waiting to be processed", False, None),
    FluxState("IN_RECU", "Reçu", "Received", False, None),
    FluxState("IN_EN_ATTENTE_TRAITEMENT_CPP", "En attente de traitement", "Waiting to be processed", False, None),
    FluxState("IN_EN_COURS_TRAITEMENT_CPP", "En cours de traitement", "Being processed", False, None),
    FluxState("IN_TRAITE_SE_CPP", "Traité", "Processed", False, None),
    FluxState("QP_RECEVABLE", "Recevable", "Receivable", False, None),
    FluxState(
        "IN_EN_ATTENTE_RETRAITEMENT_CPP", "En attente de retraitement", "Waiting to be processed again", False, None
    ),
    FluxState("QP_RECEVABLE_AVEC_ERREUR", "Recevable avec erreur", "Receivable with errors", True, False),
    FluxState("QP_IRRECEVABLE", "Irrecevable", "Not receivable", True, False),
    FluxState(INCIDENT, "Incidenté", "Incident: to send again", True, False),
    FluxState(REJECTED, "Rejeté", "Rejected", True, False),
    FluxState("IN_A_RELANCER", "À relancer", "To send again", True, False),
    FluxState("IN_ERREUR_INTERNE", "Erreur interne", "Internal error", True, False),
    FluxState(INTEGRATED, "Intégré", "Integrated", True, True),
    FluxState(PARTIALLY_INTEGRATED, "Intégré partiellement", "Partially integrated", True, True),
)
BY_CODE = {state.code: state for state in FLUX_STATES}
FINAL_STATES = tuple(state.code for state in FLUX_STATES if state.final)
FAILED_STATES = tuple(state.code for state in FLUX_STATES if state.final and not state.success)
SUCCESS_STATES = tuple(state.code for state in FLUX_STATES if state.success)
PENDING_STATES = tuple(state.code for state in FLUX_STATES if not state.final)
# For Odoo's Selection: (code, English label); the French labels are the translations.
SELECTION = [(state.code, state.label_en) for state in FLUX_STATES]


def is_failure(code):
    """Whether a flux in this state integrated nothing, so its invoice may be deposited again."""
    return code in FAILED_STATES
