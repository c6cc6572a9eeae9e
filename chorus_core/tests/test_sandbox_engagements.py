"""Engagement numbers (EJ) known per buyer: the search of §3.16, and a deposit with an EJ its buyer does not know."""

import pytest

from chorus_core.sandbox import fixtures as fx
from chorus_core.sandbox import validation

SEARCH = "engagementsJuridiques/v1/rechercher"
EJ_PATH = (
    "FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement."
    "BuyerOrderReferencedDocument.IssuerAssignedID.value"
)
OWN_STRUCTURE = fx.SUPPLIERS[fx.SUPPLIER_SIRET]["idStructureCPP"]
HOSPITAL = fx.BUYERS["12345678200036"]["idStructureCPP"]


@pytest.fixture
def subscribed(api):
    """The PISTE application subscribed to the EJ API as well (a separate subscription, §3.16)."""
    api.control("POST", "subscriptions", {"groups": list(fx.API_GROUPS)})
    return api


def _search(api, structure, number, state="COMMANDE"):
    body = {
        "structureReceptriceEngagementJuridique": str(structure),
        "numeroEngagementJuridique": number,
        "etatCourantEngagementJuridique": state,
    }
    return api.post(SEARCH, body)


def test_the_engagement_api_is_a_separate_subscription(api):
    body = {"structureReceptriceEngagementJuridique": str(OWN_STRUCTURE)}
    assert api.raw(SEARCH, body).status_code == 403


def test_an_engagement_is_found_as_oca_asks_for_it(subscribed):
    """OCA passes its own structure as the receiving one, and reads a non-empty list."""
    answer = _search(subscribed, OWN_STRUCTURE, "EJ-HOP-2026-0815")
    assert (answer["codeRetour"], answer["libelle"]) == (0, "TRA_MSG_00.000")
    (found,) = answer["listeEngagementJuridique"]
    assert found["numeroEngagementJuridique"] == "EJ-HOP-2026-0815"
    assert found["etatCourantEngagementJuridique"] == "COMMANDE"
    assert found["identifiantStructureEmettrice"] == "12345678200036"
    assert answer["parametresRetour"]["total"] == 1


def test_a_buyer_structure_finds_its_own_engagements_only(subscribed):
    assert _search(subscribed, HOSPITAL, "EJ-1")["listeEngagementJuridique"][0]["numeroEngagementJuridique"] == "EJ-1"
    assert _search(subscribed, HOSPITAL, "EJ-2026-004217")["codeRetour"] == 20000


@pytest.mark.parametrize(
    ("structure", "number", "state"),
    [
        pytest.param(OWN_STRUCTURE, "EJ-INCONNU", "COMMANDE", id="unknown number"),
        pytest.param(OWN_STRUCTURE, "EJ-1", "SOLDE", id="another state"),
        pytest.param(99999999, "EJ-1", "COMMANDE", id="unknown structure"),
    ],
)
def test_no_result_is_the_platform_code(subscribed, sandbox, structure, number, state):
    answer = _search(subscribed, structure, number, state)
    assert answer == {"codeRetour": 20000, "libelle": "TRA_MSG_00.015 La recherche n'a retourné aucun résultat"}
    sandbox.control.configure(empty_search_error=False)
    assert _search(subscribed, structure, number, state)["listeEngagementJuridique"] == []


def test_the_receiving_structure_is_mandatory(subscribed):
    response = subscribed.raw(SEARCH, {"numeroEngagementJuridique": "EJ-1"})
    assert response.status_code == 400


REFUSED = [
    pytest.param({"buyer": "12345678200036", "engagement": "EJ-INCONNU"}, id="buyer requires an EJ"),
    pytest.param({"service": "SERVICE_EJ_OBL", "engagement": "EJ-INCONNU"}, id="service requires an EJ"),
    pytest.param({"buyer": "12345678200044", "engagement": "EJ-INCONNU"}, id="EJ standing in for the service"),
    pytest.param({"buyer": "12345678200036", "engagement": "EJ-2026-004217"}, id="another buyer's EJ"),
]


@pytest.mark.parametrize("args", REFUSED)
def test_an_engagement_the_buyer_does_not_know_is_refused(api, immediate, cii, args):
    report = api.cr(api.deposit(cii(**args))["numeroFluxDepot"])
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    (entry,) = report["listeErreurDP"]
    shown = args["engagement"]
    assert entry["libelleErreurDP"] == f"Le numéro d'engagement {shown} est inconnu du destinataire ({EJ_PATH})."


def test_an_engagement_nobody_requires_is_not_looked_up(api, immediate, cii):
    """A buyer without the EJ rule, a service without it: any text passes, as before."""
    for number, args in (
        ("F-EJ-1", {}),
        ("F-EJ-2", {"buyer": "12345678200044", "service": "SERVICE_DEST_EJ_OU_SERV_OBL"}),
    ):
        report = api.cr(api.deposit(cii(number=number, engagement="TEXTE-LIBRE", **args))["numeroFluxDepot"])
        assert report["etatCourantDepotFlux"] == "IN_INTEGRE", report["listeErreurDP"]


def test_the_message_keeps_its_path_whatever_the_engagement():
    (message,) = validation.routing_errors("12345678200036", None, "E" * 50)
    assert len(message) <= validation.LIBELLE_MAX and message.endswith(f"({EJ_PATH}).")
