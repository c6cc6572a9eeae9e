"""Every request body the client sends must match the official Swagger definitions.

The bodies are captured on the wire (a scripted HTTP server on 127.0.0.1), then validated
with jsonschema against the operation's body schema, and every key is checked to exist in
the schema's properties, recursively: the Swagger declares no additionalProperties, so a
misspelt key would otherwise pass unnoticed (the go-choruspro ``idStructure`` bug, §3.8).
Transverses has no public Swagger: its bodies are checked against the documented keys.
"""

import base64
import datetime
import json
import os
import pathlib

import jsonschema
import pytest

from chorus_core import auth
from chorus_core.client import SUPPLIER_INVOICE_CRITERIA, ChorusClient, ChorusConfig
from chorus_core.tests.client_scripted_server import Reply, ScriptedServer, ok

# The official Swagger files live in the project's shared folder, beside the repository checkout.
_REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
SPECS = next(
    (
        path
        for path in (
            pathlib.Path(os.environ.get("CHORUS_SPECS_DIR", "")),
            _REPOSITORY.parent / "shared" / "specs",
            pathlib.Path("/work/shared/specs"),
        )
        if (path / "chorus-pro-factures.swagger.json").is_file()
    ),
    _REPOSITORY.parent / "shared" / "specs",
)
SWAGGER_FILES = ("chorus-pro-factures.swagger.json", "chorus-pro-structures.swagger.json")
BUYER_SIRET = "12345678200051"
CHANGED_SINCE = datetime.datetime(2026, 11, 30, 22, 15, 0, 250000, tzinfo=datetime.timezone.utc)

# Keys documented for the Transverses operations (chorus-pro-api.md §3.3, §3.12; go-choruspro).
TRANSVERSES_KEYS = {
    "/cpro/transverses/v1/consulterCRDetaille": ({"numeroFluxDepot"}, {"numeroFluxDepot", "syntaxeFlux"}),
    "/cpro/transverses/v1/ajouter/fichier": (
        {"pieceJointeFichier", "pieceJointeNom", "pieceJointeTypeMime", "pieceJointeExtension"},
        {"pieceJointeFichier", "pieceJointeNom", "pieceJointeTypeMime", "pieceJointeExtension", "idUtilisateurCourant"},
    ),
}

ANSWERS = {
    "/cpro/factures/v1/deposer/flux": ok(numeroFluxDepot="CPP0011117000000000000001", dateDepot="2026-11-28"),
    "/cpro/transverses/v1/consulterCRDetaille": ok(etatCourantDepotFlux="IN_INTEGRE"),
    "/cpro/factures/v1/rechercher/fournisseur": ok(
        listeFactures=[{"identifiantFactureCPP": 1}], parametresRetour={"pages": 1}
    ),
    "/cpro/factures/v1/consulter/historique": ok(statutCourantCode="DEPOSEE"),
    "/cpro/factures/v1/consulter/fournisseur": ok(facture={"identifiantFactureCPP": 1}),
    "/cpro/structures/v1/rechercher": ok(
        listeStructures={"idStructureCPP": 26000051, "identifiantStructure": BUYER_SIRET, "statut": "ACTIVE"}
    ),
    "/cpro/structures/v1/consulter": ok(parametres={"codeServiceDoitEtreRenseigne": True}),
    "/cpro/structures/v1/rechercher/services": ok(
        listeServices=[{"idService": 7, "codeService": "S1", "libelleService": "Un", "estActif": True}]
    ),
    "/cpro/structures/v1/consulter/service": ok(parametres={"numeroEngagement": True}),
    "/cpro/transverses/v1/ajouter/fichier": ok(pieceJointeId=42),
    "/cpro/factures/v1/completer": ok(identifiantFactureCPP=1, numeroFacture="FAC-1"),
    "/cpro/factures/v1/recycler": ok(identifiantFactureCPP=1, numeroFacture="FAC-1", statutFacture="DEPOSEE"),
    "/cpro/transverses/v1/health-check": Reply(body={"body": "OK", "statusCodeValue": 200, "statusCode": "OK"}),
}

