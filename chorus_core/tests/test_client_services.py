"""Service-level behaviour against scripted answers: paging, empty searches, odd shapes, lookup_buyer."""

import pytest

from chorus_core.client import buyer_requirement
from chorus_core.config import ChorusConfig
from chorus_core.errors import ChorusBusinessError, ChorusConfigError
from chorus_core.tests.client_scripted_server import Reply, ok, scripted_client

SEARCH = "/cpro/factures/v1/rechercher/fournisseur"
SERVICES = "/cpro/structures/v1/rechercher/services"
STRUCTURES = "/cpro/structures/v1/rechercher"
HISTORY = "/cpro/factures/v1/consulter/historique"
NO_RESULT = ok(codeRetour=20000, libelle="TRA_MSG_00.015 La recherche n'a retourné aucun résultat")
BUYER = "12345678200051"


def paged(items, list_key, paging_key, flattened=False):
    """A scripted search that serves ``items`` page by page as the request asks."""

    def reply(received):
        paging = received.json()[paging_key]
        size, page = paging["nbResultatsParPage"], paging["pageResultatDemandee"]
        pages = -(-len(items) // size)
        counters = {"pageCourante": page, "pages": pages, "nbResultatsParPage": size, "total": len(items)}
        answer = {"codeRetour": 0, "libelle": "TRA_MSG_00.000", list_key: items[(page - 1) * size : page * size]}
        if flattened:
            answer["total"] = len(items)
        else:
            answer["parametresRetour"] = counters
        return Reply(body=answer)

    return reply


def test_supplier_invoice_search_fetches_every_page(server):
    invoices = [{"identifiantFactureCPP": number, "statut": "DEPOSEE"} for number in range(1, 8)]
    server.script(SEARCH, paged(invoices, "listeFactures", "rechercheFactureParFournisseur"))
    found = scripted_client(server, page_size=3).search_supplier_invoices(numeroFluxDepot="CPP1")
    assert found == invoices
    requests = [item.json() for item in server.requests_to(SEARCH)]
    assert [body["rechercheFactureParFournisseur"]["pageResultatDemandee"] for body in requests] == [1, 2, 3]
    assert all(body["numeroFluxDepot"] == "CPP1" for body in requests)


def test_paging_falls_back_on_the_flattened_total(server):
    services = [{"idService": number, "codeService": f"S{number}", "estActif": True} for number in range(5)]
    server.script(SERVICES, paged(services, "listeServices", "parametresRechercherServicesStructure", flattened=True))
    assert scripted_client(server, page_size=2).structure_services(26000051) == services
    assert len(server.requests_to(SERVICES)) == 3


def test_paging_stops_on_an_empty_page(server):
    server.script(SEARCH, ok(listeFactures=[{"identifiantFactureCPP": 1}], parametresRetour={"pages": 5}), ok())
    assert scripted_client(server).search_supplier_invoices() == [{"identifiantFactureCPP": 1}]
    assert len(server.requests_to(SEARCH)) == 2


def test_a_history_that_grows_while_paged_is_read_again_from_its_first_page(server):
    def page(total, *ids):
        lines = [{"histoStatutId": number, "histoStatutCode": "DEPOSEE"} for number in ids]
        return ok(
            historiquesDesStatuts={"histoStatut": lines, "pagesHistoStatut": -(-total // 2), "totalHistoStatut": total}
        )

    # Newest first: line 4 arrives after the first page was read and pushes line 2 to the second page.
    server.script(HISTORY, page(3, 3, 2), page(4, 2, 1), page(4, 4, 3), page(4, 2, 1))
    answer = scripted_client(server, page_size=2).invoice_history(12)
    assert [line["histoStatutId"] for line in answer["historiquesDesStatuts"]["histoStatut"]] == [4, 3, 2, 1]
    requests = [item.json()["paramRechercheHistoStatuts"] for item in server.requests_to(HISTORY)]
    assert [paging["pageResultatDemandeeListeHistoStatut"] for paging in requests] == [1, 2, 1, 2]
    assert {paging["nbResultatsParPageListeHistoStatut"] for paging in requests} == {2}


def test_no_result_is_an_empty_list(server):
    server.script(SEARCH, NO_RESULT)
    server.script(SERVICES, NO_RESULT)
    server.script(STRUCTURES, NO_RESULT)
    client = scripted_client(server)
    assert client.search_supplier_invoices(numeroFacture="NONE") == []
    assert client.structure_services(1) == []
    assert client.search_structure("00000000000000")["listeStructures"] == []


def test_a_lone_structure_object_is_read_as_a_list(server):
    lone = {"idStructureCPP": 26000051, "identifiantStructure": BUYER, "statut": "ACTIVE"}
    server.script(STRUCTURES, ok(listeStructures=lone))
    assert scripted_client(server).search_structure(" 123 456 782 00051 ")["listeStructures"] == [lone]
    assert server.requests_to(STRUCTURES)[0].json()["structure"]["identifiantStructure"] == BUYER


def test_flux_not_found_has_its_own_kind(server):
    server.script("/cpro/transverses/v1/consulterCRDetaille", ok(codeRetour=20001, libelle="POQ_MSG_01.003"))
    with pytest.raises(ChorusBusinessError) as caught:
        scripted_client(server).flux_report("CPP0011117999999999999999")
    assert (caught.value.kind, caught.value.code_retour) == ("flux_not_found", 20001)


def test_report_error_lists_are_always_lists(server):
    error = {"numeroDP": "F-1", "libelleErreurDP": "Service obligatoire"}
    server.script("/cpro/transverses/v1/consulterCRDetaille", ok(etatCourantDepotFlux="IN_REJETE", listeErreurDP=error))
    report = scripted_client(server).flux_report("CPP1")
    assert (report["listeErreurDP"], report["listeErreurTechnique"]) == ([error], [])


def test_health_check_answer_is_returned_as_is(server):
    answer = {"body": "OK", "statusCodeValue": 200, "statusCode": "OK"}
    server.script("/cpro/transverses/v1/health-check", Reply(body=answer))
    assert scripted_client(server).health_check() == answer


def test_attachment_without_id_is_an_invalid_answer(server):
    server.script("/cpro/transverses/v1/ajouter/fichier", ok())
    with pytest.raises(Exception) as caught:
        scripted_client(server).add_attachment(b"x", "a.pdf", "application/pdf")
    assert caught.value.kind == "invalid_response"


@pytest.mark.parametrize(
    "service, engagement, either, expected",
    [
        (False, False, False, "none"),
        (False, True, False, "engagement"),
        (True, False, False, "service"),
        (True, True, False, "service_and_engagement"),
        (False, False, True, "service_or_engagement"),
        (True, True, True, "service_or_engagement"),
    ],
)
def test_buyer_requirement_follows_oca(service, engagement, either, expected):
    parameters = {
        "codeServiceDoitEtreRenseigne": service,
        "numeroEJDoitEtreRenseigne": engagement,
        "gestionNumeroEJOuCodeService": either,
    }
    assert buyer_requirement(parameters) == expected


def test_lookup_buyer_builds_the_partner_data(server):
    server.script(
        STRUCTURES,
        ok(
            listeStructures=[
                {"idStructureCPP": 1, "identifiantStructure": "99999999999999", "statut": "ACTIVE"},
                {"idStructureCPP": 26000051, "identifiantStructure": BUYER, "designationStructure": "MAIRIE"},
            ]
        ),
    )
    server.script(
        "/cpro/structures/v1/consulter",
        ok(
            informationGenerales={"raisonSocialeStructure": "COMMUNE DE TEST"},
            parametres={"codeServiceDoitEtreRenseigne": True, "statutMiseEnPaiementNestPasRemonte": True},
        ),
    )
    server.script(
        SERVICES,
        ok(
            listeServices=[
                {"idService": 11, "codeService": "COMPTA", "libelleService": "Comptabilité", "estActif": True},
                {"idService": 12, "codeService": "FERME", "libelleService": "Fermé", "estActif": False},
                {"idService": 13, "codeService": "FACTURES_PUBLIQUES", "libelleService": "FP", "estActif": True},
            ]
        ),
    )
    server.script("/cpro/structures/v1/consulter/service", ok(parametres={"numeroEngagement": True}))
    assert scripted_client(server).lookup_buyer(BUYER) == {
        "structure_id": 26000051,
        "name": "COMMUNE DE TEST",
        "requirement": "service",
        "services": [
            {"service_id": 11, "code": "COMPTA", "name": "Comptabilité", "active": True, "engagement_required": True},
            {"service_id": 12, "code": "FERME", "name": "Fermé", "active": False, "engagement_required": False},
        ],
        "payment_status_not_reported": True,
    }
    consulted = [item.json() for item in server.requests_to("/cpro/structures/v1/consulter/service")]
    assert consulted == [{"idStructure": 26000051, "idService": 11}]


def test_lookup_of_an_unknown_siret(server):
    server.script(STRUCTURES, NO_RESULT)
    with pytest.raises(ChorusBusinessError) as caught:
        scripted_client(server).lookup_buyer("12345678200099")
    assert caught.value.kind == "structure_not_found"
    assert "12345678200099" in str(caught.value)


@pytest.mark.parametrize(
    "settings, problem",
    [
        ({"environment": "preprod"}, "Unknown Chorus Pro environment"),
        ({"client_secret": ""}, "client_secret"),
        ({"environment": "custom"}, "api_url, oauth_url"),
        ({"max_retries": -1}, "max_retries"),
    ],
)
def test_incomplete_configuration(settings, problem):
    values = {"client_id": "id", "client_secret": "secret", "login": "l", "password": "p", **settings}
    with pytest.raises(ChorusConfigError, match=problem) as caught:
        ChorusConfig(**values)
    assert caught.value.kind == "configuration"


def test_one_timeout_number_applies_to_connect_and_read():
    config = ChorusConfig(client_id="id", client_secret="secret", login="l", password="p", timeout=12)
    assert config.timeout == (12, 12)
    assert ChorusConfig(client_id="id", client_secret="secret", login="l", password="p").timeout == (5, 30)


def test_piste_hosts_per_environment():
    credentials = {"client_id": "id", "client_secret": "secret", "login": "l", "password": "p"}
    production = ChorusConfig(environment="production", **credentials)
    assert production.api_base_url == "https://api.piste.gouv.fr"
    assert production.token_url == "https://oauth.piste.gouv.fr/api/oauth/token"
    qualification = ChorusConfig(**credentials)
    assert qualification.api_base_url == "https://sandbox-api.piste.gouv.fr"
    assert qualification.token_url == "https://sandbox-oauth.piste.gouv.fr/api/oauth/token"
    custom = ChorusConfig(
        environment="custom", api_url="http://127.0.0.1:8089/", oauth_url="http://[::1]/t", **credentials
    )
    assert custom.api_base_url == "http://127.0.0.1:8089"
    assert "secret" not in repr(custom)
