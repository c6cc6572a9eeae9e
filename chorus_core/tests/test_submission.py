"""Subcontractor (A9) and co-contractor (A12) invoices: the soumettre body, its Swagger, the sandbox's circuit.

Every new request body is captured on the wire and checked against the Factures and Structures Swagger,
as ``test_client_swagger.py`` does for the others; the sandbox's copy of SoumettreFactureParam is checked
against the Swagger file itself.
"""

import datetime
from decimal import Decimal

import pytest

from chorus_core import auth, submission
from chorus_core.client import ChorusClient, ChorusConfig
from chorus_core.errors import ChorusBusinessError, ChorusTransportError
from chorus_core.facturx import samples
from chorus_core.sandbox import fixtures as fx
from chorus_core.sandbox import submission as sandbox_submission
from chorus_core.sandbox import validator
from chorus_core.tests.client_sandbox_support import sandbox_client
from chorus_core.tests.client_scripted_server import ScriptedServer, ok
from chorus_core.tests.test_client_swagger import OPERATIONS, assert_matches_swagger, resolve

SUBMIT = "/cpro/factures/v1/soumettre"
CORRECT = "/cpro/factures/v1/corriger/valideur/facture"
SEARCH = "/cpro/structures/v1/rechercher"
BANKS = "/cpro/transverses/v1/recuperer/coordbanc/valides"
OWN = "/cpro/transverses/v1/recuperer/structures/actives/fournisseur"
BUYER = "12345678200051"


def subcontractor_invoice(number="ST-2026-0001", framework="A9", **values):
    values.setdefault("service_code", "")
    invoice = samples.invoice(number=number, billing_framework=framework, **values)
    invoice.buyer.siret = BUYER
    return invoice


def body_of(invoice, validator_siret=fx.MAIN_CONTRACTOR_SIRET, validator_service="", attachment_id=1):
    return submission.submit_body(
        invoice,
        supplier_id=fx.SUPPLIER_ID_STRUCTURE_CPP,
        bank_id=7100001,
        attachment_id=attachment_id,
        validator_siret=validator_siret,
        validator_service=validator_service,
    )


class _Received:
    """A captured request whose body is given as the Swagger reads it."""

    def __init__(self, path, body):
        self.path, self._body = path, body

    def json(self):
        return self._body


@pytest.fixture(scope="module")
def wire():
    auth.clear_token_cache()
    with ScriptedServer() as server:
        server.script(SUBMIT, ok(identifiantFactureCPP=1, statutFacture="DEPOSEE"))
        server.script(CORRECT, ok(idFacture=1))
        server.script(SEARCH, ok(listeStructures=[]))
        server.script(BANKS, ok(listeCoordonneeBancaire=[{"idCoordonneeBancaire": 1}]))
        server.script(OWN, ok(listeStructures={"idStructureCPP": fx.SUPPLIER_ID_STRUCTURE_CPP}))
        config = ChorusConfig(
            environment="custom", api_url=server.base_url, oauth_url=server.token_url, client_id="id",
            client_secret="secret", login="TECH_1_83256174000016@cpro.fr", password="pwd",
        )  # fmt: skip
        with ChorusClient(config) as client:
            client.submit_invoice(body_of(subcontractor_invoice(), validator_service="SERVICE_TRAVAUX"))
            client.submit_invoice(body_of(subcontractor_invoice("CT-2026-0001", "A12", engagement="EJ-3")))
            client.submit_invoice(body_of(samples.credit_note(number="AV-2026-0002"), validator_siret=""))
            client.correct_validator(1, fx.REPRESENTATIVE_SIRET)
            client.lookup_structure(fx.MAIN_CONTRACTOR_SIRET, private=True)
            client.bank_accounts(fx.SUPPLIER_ID_STRUCTURE_CPP)
            assert client.supplier_structures() == [{"idStructureCPP": fx.SUPPLIER_ID_STRUCTURE_CPP}]
        paths = (SUBMIT, CORRECT, SEARCH, BANKS, OWN)
        yield {path: [item for item in server.received if item.path == path] for path in paths}