# Every criterion with a value of its Swagger type, to check the whole search surface.
ALL_SEARCH_CRITERIA = {
    "idUtilisateurCourant": 1,
    "listeDestinataire": [{"idDestinataire": 26000051, "listeIdServiceExecutant": [36005101]}],
    "rechercheSirenDestinataire": False,
    "numeroFacture": "FAC-1",
    "periodeDateDepotDu": "2026-01-01T00:00:00.000+01:00",
    "periodeDateDepotAu": "2026-12-31T00:00:00.000+01:00",
    "typeFacture": "AVOIR",
    "idFournisseur": 25610001,
    "idServiceFournisseur": 1,
    "idStructureValideur": 1,
    "cadreFacturation": "A1_FACTURE_FOURNISSEUR",
    "statutCourant": ["DEPOSEE", "MISE_A_DISPOSITION"],
    "periodeDateFactureDu": "2026-01-01T00:00:00.000+01:00",
    "periodeDateFactureAu": "2026-12-31T00:00:00.000+01:00",
    "montantHTMin": 0.0,
    "montantHTMax": 1000.5,
    "montantTTCMin": 0.0,
    "montantTTCMax": 1200.6,
    "montantApayerMin": 0.0,
    "montantApayerMax": 1200.6,
    "coordonneeBancaire": 3,
    "idUtilisateurCreateur": [4],
    "numeroMarche": "M-1",
    "numeroBonCommande": "EJ-1",
    "numeroFactureOrigine": "FAC-0",
    "modeDepot": "DEPOT_PDF_API",
    "numeroFluxDepot": "CPP0011117000000000000001",
    "recupererTaille": True,
    "periodeDateHeureEtatCourantDu": "2026-01-01T00:00:00.000+01:00",
    "periodeDateHeureEtatCourantAu": "2026-12-31T00:00:00.000+01:00",
    "rejetTraite": False,
}


def load_operations():
    """Wire path -> (swagger document, body schema) of every operation of both Swagger files."""
    operations = {}
    for name in SWAGGER_FILES:
        document = json.loads((SPECS / name).read_text(encoding="utf-8"))
        for path, methods in document["paths"].items():
            for operation in methods.values():
                body = next(param for param in operation["parameters"] if param["in"] == "body")
                operations[document["basePath"] + path] = (document, body["schema"])
    return operations


OPERATIONS = load_operations()


def resolve(document, schema):
    """The schema with its top-level $ref replaced by the definition it points to."""
    while "$ref" in schema:
        schema = document["definitions"][schema["$ref"].removeprefix("#/definitions/")]
    return schema


