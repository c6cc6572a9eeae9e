"""Chorus business rules on each deposited invoice (listeErreurDP), one rule at a time."""

import datetime

import pytest

from chorus_core.sandbox import fixtures as fx
from chorus_core.sandbox import validation
from chorus_core.siret import is_valid_siret

AGREEMENT = "FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement"
SERVICE_PATH = f"{AGREEMENT}.BuyerReference.value"
EJ_PATH = f"{AGREEMENT}.BuyerOrderReferencedDocument.IssuerAssignedID.value"
SELLER_PATH = f"{AGREEMENT}.SellerTradeParty.SpecifiedLegalOrganization.ID.value"
BUYER_PATH = f"{AGREEMENT}.BuyerTradeParty.SpecifiedLegalOrganization.ID.value"
FRAMEWORK_PATH = "FichierXml.ExchangedDocumentContext.BusinessProcessSpecifiedDocumentContextParameter.ID.value"
BT81 = (
    "L'element FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement."
    "SpecifiedTradeSettlementPaymentMeans.TypeCode.value est obligatoire"
)
# A Luhn-valid SIRET of the supplier's SIREN that is not a structure of the sandbox.
UNKNOWN_SIRET = "83256174000024"


def _outcome(api, content):
    """(flux state, DP error text or None) of a one-invoice deposit."""
    report = api.cr(api.deposit(content)["numeroFluxDepot"])
    errors = report["listeErreurDP"]
    return report["etatCourantDepotFlux"], errors[0]["libelleErreurDP"] if errors else None


def _full_messages(api, flux):
    """The uncut messages of each failed invoice of a flux, from the control route."""
    (found,) = [f for f in api.control("GET", "fluxes")["fluxes"] if f["numeroFluxDepot"] == flux]
    return [entry["messages"] for entry in found["erreursDPCompletes"]]


ACCEPTED = [
    pytest.param({}, id="no-constraint buyer"),
    pytest.param({"scheme": "0009"}, id="schemeID 0009"),
    pytest.param({"scheme": "1"}, id="schemeID 1"),
    pytest.param({"buyer": "12345678200036", "engagement": "EJ-1"}, id="EJ buyer with EJ"),
    pytest.param({"buyer": "12345678200028", "service": "SERVICE_DEST_SERV_OBL"}, id="service buyer with service"),
    pytest.param({"buyer": "12345678200044", "service": "SERVICE_DEST_EJ_OU_SERV_OBL"}, id="either: service"),
    pytest.param({"buyer": "12345678200044", "engagement": "EJ-2"}, id="either: EJ"),
    pytest.param({"buyer": "11000201100044", "service": "SFACETAT"}, id="Etat with SFACETAT"),
    pytest.param({"buyer": "12345678200051", "service": "SERVICE_EJ_OBL", "engagement": "EJ-3"}, id="EJ service"),
    pytest.param({"type_code": "381"}, id="credit note 381"),
    pytest.param({"framework": "A1"}, id="BT-23 A1"),
    pytest.param({"framework": "A2"}, id="BT-23 A2"),
    pytest.param({"framework": "A9"}, id="BT-23 A9"),
    pytest.param({"framework": "A12"}, id="BT-23 A12"),
    pytest.param({"framework": "A25"}, id="BT-23 A25"),
    pytest.param({"type_code": "386"}, id="prepayment 386"),
    pytest.param({"number": "A" * 20, "engagement": "E" * 50}, id="BT-1 20 chars, BT-13 50 chars"),
    pytest.param({"number": "2026/F-01_a+b"}, id="BT-1 special characters"),
]


@pytest.mark.parametrize("args", ACCEPTED)
def test_accepted_invoices(api, immediate, cii, args):
    assert _outcome(api, cii(**args)) == ("IN_INTEGRE", None)