def test_every_new_body_validates_against_the_swagger(wire):
    for received in wire[SUBMIT]:
        body = received.json()
        # Sent as a one-item array, as the working clients do (facture_electronique, Gizmo, chorus-pro-api.md
        # §3.11); the item itself is the Swagger's object.
        (piece,) = body["pieceJointePrincipale"]
        assert_matches_swagger(_Received(SUBMIT, {**body, "pieceJointePrincipale": piece}))
    for path in (CORRECT, SEARCH):
        for received in wire[path]:
            assert_matches_swagger(received)
    # Transverses has no public Swagger: the keys go-choruspro and production clients send.
    (banks,) = wire[BANKS]
    assert banks.json() == {"idStructure": fx.SUPPLIER_ID_STRUCTURE_CPP}
    (own,) = wire[OWN]
    assert own.json() == {}


def test_the_sandbox_checks_soumettre_against_the_swagger_definition():
    def compact(document, schema):
        schema = resolve(document, schema)
        if schema.get("type") == "array":
            return [compact(document, schema["items"])]
        if "properties" in schema:
            return {key: compact(document, value) for key, value in schema["properties"].items()}
        return schema.get("enum") or schema["type"]

    document, schema = OPERATIONS[SUBMIT]
    assert sandbox_submission.SUBMIT_SCHEMA == compact(document, schema)
    document, schema = OPERATIONS[CORRECT]
    assert sandbox_submission.CORRECT_VALIDATOR_SCHEMA == compact(document, schema)