def undeclared_keys(document, schema, value, where="body"):
    """Paths of the keys of value that the schema does not declare, recursively."""
    schema = resolve(document, schema)
    problems = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key not in properties:
                problems.append(f"{where}.{key}")
            else:
                problems += undeclared_keys(document, properties[key], item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems += undeclared_keys(document, schema.get("items", {}), item, f"{where}[{index}]")
    return problems


def assert_matches_swagger(received):
    document, schema = OPERATIONS[received.path]
    body = received.json()
    validator = jsonschema.Draft4Validator({**schema, "definitions": document["definitions"]})
    errors = [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(body)]
    assert not errors, f"{received.path}: {errors}"
    assert not undeclared_keys(document, schema, body), received.path


@pytest.fixture(scope="module")
def captured():
    """Call every service once against scripted answers; return the requests received."""
    auth.clear_token_cache()
    with ScriptedServer() as server:
        for path, reply in ANSWERS.items():
            server.script(path, reply)
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
            client.get_token()
            client.health_check()
            client.deposit_flux(b"%PDF-1.7 fake", "FAC_2026_0001.pdf")
            client.deposit_flux(b"<xml/>", "UNCEFACT-1.xml", syntax="IN_DP_E1_CII_16B")
            client.flux_report("CPP0011117000000000000001")
            client.search_supplier_invoices(numeroFluxDepot="CPP0011117000000000000001")
            client.search_supplier_invoices(**ALL_SEARCH_CRITERIA)
            client.invoice_history(1)
            client.invoice_details(1)
            client.search_structure(BUYER_SIRET)
            client.structure_details(26000051)
            client.structure_services(26000051)
            client.service_details(26000051, 7)
            client.add_attachment(b"annex", "bon_de_livraison.pdf", "application/pdf")
            client.complete_invoice(1, "RIB joint", attachments=[42, (43, "Bon de livraison")])
            client.complete_invoice(1, "Rien à joindre")
            client.recycle_invoice(1, service_code="SERVICE_DEST_SERV_OBL", engagement="EJ-1", buyer_siret=BUYER_SIRET,
                                   comment="Mauvais service")  # fmt: skip
            client.recycle_invoice(1, engagement="EJ-2")
            client.search_supplier_invoices(
                periodeDateHeureEtatCourantDu=CHANGED_SINCE, periodeDateHeureEtatCourantAu=datetime.date(2026, 12, 1)
            )
            client.lookup_buyer(BUYER_SIRET)
        yield server.received


def test_every_service_was_exercised(captured):
    paths = {item.path for item in captured if item.path.startswith("/cpro/")}
    assert paths == set(ANSWERS)


def test_swagger_operations_cover_every_factures_and_structures_call(captured):
    posted = {item.path for item in captured if item.method == "POST" and item.path.startswith("/cpro/")}
    assert posted - set(TRANSVERSES_KEYS) <= set(OPERATIONS)


def test_factures_and_structures_bodies_validate_against_swagger(captured):
    bodies = [item for item in captured if item.path in OPERATIONS]
    assert len(bodies) >= 11
    for received in bodies:
        assert_matches_swagger(received)


def test_transverses_bodies_use_documented_keys(captured):
    for received in captured:
        if received.path in TRANSVERSES_KEYS:
            mandatory, allowed = TRANSVERSES_KEYS[received.path]
            keys = set(received.json())
            assert mandatory <= keys <= allowed, received.path


def test_health_check_is_a_get_without_body(captured):
    (received,) = [item for item in captured if item.path == "/cpro/transverses/v1/health-check"]
    assert received.method == "GET"
    assert received.body == b""


def test_deposit_body(captured):
    first, second = [item.json() for item in captured if item.path == "/cpro/factures/v1/deposer/flux"]
    assert first == {
        "fichierFlux": base64.b64encode(b"%PDF-1.7 fake").decode(),
        "nomFichier": "FAC_2026_0001.pdf",
        "syntaxeFlux": "IN_DP_E2_CII_FACTURX",
        "avecSignature": False,
    }
    assert second["syntaxeFlux"] == "IN_DP_E1_CII_16B"


def test_searches_always_send_the_page_size(captured):
    for path, paging_key, size_key in [
        ("/cpro/factures/v1/rechercher/fournisseur", "rechercheFactureParFournisseur", "nbResultatsParPage"),
        ("/cpro/structures/v1/rechercher/services", "parametresRechercherServicesStructure", "nbResultatsParPage"),
        ("/cpro/structures/v1/rechercher", "parametres", "nbResultatsParPage"),
    ]:
        for received in [item for item in captured if item.path == path]:
            assert received.json()[paging_key][size_key] > 10, path


def test_structure_calls_use_the_right_identifier_keys(captured):
    by_path = {item.path: item.json() for item in captured if item.path.startswith("/cpro/structures/")}
    assert by_path["/cpro/structures/v1/rechercher"]["structure"] == {
        "identifiantStructure": BUYER_SIRET,
        "typeIdentifiantStructure": "SIRET",
    }
    assert by_path["/cpro/structures/v1/consulter"] == {"idStructureCPP": 26000051}
    assert by_path["/cpro/structures/v1/consulter/service"] == {"idStructure": 26000051, "idService": 7}


def test_complete_and_recycle_bodies(captured):
    first, second = [item.json() for item in captured if item.path == "/cpro/factures/v1/completer"]
    assert first == {
        "identifiantFactureCPP": 1,
        "commentaire": "RIB joint",
        "pieceJointeComplementaire": [
            {"pieceJointeComplementaireId": 42},
            {"pieceJointeComplementaireId": 43, "pieceJointeComplementaireDesignation": "Bon de livraison"},
        ],
    }
    assert second == {"identifiantFactureCPP": 1, "commentaire": "Rien à joindre"}
    full, engagement_only = [item.json() for item in captured if item.path == "/cpro/factures/v1/recycler"]
    assert full == {
        "identifiantFactureCPP": 1,
        "destinataire": {"codeDestinataire": BUYER_SIRET, "codeServiceExecutant": "SERVICE_DEST_SERV_OBL"},
        "reference": {"numeroBonCommande": "EJ-1"},
        "commentaire": "Mauvais service",
    }
    assert engagement_only == {"identifiantFactureCPP": 1, "reference": {"numeroBonCommande": "EJ-2"}}


def test_status_period_is_sent_as_chorus_writes_date_times(captured):
    searches = [item.json() for item in captured if item.path == "/cpro/factures/v1/rechercher/fournisseur"]
    (period,) = [body for body in searches if "periodeDateHeureEtatCourantDu" in body and "numeroFacture" not in body]
    assert period["periodeDateHeureEtatCourantDu"] == "2026-11-30T22:15:00.250+00:00"
    assert period["periodeDateHeureEtatCourantAu"] == "2026-12-01"


def test_naive_datetimes_and_empty_recycling_are_refused_before_sending():
    client = ChorusClient(ChorusConfig(client_id="id", client_secret="secret", login="l", password="p"))
    with pytest.raises(ValueError, match="aware datetime"):
        client.search_supplier_invoices(periodeDateHeureEtatCourantDu=datetime.datetime(2026, 11, 30, 22, 15))
    with pytest.raises(ValueError, match="service code, engagement number or recipient"):
        client.recycle_invoice(1)
    with pytest.raises(ValueError, match="50 characters"):
        client.recycle_invoice(1, engagement="E" * 51)
    with pytest.raises(ValueError, match="2000 characters"):
        client.complete_invoice(1, "x" * 2001)


def test_attachment_extension_is_upper_case(captured):
    (received,) = [item for item in captured if item.path == "/cpro/transverses/v1/ajouter/fichier"]
    assert received.json()["pieceJointeExtension"] == "PDF"


def test_search_criteria_are_exactly_the_swagger_ones():
    document, schema = OPERATIONS["/cpro/factures/v1/rechercher/fournisseur"]
    declared = set(resolve(document, schema)["properties"]) - {"rechercheFactureParFournisseur"}
    assert declared == SUPPLIER_INVOICE_CRITERIA


def test_unknown_search_criterion_is_refused_before_sending():
    config = ChorusConfig(client_id="id", client_secret="secret", login="l", password="p")
    with pytest.raises(TypeError, match="idStructure"):
        ChorusClient(config).search_supplier_invoices(idStructure=1)


def test_the_checker_catches_a_misspelt_key():
    document, schema = OPERATIONS["/cpro/structures/v1/consulter"]
    assert undeclared_keys(document, schema, {"idStructure": 1}) == ["body.idStructure"]
    document, schema = OPERATIONS["/cpro/factures/v1/rechercher/fournisseur"]
    nested = {"rechercheFactureParFournisseur": {"nbResultatsParPage": 1, "taillePage": 2}}
    assert undeclared_keys(document, schema, nested) == ["body.rechercheFactureParFournisseur.taillePage"]
