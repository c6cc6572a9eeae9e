"""Chorus business rules on each deposited invoice (listeErreurDP), one rule at a time."""

import datetime

import pytest

from chorus_core.sandbox import fixtures as fx
from chorus_core.siret import is_valid_siret

AGREEMENT = "FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement"
SERVICE_PATH = f"{AGREEMENT}.BuyerReference.value"
EJ_PATH = f"{AGREEMENT}.BuyerOrderReferencedDocument.IssuerAssignedID.value"


def _outcome(api, content):
    """(flux state, DP error text or None) of a one-invoice deposit."""
    report = api.cr(api.deposit(content)["numeroFluxDepot"])
    errors = report["listeErreurDP"]
    return report["etatCourantDepotFlux"], errors[0]["libelleErreurDP"] if errors else None


ACCEPTED = [
    pytest.param({}, id="no-constraint buyer"),
    pytest.param({"scheme": "0002"}, id="schemeID 0002"),
    pytest.param({"scheme": "1"}, id="schemeID 1"),
    pytest.param({"buyer": "12345678200036", "engagement": "EJ-1"}, id="EJ buyer with EJ"),
    pytest.param({"buyer": "12345678200028", "service": "SERVICE_DEST_SERV_OBL"}, id="service buyer with service"),
    pytest.param({"buyer": "12345678200044", "service": "SERVICE_DEST_EJ_OU_SERV_OBL"}, id="either: service"),
    pytest.param({"buyer": "12345678200044", "engagement": "EJ-2"}, id="either: EJ"),
    pytest.param({"buyer": "11000201100044", "service": "SFACETAT"}, id="Etat with SFACETAT"),
    pytest.param({"buyer": "12345678200051", "service": "SERVICE_EJ_OBL", "engagement": "EJ-3"}, id="EJ service"),
    pytest.param({"type_code": "381"}, id="credit note 381"),
    pytest.param({"type_code": "386"}, id="prepayment 386"),
    pytest.param({"number": "A" * 20, "engagement": "E" * 50}, id="BT-1 20 chars, BT-13 50 chars"),
    pytest.param({"number": "2026/F-01_a+b"}, id="BT-1 special characters"),
]


@pytest.mark.parametrize("args", ACCEPTED)
def test_accepted_invoices(api, immediate, cii, args):
    assert _outcome(api, cii(**args)) == ("IN_INTEGRE", None)


REJECTED = [
    pytest.param({"seller": "12345678200051"}, "SellerTradeParty.SpecifiedLegalOrganization.ID.value", id="seller"),
    pytest.param({"seller": fx.OTHER_SUPPLIER_SIRET}, "n'est pas référencé", id="seller of another account"),
    pytest.param({"scheme": "0088"}, "SellerTradeParty", id="seller in an unknown scheme"),
    pytest.param({"buyer": "98765432100023"}, "n'est pas référencé", id="unknown buyer"),
    pytest.param({"buyer": "123456782"}, "est un SIREN", id="buyer SIREN"),
    pytest.param({"buyer": "12345678200011"}, "n'est pas un SIRET valide", id="buyer bad checksum"),
    pytest.param({"buyer": "12345678200069"}, "structure publique active", id="inactive buyer"),
    pytest.param({"buyer": "12345678200028"}, f"({SERVICE_PATH}) est obligatoire", id="service required"),
    pytest.param({"buyer": "11000201100044"}, f"({SERVICE_PATH}) est obligatoire", id="Etat needs service"),
    pytest.param({"service": "INCONNU"}, "n'existe pas ou n'est pas actif", id="unknown service"),
    pytest.param({"service": "SERVICE_FERME"}, "n'existe pas ou n'est pas actif", id="inactive service"),
    pytest.param({"service": "FACTURES_PUBLIQUES"}, "réservé à la facturation entre entités publiques", id="FP"),
    pytest.param({"buyer": "12345678200036"}, f"({EJ_PATH}) est obligatoire pour le destinataire", id="EJ required"),
    pytest.param(
        {"buyer": "12345678200028", "service": "SERVICE_SERV_EJ_OBL"},
        f"({EJ_PATH}) est obligatoire pour le service SERVICE_SERV_EJ_OBL",
        id="service with numeroEngagement",
    ),
    pytest.param({"buyer": "12345678200044"}, "ou le numéro d'engagement", id="EJ or service"),
    pytest.param(
        {"payment": None},
        "L'element FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement."
        "SpecifiedTradeSettlementPaymentMeans.TypeCode.value est obligatoire",
        id="BT-81",
    ),
    pytest.param({"number": "A" * 21}, "ExchangedDocument.ID.value) dépasse 20 caractères", id="BT-1 length"),
    pytest.param({"number": "F 001"}, "contient des caractères non autorisés", id="BT-1 characters"),
    pytest.param({"date": "20991231"}, "est postérieure à la date de dépôt", id="BT-2 future"),
    pytest.param({"type_code": "261"}, "TypeCode.value) 261 n'est pas autorisé", id="TypeCode 261"),
    pytest.param({"type_code": "751"}, "TypeCode.value) 751 n'est pas autorisé", id="TypeCode 751"),
    pytest.param({"engagement": "E" * 51}, f"({EJ_PATH}) dépasse 50 caractères", id="BT-13 length"),
]


@pytest.mark.parametrize(("args", "message"), REJECTED)
def test_rejected_invoices(api, immediate, cii, args, message):
    state, error = _outcome(api, cii(**args))
    assert state == "IN_REJETE"
    assert message in error


def test_several_errors_are_joined_with_a_pipe(api, immediate, cii):
    _state, error = _outcome(api, cii(buyer="12345678200036", payment=None, type_code="261"))
    assert error.count(" | ") == 2


def test_issue_date_equal_to_deposit_date_is_accepted(api, immediate, cii):
    today = datetime.date.today().strftime("%Y%m%d")
    assert _outcome(api, cii(date=today))[0] == "IN_INTEGRE"


def test_invoice_number_unique_per_supplier(api, immediate, cii):
    assert _outcome(api, cii(number="DUP-1"))[0] == "IN_INTEGRE"
    state, error = _outcome(api, cii(number="DUP-1"))
    assert state == "IN_REJETE"
    assert "DUP-1 existe déjà pour ce fournisseur" in error
    other = {"login": fx.OTHER_TECH_LOGIN, "password": fx.OTHER_TECH_PASSWORD}
    flux = api.deposit(cii(number="DUP-1", seller=fx.OTHER_SUPPLIER_SIRET), **other)["numeroFluxDepot"]
    assert api.cr(flux, **other)["etatCourantDepotFlux"] == "IN_INTEGRE"


def test_rejected_flux_does_not_use_up_the_number(api, immediate, cii):
    assert _outcome(api, cii(number="RETRY-1", payment=None))[0] == "IN_REJETE"
    assert _outcome(api, cii(number="RETRY-1"))[0] == "IN_INTEGRE"


def test_factur_x_pdf_is_validated_like_xml(api, immediate, facturx):
    answer = api.deposit(facturx(buyer="12345678200036"), name="f.pdf", syntax="IN_DP_E2_CII_FACTURX")
    report = api.cr(answer["numeroFluxDepot"])
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    assert EJ_PATH in report["listeErreurDP"][0]["libelleErreurDP"]


def test_fixture_supplier_siret_is_luhn_valid():
    assert is_valid_siret(fx.SUPPLIER_SIRET)
    assert fx.TECH_LOGIN == f"TECH_1_{fx.SUPPLIER_SIRET}@cpro.fr"
    assert all(is_valid_siret(siret) for siret in fx.BUYERS)