REJECTED = [
    pytest.param(
        {"seller": "12345678200051"},
        f"L'identifiantFournisseur 12345678200051 n'est pas référencé ({SELLER_PATH}).",
        id="seller",
    ),
    pytest.param(
        {"seller": UNKNOWN_SIRET},
        f"L'identifiantFournisseur {UNKNOWN_SIRET} n'est pas référencé ({SELLER_PATH}).",
        id="unknown seller SIRET",
    ),
    pytest.param({"seller": fx.OTHER_SUPPLIER_SIRET}, "n'est pas référencé", id="seller of another account"),
    pytest.param(
        {"seller": fx.SUPPLIER_SIRET[:9]},
        f"L'identifiantFournisseur {fx.SUPPLIER_SIRET[:9]} est un SIREN, SIRET attendu ({SELLER_PATH}).",
        id="seller SIREN",
    ),
    pytest.param(
        {"seller": fx.SUPPLIER_SIRET[:9], "seller_global": fx.SUPPLIER_SIRET},
        f"L'identifiantFournisseur {fx.SUPPLIER_SIRET[:9]} est un SIREN, SIRET attendu ({SELLER_PATH}).",
        id="seller SIREN, SIRET in GlobalID",
    ),
    pytest.param(
        {"buyer": "98765432100023"},
        f"L'identifiantDestinataire 98765432100023 n'est pas référencé ({BUYER_PATH}).",
        id="unknown buyer",
    ),
    pytest.param(
        {"buyer": "123456782"},
        f"L'identifiantDestinataire 123456782 est un SIREN, SIRET attendu ({BUYER_PATH}).",
        id="buyer SIREN",
    ),
    pytest.param({"buyer": "12345678200011"}, "12345678200011 n'est pas un SIRET valide", id="buyer bad checksum"),
    pytest.param({"buyer": "12345678200069"}, "12345678200069 n'est pas actif", id="inactive buyer"),
    pytest.param({"buyer": "12345678200028"}, f"obligatoire pour ce destinataire ({SERVICE_PATH})", id="service"),
    pytest.param({"buyer": "11000201100044"}, f"obligatoire pour ce destinataire ({SERVICE_PATH})", id="Etat"),
    pytest.param({"service": "INCONNU"}, "INCONNU n'existe pas ou n'est pas actif", id="unknown service"),
    pytest.param({"service": "SERVICE_FERME"}, "n'existe pas ou n'est pas actif", id="inactive service"),
    pytest.param({"service": "FACTURES_PUBLIQUES"}, "réservé aux échanges entre entités publiques", id="FP"),
    pytest.param({"buyer": "12345678200036"}, f"obligatoire pour ce destinataire ({EJ_PATH})", id="EJ required"),
    pytest.param(
        {"buyer": "12345678200028", "service": "SERVICE_SERV_EJ_OBL"},
        f"Le service SERVICE_SERV_EJ_OBL exige le numéro d'engagement ({EJ_PATH})",
        id="service with numeroEngagement",
    ),
    pytest.param({"buyer": "12345678200044"}, "ou le numéro d'engagement est obligatoire", id="EJ or service"),
    pytest.param({"payment": None}, BT81, id="BT-81"),
    pytest.param({"payment": None, "type_code": "384"}, BT81, id="BT-81 corrected invoice"),
    pytest.param({"payment": None, "type_code": "386"}, BT81, id="BT-81 prepayment"),
    pytest.param({"payment": None, "type_code": "381"}, BT81, id="BT-81 credit note"),
    pytest.param(
        {"framework": "M1"},
        f"Le cadre de facturation M1 n'est pas admis, A1 à A25 attendu ({FRAMEWORK_PATH}).",
        id="BT-23 M1",
    ),
    pytest.param(
        {"framework": "S1"},
        f"cadre de facturation S1 n'est pas admis, A1 à A25 attendu ({FRAMEWORK_PATH})",
        id="BT-23 S1",
    ),
    pytest.param({"framework": "B1"}, f"B1 n'est pas admis, A1 à A25 attendu ({FRAMEWORK_PATH})", id="BT-23 B1"),
    pytest.param({"framework": "A26"}, f"A26 n'est pas admis, A1 à A25 attendu ({FRAMEWORK_PATH})", id="BT-23 A26"),
    pytest.param({"framework": ""}, f"vide n'est pas admis, A1 à A25 attendu ({FRAMEWORK_PATH})", id="BT-23 empty"),
    pytest.param({"number": "A" * 21}, "ExchangedDocument.ID.value) dépasse 20 caractères", id="BT-1 length"),
    pytest.param({"number": "F 001"}, "contient des caractères non autorisés", id="BT-1 characters"),
    pytest.param({"date": "20991231"}, "est postérieure à la date de dépôt", id="BT-2 future"),
    pytest.param({"type_code": "261"}, "TypeCode.value) 261 n'est pas autorisé", id="TypeCode 261"),
    pytest.param({"type_code": "751"}, "TypeCode.value) 751 n'est pas autorisé", id="TypeCode 751"),
    pytest.param({"engagement": "E" * 51}, f"dépasse 50 caractères ({EJ_PATH})", id="BT-13 length"),
]


@pytest.mark.parametrize(("args", "message"), REJECTED)
def test_rejected_invoices(api, immediate, cii, args, message):
    flux = api.deposit(cii(**args))["numeroFluxDepot"]
    report = api.cr(flux)
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    (entry,) = report["listeErreurDP"]
    assert message in entry["libelleErreurDP"]
    # One failed rule reads whole in the CR: every message fits in what Chorus keeps.
    assert _full_messages(api, flux) == [[entry["libelleErreurDP"]]]
    assert len(entry["libelleErreurDP"]) <= validation.LIBELLE_MAX


def test_parties_in_an_unknown_scheme(api, immediate, cii):
    flux = api.deposit(cii(scheme="0088"))["numeroFluxDepot"]
    assert api.cr(flux)["etatCourantDepotFlux"] == "IN_REJETE"
    assert _full_messages(api, flux) == [
        [
            f"Le schemeID 0088 de l'identifiantFournisseur n'est pas admis ({SELLER_PATH}).",
            f"Le schemeID 0088 de l'identifiantDestinataire n'est pas admis ({BUYER_PATH}).",
        ]
    ]