def test_the_body_carries_the_invoice_figures_and_its_validator(wire):
    first, second, credit_note = (item.json() for item in wire[SUBMIT])
    assert first["cadreDeFacturation"] == {
        "codeCadreFacturation": "A9_FACTURE_SOUSTRAITANT",
        "codeStructureValideur": fx.MAIN_CONTRACTOR_SIRET,
        "codeServiceValideur": "SERVICE_TRAVAUX",
    }
    assert (first["modeDepot"], first["numeroFactureSaisi"], first["dateFacture"]) == (
        "DEPOT_PDF_API",
        "ST-2026-0001",
        "2026-11-02",
    )
    assert first["montantTotal"] == {"montantHtTotal": 100.0, "montantTVA": 20.0, "montantTtcTotal": 120.0,
                                     "montantAPayer": 120.0}  # fmt: skip
    assert first["references"]["modePaiement"] == "VIREMENT"
    assert first["fournisseur"] == {
        "idFournisseur": fx.SUPPLIER_ID_STRUCTURE_CPP,
        "codeCoordonneesBancairesFournisseur": 7100001,
    }
    assert second["cadreDeFacturation"]["codeCadreFacturation"] == "A12_FACTURE_COTRAITANT"
    assert "codeServiceValideur" not in second["cadreDeFacturation"]
    assert second["references"]["numeroBonCommande"] == "EJ-3"
    assert credit_note["references"]["typeFacture"] == "AVOIR"
    assert credit_note["references"]["numeroFactureOrigine"] == "FA-2026-0001"
    assert credit_note["cadreDeFacturation"] == {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"}


def test_the_host_s_vat_rounding_is_what_is_submitted():
    body = body_of(samples.rounded_per_line(number="ST-2026-0002", billing_framework="A9"))
    assert [line["ligneTvaMontantTvaParTaux"] for line in body["ligneTva"]] == [1.68]
    assert body["montantTotal"]["montantTVA"] == 1.68
    assert len(body["lignePoste"]) == 3


def test_vat_due_on_payment_is_submitted_as_such():
    # Services are taxed on payment by default in France ("TVA sur les encaissements"); goods when invoiced.
    on_debit = body_of(subcontractor_invoice())["references"]["typeTva"]
    on_payment = body_of(subcontractor_invoice(vat_on_payment=True))["references"]["typeTva"]
    assert (on_debit, on_payment) == ("TVA_SUR_DEBIT", "TVA_SUR_ENCAISSEMENT")


def test_a_validated_framework_without_its_validator_or_a_long_number_is_refused():
    with pytest.raises(ValueError, match="names its validator"):
        body_of(subcontractor_invoice(), validator_siret="")
    with pytest.raises(ValueError, match="20 characters"):
        body_of(subcontractor_invoice(number="N" * 21))


# -- the sandbox --------------------------------------------------------------------------------------------


@pytest.fixture
def client(sandbox):
    with sandbox_client(sandbox) as client:
        yield client


def submit(client, invoice=None, **options):
    attachment = client.add_attachment(b"%PDF-1.4 facture", "facture.pdf", "application/pdf")
    return client.submit_invoice(body_of(invoice or subcontractor_invoice(), attachment_id=attachment, **options))


def status(client, answer):
    return client.invoice_history(answer["identifiantFactureCPP"])["statutCourantCode"]


def test_a_submitted_invoice_waits_for_its_validator_on_the_platform_s_timing(sandbox, client):
    answer = submit(client, validator_service="SERVICE_TRAVAUX")
    assert (answer["statutFacture"], answer["numeroFacture"]) == ("DEPOSEE", "ST-2026-0001")
    assert answer["empreinteCertificatDepot"]
    # Step mode: each reading moves the invoice one step on, as time passes on the platform.
    assert status(client, answer) == "DEPOSEE"
    assert status(client, answer) == "A_VALIDER_1"
    assert status(client, answer) == "A_VALIDER_1"  # nobody moves it but its validator
    assert validator.main(["ST-2026-0001", "accept", "--url", sandbox.base_url]) == 0
    assert status(client, answer) == "VALIDEE_1"
    assert status(client, answer) == "MISE_A_DISPOSITION"
    (found,) = client.search_supplier_invoices(numeroFacture="ST-2026-0001")
    assert (found["numeroFluxDepot"], found["modeDepot"]) == (None, "DEPOT_PDF_API")


def test_a_refusal_needs_its_reason_and_is_final(sandbox, client, capsys):
    answer = submit(client)
    status(client, answer), status(client, answer)
    assert validator.main(["ST-2026-0001", "refuse", "--url", sandbox.base_url]) == 1
    assert "motif du refus est obligatoire" in capsys.readouterr().err
    assert validator.main(["ST-2026-0001", "refuse", "--reason", "Travaux non faits", "--url", sandbox.base_url]) == 0
    history = client.invoice_history(answer["identifiantFactureCPP"])
    assert history["statutCourantCode"] == "REFUSEE_1"
    assert history["historiquesDesStatuts"]["histoStatut"][0]["histoStatutCommentaire"] == "Travaux non faits"
    assert status(client, answer) == "REFUSEE_1"


def test_a_wrong_validator_is_corrected_and_the_invoice_goes_back_to_validation(sandbox, client):
    answer = submit(client, subcontractor_invoice(framework="A12"))
    with pytest.raises(ChorusBusinessError) as refused:
        client.correct_validator(answer["identifiantFactureCPP"], fx.REPRESENTATIVE_SIRET)
    assert refused.value.code_retour == 20002
    status(client, answer), status(client, answer)
    sandbox.control.validate_invoice(answer["identifiantFactureCPP"], "wrong")
    assert status(client, answer) == "ERREUR_COTRAITANT_SUR_VALIDEUR"
    with pytest.raises(ChorusBusinessError, match="inconnue ou inactive"):
        client.correct_validator(answer["identifiantFactureCPP"], fx.CLOSED_CONTRACTOR_SIRET)
    client.correct_validator(answer["identifiantFactureCPP"], fx.REPRESENTATIVE_SIRET)
    assert status(client, answer) == "A_VALIDER_1"
    assert sandbox.control.invoices()[-1]["valideur"] == fx.REPRESENTATIVE_SIRET


def test_the_platform_s_refusals(sandbox, client):
    with pytest.raises(ChorusBusinessError, match="inconnue ou inactive"):
        submit(client, validator_siret=fx.CLOSED_CONTRACTOR_SIRET)
    with pytest.raises(ChorusBusinessError, match="service valideur"):
        submit(client, validator_service="SERVICE_INCONNU")
    with pytest.raises(ChorusBusinessError, match="n'est pas référencé"):
        submit(client, _to_unknown_buyer())
    body = body_of(subcontractor_invoice(), attachment_id=999)
    with pytest.raises(ChorusBusinessError, match="999 n'existe pas"):
        client.submit_invoice(body)
    with pytest.raises(ChorusBusinessError, match="codeCadreFacturation"):
        client.submit_invoice({**body, "cadreDeFacturation": {"codeStructureValideur": fx.MAIN_CONTRACTOR_SIRET}})
    with pytest.raises(ChorusBusinessError, match="propriété inconnue") as bad:
        client.submit_invoice({**body, "numeroFacture": "X"})
    assert bad.value.http_status == 400
    with pytest.raises(ChorusTransportError) as time_part:
        client.submit_invoice({**body, "dateFacture": "2026-11-02T00:00:00"})
    assert time_part.value.http_status == 500
    submit(client)
    with pytest.raises(ChorusBusinessError, match="existe déjà"):
        submit(client)
    with pytest.raises(ChorusBusinessError, match="coordonnées bancaires"):
        client.submit_invoice({**body, "fournisseur": {"idFournisseur": fx.SUPPLIER_ID_STRUCTURE_CPP,
                                                       "codeCoordonneesBancairesFournisseur": 7100002}})  # fmt: skip
    with pytest.raises(ChorusBusinessError, match="structure de l'utilisateur"):
        client.submit_invoice({**body, "fournisseur": {"idFournisseur": fx.OTHER_SUPPLIER_ID_STRUCTURE_CPP}})
    assert len(sandbox.control.invoices()) == 1


def _to_unknown_buyer():
    invoice = subcontractor_invoice(number="ST-2026-0009")
    invoice.buyer.siret = "73282932000074"
    return invoice


def test_bank_details_and_structures_as_the_supplier_sees_them(sandbox, client):
    (own,) = client.supplier_structures()
    assert (own["idStructureCPP"], own["identifiantStructure"]) == (fx.SUPPLIER_ID_STRUCTURE_CPP, fx.SUPPLIER_SIRET)
    with sandbox_client(sandbox, login=fx.OTHER_TECH_LOGIN, password=fx.OTHER_TECH_PASSWORD) as other:
        assert [item["identifiantStructure"] for item in other.supplier_structures()] == [fx.OTHER_SUPPLIER_SIRET]
    assert client.bank_accounts(own["idStructureCPP"]) == [
        {"idCoordonneeBancaire": 7100001, "nomCoordonneeBancaire": "Compte principal"}
    ]
    with pytest.raises(ChorusBusinessError):
        client.bank_accounts(fx.OTHER_SUPPLIER_ID_STRUCTURE_CPP)
    # Other private companies are found only when asked for (restreindreStructuresPrivees false).
    assert client.lookup_structure(fx.MAIN_CONTRACTOR_SIRET) is None
    assert client.lookup_structure(fx.CLOSED_CONTRACTOR_SIRET, private=True)["active"] is False


def test_the_validation_delay_passing_sends_the_invoice_to_the_buyer(sandbox, client, immediate):
    # Immediate processing: this test is about the validator's silence, not about the platform's delays.
    answer = submit(client)
    assert status(client, answer) == "A_VALIDER_1"
    sandbox.control.validate_invoice(answer["identifiantFactureCPP"], "late")
    history = client.invoice_history(answer["identifiantFactureCPP"])
    codes = [item["histoStatutCode"] for item in reversed(history["historiquesDesStatuts"]["histoStatut"])]
    assert codes == ["DEPOSEE", "A_VALIDER_1", "ABSENCE_VALIDATION_1_HORS_DELAI", "MISE_A_DISPOSITION"]


def test_decimal_amounts_are_plain_json_numbers():
    body = body_of(subcontractor_invoice(lines=[samples.line(1, "3", "33.333333")]))
    assert body["lignePoste"][0]["lignePosteMontantUnitaireHT"] == 33.333333
    assert isinstance(body["montantTotal"]["montantHtTotal"], float)
    assert Decimal(str(body["montantTotal"]["montantTtcTotal"])) == Decimal("120.00")
    assert datetime.date.fromisoformat(body["dateFacture"])
