"""Every client service end to end against the local sandbox (a real HTTP server on 127.0.0.1).

Uses the sandbox fixtures of conftest.py (``sandbox``, ``facturx``, ``cii``); the sandbox is
driven through its documented ``/sandbox/*`` HTTP control routes.
"""

import re

import pytest

from chorus_core.errors import ChorusBusinessError
from chorus_core.sandbox import fixtures as fx
from chorus_core.tests.client_sandbox_support import control, sandbox_client

WAITING = "IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP"
SANDBOX_REQUIREMENTS = {
    "12345678200051": "none",
    "12345678200036": "engagement",
    "12345678200028": "service",
    "12345678200044": "service_or_engagement",
    "11000201100044": "service",
    "12345678200069": "none",
    "12345678200077": "none",
}
PAYMENT_NOT_REPORTED = {"12345678200077"}


@pytest.fixture
def client(sandbox):
    with sandbox_client(sandbox) as chorus:
        yield chorus


def test_token_and_health_check(client, sandbox):
    assert client.get_token()
    assert client.health_check()["statusCode"] == "OK"
    assert control(sandbox, "GET", "stats")["calls"] == {"token": 1, "transverses/v1/health-check": 1}


def test_facturx_deposit_is_followed_to_its_invoice_status(client, facturx):
    deposit = client.deposit_flux(facturx(number="FX-0001"), "FX-0001.pdf")
    flux = deposit["numeroFluxDepot"]
    assert re.fullmatch(r"CPP0011117\d{15}", flux)
    assert deposit["codeRetour"] == 0
    states = [client.flux_report(flux)["etatCourantDepotFlux"] for _ in range(3)]
    assert states == [WAITING, "IN_EN_COURS_TRAITEMENT_CPP", "IN_INTEGRE"]

    (invoice,) = client.search_supplier_invoices(numeroFluxDepot=flux)
    assert (invoice["numeroFacture"], invoice["statut"]) == ("FX-0001", "DEPOSEE")
    history = client.invoice_history(invoice["identifiantFactureCPP"])
    assert history["statutCourantCode"] == "MISE_A_DISPOSITION"
    codes = [item["histoStatutCode"] for item in history["historiquesDesStatuts"]["histoStatut"]]
    assert codes == ["MISE_A_DISPOSITION", "DEPOSEE"]
    details = client.invoice_details(invoice["identifiantFactureCPP"])
    assert details["facture"]["numeroFacture"] == "FX-0001"
    assert details["facture"]["destinataire"]["codeDestinataire"] == "12345678200051"


def test_rejected_invoice_reason_is_in_the_history(client, sandbox, cii):
    control(sandbox, "POST", "settings", {"flux_mode": "immediate"})
    flux = client.deposit_flux(cii(number="REJ-1"), "REJ-1.xml", syntax="IN_DP_E1_CII_16B")["numeroFluxDepot"]
    (invoice,) = client.search_supplier_invoices(numeroFluxDepot=flux)
    motif = "Bon de commande inconnu"
    body = {"identifiantFactureCPP": invoice["identifiantFactureCPP"], "statut": "REJETEE", "motif": motif}
    control(sandbox, "POST", "invoices/status", body)
    history = client.invoice_history(invoice["identifiantFactureCPP"])
    assert history["statutCourantCode"] == "REJETEE"
    assert history["historiquesDesStatuts"]["histoStatut"][0]["histoStatutCommentaire"] == motif


def test_report_lists_the_refused_invoices(client, sandbox, cii):
    control(sandbox, "POST", "settings", {"flux_mode": "immediate"})
    flux = client.deposit_flux(cii(buyer="12345678200036"), "f.xml", syntax="IN_DP_E1_CII_16B")["numeroFluxDepot"]
    report = client.flux_report(flux)
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    assert report["listeErreurDP"][0]["numeroDP"] == "F-0001"


