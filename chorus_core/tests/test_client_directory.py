"""Public buyers found by name, city or postcode, and engagement numbers checked with Chorus Pro.

The bodies are checked against the Structures Swagger (the directory search) and against the keys the
platform documents for ``engagementsJuridiques/v1/rechercher`` (no Swagger is published for it); the
answers come from the local sandbox's directory (``fixtures.DIRECTORY``).
"""

import pytest

from chorus_core import auth
from chorus_core.client import ChorusClient, ChorusConfig
from chorus_core.errors import ChorusBusinessError, ChorusNotSubscribedError
from chorus_core.sandbox import fixtures as fx
from chorus_core.tests.client_sandbox_support import control, sandbox_client
from chorus_core.tests.client_scripted_server import ScriptedServer, ok
from chorus_core.tests.test_client_swagger import assert_matches_swagger

SEARCH_PATH = "/cpro/structures/v1/rechercher"
ENGAGEMENT_PATH = "/cpro/engagementsJuridiques/v1/rechercher"
# The request keys of the platform's example (Chorus Pro community page "Rechercher engagement juridique").
ENGAGEMENT_KEYS = {
    "codeEngagementJuridique", "numeroEngagementJuridique", "numeroMarcheEngagementJuridique",
    "structureReceptriceEngagementJuridique", "etatCourantEngagementJuridique", "periodeDateNotificationEJDu",
    "periodeDateNotificationEJAu", "montantTTCMin", "montantTTCMax", "parametresRecherche",
}  # fmt: skip
TOULOUSE = "21108638000105"
ANCIENVILLE = "21128382000101"
OWN_STRUCTURE = fx.SUPPLIER_ID_STRUCTURE_CPP


@pytest.fixture(scope="module")
def captured():
    auth.clear_token_cache()
    with ScriptedServer() as server:
        server.script(SEARCH_PATH, ok(listeStructures=[{"idStructureCPP": 7, "identifiantStructure": TOULOUSE}]))
        server.script("/cpro/structures/v1/consulter", ok(parametres={}))
        server.script(ENGAGEMENT_PATH, ok(listeEngagementJuridique=[{"numeroEngagementJuridique": "EJ-1"}]))
        config = ChorusConfig(
            environment="custom",
            api_url=server.base_url,
            oauth_url=server.token_url,
            client_id="id",
            client_secret="secret",
            login="TECH_1_83256174000016@cpro.fr",
            password="pwd",
        )
        with ChorusClient(config) as client:
            client.search_public_structures(name=" commune ", city="Lyon", postcode="69", page=2)
            client.search_public_structures(name="commune")
            assert client.engagement_exists(OWN_STRUCTURE, "EJ-1") is True
        yield server.received


def test_directory_search_bodies_validate_against_swagger(captured):
    searches = [item for item in captured if item.path == SEARCH_PATH]
    assert len(searches) == 2
    for received in searches:
        assert_matches_swagger(received)
    full, name_only = (item.json() for item in searches)
    assert full == {
        "structure": {
            "typeStructure": "PUBLIQUE",
            "raisonSocialeStructure": "commune",
            "adresseVille": "Lyon",
            "adresseCodePostal": "69",
        },
        "parametres": {
            "pageResultatDemandee": 2,
            "nbResultatsParPage": 10,
            "triColonne": "Statut",
            "triSens": "Ascendant",
        },
    }
    assert name_only["structure"] == {"typeStructure": "PUBLIQUE", "raisonSocialeStructure": "commune"}


def test_engagement_body_is_oca_s_with_the_documented_keys(captured):
    (received,) = [item for item in captured if item.path == ENGAGEMENT_PATH]
    assert received.json() == {
        "structureReceptriceEngagementJuridique": str(OWN_STRUCTURE),
        "numeroEngagementJuridique": "EJ-1",
        "etatCourantEngagementJuridique": "COMMANDE",
    }
    assert set(received.json()) <= ENGAGEMENT_KEYS


@pytest.fixture
def client(sandbox):
    with sandbox_client(sandbox) as chorus:
        yield chorus


def test_many_structures_come_page_by_page_active_first(client):
    first = client.search_public_structures(name="commune")
    assert (first["total"], first["pages"], first["page"]) == (24, 3, 1)
    assert len(first["structures"]) == 10
    last = client.search_public_structures(name="commune", page=3)
    assert [item["siret"] for item in last["structures"]][-1] == ANCIENVILLE
    assert [item["active"] for item in last["structures"]] == [True, True, True, False]
    seen = {
        item["siret"]
        for page in (1, 2, 3)
        for item in client.search_public_structures("commune", page=page)["structures"]
    }
    assert len(seen) == 24


def test_one_structure_with_its_address_and_requirement(client):
    (found,) = client.search_public_structures(name="toulouse")["structures"]
    assert found == {
        "structure_id": 26100007,
        "siret": TOULOUSE,
        "name": "COMMUNE DE TOULOUSE",
        "street": "1 place de la Mairie",
        "street2": "",
        "zip": "31000",
        "city": "TOULOUSE",
        "country": "FR",
        "requirement": "engagement",
        "active": True,
    }


def test_city_and_postcode_narrow_the_search(client):
    by_postcode = client.search_public_structures(postcode="69")["structures"]
    assert [item["city"] for item in by_postcode] == ["LYON", "VILLEURBANNE", "VENISSIEUX", "BRON", "ANCIENVILLE"]
    assert [item["name"] for item in client.search_public_structures(name="commune", city="lyon")["structures"]] == [
        "COMMUNE DE LYON"
    ]


def test_no_structure_is_an_empty_page(client, sandbox):
    assert client.search_public_structures(name="mairie de nulle part") == {
        "structures": [],
        "page": 1,
        "pages": 0,
        "total": 0,
    }
    control(sandbox, "POST", "settings", {"empty_search_error": False})
    assert client.search_public_structures(name="mairie de nulle part")["total"] == 0


def test_engagement_numbers_are_checked_as_orders_to_the_supplier(client, sandbox):
    with pytest.raises(ChorusNotSubscribedError):
        client.engagement_exists(OWN_STRUCTURE, "EJ-26100007")
    control(sandbox, "POST", "subscriptions", {"groups": list(fx.API_GROUPS)})
    assert client.engagement_exists(OWN_STRUCTURE, "EJ-26100007") is True
    assert client.engagement_exists(OWN_STRUCTURE, "EJ-INCONNU") is False


def test_own_structure_is_found_by_siret(client):
    assert client.own_structure_id(fx.SUPPLIER_SIRET) == OWN_STRUCTURE
    with pytest.raises(ChorusBusinessError) as caught:
        client.own_structure_id("55500001000002")
    assert caught.value.kind == "own_structure_not_found"