def test_party_identifiers_of_the_entry_are_what_the_invoice_says(api, immediate, cii):
    """As on the live platform, a SIREN-identified flux shows 9 digits in both entry fields."""
    report = api.cr(api.deposit(cii(seller=fx.SUPPLIER_SIRET[:9], buyer="123456782"))["numeroFluxDepot"])
    (entry,) = report["listeErreurDP"]
    assert (entry["identifiantFournisseur"], entry["identifiantDestinataire"]) == (fx.SUPPLIER_SIRET[:9], "123456782")
    assert entry["libelleErreurDP"].startswith(f"L'identifiantFournisseur {fx.SUPPLIER_SIRET[:9]} est un SIREN")


def test_several_errors_are_joined_with_a_pipe_and_cut_like_chorus(api, immediate, cii):
    flux = api.deposit(cii(buyer="12345678200036", payment=None, type_code="261"))["numeroFluxDepot"]
    (entry,) = api.cr(flux)["listeErreurDP"]
    ((engagement, payment, type_code),) = _full_messages(api, flux)
    assert EJ_PATH in engagement and payment == BT81 and "261" in type_code
    assert entry["libelleErreurDP"] == " | ".join((engagement, payment, type_code))[: validation.LIBELLE_MAX]
    assert len(entry["libelleErreurDP"]) == validation.LIBELLE_MAX
    assert entry["libelleErreurDP"].startswith(f"{engagement} | ")


def test_the_live_rejection_of_bt81_and_bt23_keeps_bt81_whole(api, immediate, cii):
    """invoicerr's flux …425895: no BT-81 and BT-23 = M1; the second message is cut."""
    flux = api.deposit(cii(payment=None, framework="M1"))["numeroFluxDepot"]
    report = api.cr(flux)
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    (entry,) = report["listeErreurDP"]
    assert entry["libelleErreurDP"].startswith(f"{BT81} | Le cadre de facturation M1")
    assert len(entry["libelleErreurDP"]) == validation.LIBELLE_MAX
    assert any(FRAMEWORK_PATH in message for message in _full_messages(api, flux)[0])


LONG = "X" * 60


@pytest.mark.parametrize(
    "messages",
    [
        pytest.param(validation.supplier_errors(LONG, "0002", fx.SUPPLIER_SIRET), id="unknown seller"),
        pytest.param(validation.supplier_errors(LONG, LONG, fx.SUPPLIER_SIRET), id="seller scheme"),
        pytest.param(validation.routing_errors(LONG, None, None), id="bad buyer"),
        pytest.param(validation.routing_errors("12345678200051", LONG, None), id="unknown service"),
        pytest.param(validation.routing_errors("12345678200051", "SERVICE_EJ_OBL", None), id="service needs EJ"),
        pytest.param(validation.routing_errors("12345678200044", None, None), id="service or EJ"),
        pytest.param(validation.routing_errors("12345678200036", None, LONG), id="EJ length"),
    ],
)
def test_long_values_never_push_the_reason_or_path_out(messages):
    (message,) = messages
    assert len(message) <= validation.LIBELLE_MAX
    assert message.endswith("value).") or message.endswith("BuyerOrderReferencedDocument).")


def test_framework_cut_at_twenty_characters():
    invoice = {
        "seller": fx.SUPPLIER_SIRET, "seller_scheme": "0002", "buyer": "12345678200051", "buyer_scheme": "0002",
        "service_code": None, "engagement": None, "payment_means": "30", "framework": LONG, "number": "F-1",
        "issue_date": "2026-11-01", "type_code": "380",
        "figures": {"lines": [], "vat": [], "allowances": [], "totals": {}},
    }  # fmt: skip
    (message,) = validation.invoice_errors(invoice, fx.SUPPLIER_SIRET, "2026-12-01", set())
    assert len(message) <= validation.LIBELLE_MAX and message.endswith(f"({FRAMEWORK_PATH}).")


def test_framework_is_kept_on_the_integrated_invoice(api, immediate, cii):
    """consulter/fournisseur gives the long name of the BT-23 cadre; no BT-23 is an A1."""
    for number, framework, expected in (("CADRE-1", "A2", "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE"),
                                        ("CADRE-2", None, "A1_FACTURE_FOURNISSEUR")):  # fmt: skip
        flux = api.deposit(cii(number=number, framework=framework))["numeroFluxDepot"]
        (found,) = api.post("factures/v1/rechercher/fournisseur", {"numeroFluxDepot": flux})["listeFactures"]
        body = {"identifiantFactureCPP": found["identifiantFactureCPP"]}
        facture = api.post("factures/v1/consulter/fournisseur", body)["facture"]
        assert facture["cadreDeFacturation"]["codeCadreFacturation"] == expected


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