def test_search_fetches_every_page(sandbox, cii):
    control(sandbox, "POST", "settings", {"flux_mode": "immediate"})
    client = sandbox_client(sandbox, page_size=2)
    for number in range(5):
        client.deposit_flux(cii(number=f"PAGE-{number}"), f"PAGE-{number}.xml", syntax="IN_DP_E1_CII_16B")
    found = client.search_supplier_invoices(typeFacture="FACTURE")
    assert sorted(item["numeroFacture"] for item in found) == [f"PAGE-{number}" for number in range(5)]
    assert control(sandbox, "GET", "stats")["calls"]["factures/v1/rechercher/fournisseur"] == 3


@pytest.mark.parametrize("empty_search_error", [True, False])
def test_search_without_result_is_an_empty_list(client, sandbox, empty_search_error):
    control(sandbox, "POST", "settings", {"empty_search_error": empty_search_error})
    assert client.search_supplier_invoices(numeroFluxDepot="CPP0011117999999999999999") == []
    assert client.search_structure("12345678200099")["listeStructures"] == []


def test_unknown_flux(client):
    with pytest.raises(ChorusBusinessError) as caught:
        client.flux_report("CPP0011117999999999999999")
    assert (caught.value.kind, caught.value.code_retour) == ("flux_not_found", 20001)
    assert caught.value.libelle == "POQ_MSG_01.003 - Flux introuvable."


def test_unknown_invoice_is_a_business_error(client):
    with pytest.raises(ChorusBusinessError) as caught:
        client.invoice_history(999999)
    assert (caught.value.kind, caught.value.code_retour) == ("business", 20000)


def test_structure_services(client):
    buyer = fx.BUYERS["12345678200028"]
    (structure,) = client.search_structure("12345678200028")["listeStructures"]
    assert structure["idStructureCPP"] == buyer["idStructureCPP"]
    details = client.structure_details(buyer["idStructureCPP"])
    assert details["parametres"]["codeServiceDoitEtreRenseigne"] is True
    services = client.structure_services(buyer["idStructureCPP"])
    assert [item["idService"] for item in services] == [item["idService"] for item in buyer["services"]]
    service = client.service_details(buyer["idStructureCPP"], buyer["services"][1]["idService"])
    assert service["parametres"]["numeroEngagement"] is True


def test_services_of_every_page(sandbox):
    buyer = fx.BUYERS["12345678200051"]
    services = sandbox_client(sandbox, page_size=1).structure_services(buyer["idStructureCPP"])
    assert len(services) == len(buyer["services"]) == 4
    assert control(sandbox, "GET", "stats")["calls"]["structures/v1/rechercher/services"] == 4


# The directory's structures (test_client_directory.py) are looked up there.
@pytest.mark.parametrize("siret", sorted(SANDBOX_REQUIREMENTS))
def test_lookup_buyer_for_every_qualification_buyer(client, siret):
    buyer = fx.BUYERS[siret]
    found = client.lookup_buyer(siret)
    assert found["structure_id"] == buyer["idStructureCPP"]
    assert found["name"] == buyer["designationStructure"]
    assert found["requirement"] == SANDBOX_REQUIREMENTS[siret]
    assert found["payment_status_not_reported"] is (siret in PAYMENT_NOT_REPORTED)
    expected = [
        {
            "service_id": item["idService"],
            "code": item["codeService"],
            "name": item["libelleService"],
            "active": item["estActif"],
            "engagement_required": item["estActif"] and item["numeroEngagement"],
        }
        for item in buyer["services"]
        if item["codeService"] != "FACTURES_PUBLIQUES"
    ]
    assert found["services"] == expected


def test_lookup_of_an_unknown_siret(client):
    with pytest.raises(ChorusBusinessError) as caught:
        client.lookup_buyer("12345678200099")
    assert caught.value.kind == "structure_not_found"


def test_attachments(client):
    first = client.add_attachment(b"%PDF-1.4 annexe", "annexe.pdf", "application/pdf")
    second = client.add_attachment(b"a;b\n1;2\n", "releve.csv", "text/csv")
    assert isinstance(first, int) and second == first + 1
    with pytest.raises(ChorusBusinessError) as caught:
        client.add_attachment(b"MZ", "programme.exe", "application/octet-stream")
    assert caught.value.kind == "business"
    assert caught.value.code_retour == 20006
