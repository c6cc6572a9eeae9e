"""Our Factur-X, deposited by our client, integrated by the sandbox: the pieces agree with each other.

Each qualification buyer gets an invoice with the references it requires, built by our builder and
sent over HTTP by our client; the variants that Chorus Pro rejected live (shared/docs/chorus-pro-api.md
§7.1: BT-23 = M1, a SIREN for the seller, no BT-81, on a credit note too) are our XML edited with lxml,
and are refused.
"""

import dataclasses

import pytest
from lxml import etree

from chorus_core.client import ChorusClient, ChorusConfig
from chorus_core.facturx import samples
from chorus_core.facturx.cii import build_cii
from chorus_core.facturx.findings import only_errors
from chorus_core.facturx.pdf import make_facturx_pdf
from chorus_core.sandbox import fixtures

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
CONTEXT = "rsm:ExchangedDocumentContext"
FRAMEWORK = "ram:BusinessProcessSpecifiedDocumentContextParameter"
AGREEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
SELLER_ID = f"{AGREEMENT}/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"
BUYER_ID = f"{AGREEMENT}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"
PAYMENT_MEANS = (
    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementPaymentMeans"
)
BT81 = "SpecifiedTradeSettlementPaymentMeans.TypeCode.value est obligatoire"


def _client(sandbox):
    return ChorusClient(
        ChorusConfig(
            environment="custom",
            api_url=sandbox.base_url,
            oauth_url=sandbox.oauth_url,
            client_id=fixtures.CLIENT_ID,
            client_secret=fixtures.CLIENT_SECRET,
            login=fixtures.TECH_LOGIN,
            password=fixtures.TECH_PASSWORD,
        )
    )


def _french_vat(siret):
    siren = int(siret[:9])
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siren:09d}"


def _xml(number, buyer_siret, credit_note=False, **values):
    """Our CII of a sample invoice (or credit note) from the sandbox supplier; the builder finds no error."""
    seller = dataclasses.replace(
        samples.seller(), siret=fixtures.SUPPLIER_SIRET, vat_id=_french_vat(fixtures.SUPPLIER_SIRET)
    )
    buyer = dataclasses.replace(samples.public_buyer(), siret=buyer_siret)
    make = samples.credit_note if credit_note else samples.invoice
    xml, findings = build_cii(make(number=number, seller=seller, buyer=buyer, **values))
    assert not only_errors(findings), findings
    return xml


def _edit(xml, change):
    root = etree.fromstring(xml)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _set_framework(code):
    def change(root):
        context = root.find(CONTEXT, NS)
        node = context.find(f"{FRAMEWORK}/ram:ID", NS)
        if node is None:  # an A1 may be written as no BT-23 at all: BT-23 comes first in the context
            parameter = etree.Element(etree.QName(NS["ram"], FRAMEWORK.partition(":")[2]))
            context.insert(0, parameter)
            node = etree.SubElement(parameter, etree.QName(NS["ram"], "ID"))
        node.text = code

    return change


def _seller_siren(root):
    root.find(SELLER_ID, NS).text = fixtures.SUPPLIER_SIRET[:9]


def _drop_payment_means(root):
    for node in root.findall(PAYMENT_MEANS, NS):
        node.getparent().remove(node)


def _deposit(sandbox, pdf, xml, number):
    """Deposit through our client; the flux report, after the sandbox processed it at once."""
    client = _client(sandbox)
    flux = client.deposit_flux(make_facturx_pdf(pdf, xml), f"{number}.pdf")["numeroFluxDepot"]
    return client, flux, client.flux_report(flux)


# Each qualification buyer (§8) with the references it requires.
BUYERS = [
    pytest.param("12345678200051", {"service_code": ""}, id="no constraint"),
    pytest.param("12345678200036", {"service_code": "", "engagement": "EJ-0042"}, id="engagement required"),
    pytest.param("12345678200028", {"service_code": "SERVICE_DEST_SERV_OBL"}, id="service required"),
    pytest.param("12345678200044", {"service_code": "SERVICE_DEST_EJ_OU_SERV_OBL"}, id="service or EJ: service"),
    pytest.param("12345678200044", {"service_code": "", "engagement": "EJ-0043"}, id="service or EJ: EJ"),
    pytest.param("11000201100044", {"service_code": "SFACETAT"}, id="Etat, SFACETAT"),
]


@pytest.mark.parametrize(("buyer", "references"), BUYERS)
def test_our_facturx_is_integrated_then_made_available(immediate, blank_pdf, buyer, references):
    xml = _xml("FA-2026-0101", buyer, **references)
    root = etree.fromstring(xml)
    # What Chorus reads (§7.1): the seller and buyer SIRETs in BT-30/BT-47, a cadre A1-A25 or none.
    assert root.find(SELLER_ID, NS).text == fixtures.SUPPLIER_SIRET
    assert root.find(BUYER_ID, NS).text == buyer
    client, flux, report = _deposit(immediate, blank_pdf, xml, "FA-2026-0101")
    assert report["etatCourantDepotFlux"] == "IN_INTEGRE", report["listeErreurDP"]
    (invoice,) = client.search_supplier_invoices(numeroFluxDepot=flux)
    assert invoice["numeroFacture"] == "FA-2026-0101"
    details = client.invoice_details(invoice["identifiantFactureCPP"])["facture"]
    assert details["destinataire"]["codeDestinataire"] == buyer
    assert details["cadreDeFacturation"]["codeCadreFacturation"] == "A1_FACTURE_FOURNISSEUR"
    assert invoice["statut"] == "MISE_A_DISPOSITION"


def test_our_credit_note_carries_bt81_and_is_refused_without_it(immediate, blank_pdf):
    """OCA's credit notes always carry BT-81 (§7.3) and Chorus refuses any document without it (§6.2)."""
    xml = _xml("AV-2026-0101", "12345678200051", credit_note=True, service_code="")
    means = etree.fromstring(xml).find(PAYMENT_MEANS, NS)
    assert means.find("ram:TypeCode", NS).text == "30"
    assert means.find("ram:PayeePartyCreditorFinancialAccount/ram:IBANID", NS).text == samples.SELLER_IBAN
    _client, _flux, report = _deposit(immediate, blank_pdf, xml, "AV-2026-0101")
    assert report["etatCourantDepotFlux"] == "IN_INTEGRE", report["listeErreurDP"]
    without = _edit(_xml("AV-2026-0102", "12345678200051", credit_note=True, service_code=""), _drop_payment_means)
    _client, _flux, report = _deposit(immediate, blank_pdf, without, "AV-2026-0102")
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    (entry,) = report["listeErreurDP"]
    assert entry["libelleErreurDP"].endswith(BT81)


def test_missing_engagement_is_refused_by_the_buyer_rules(immediate, blank_pdf):
    xml = _xml("FA-2026-0102", "12345678200036", service_code="")
    _client, _flux, report = _deposit(immediate, blank_pdf, xml, "FA-2026-0102")
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    assert "BuyerOrderReferencedDocument" in report["listeErreurDP"][0]["libelleErreurDP"]


REFUSED = [
    pytest.param(
        _set_framework("M1"),
        "Le cadre de facturation M1 n'est pas admis, A1 à A25 attendu (FichierXml.ExchangedDocumentContext."
        "BusinessProcessSpecifiedDocumentContextParameter.ID.value).",
        id="BT-23 M1",
    ),
    pytest.param(
        _seller_siren,
        f"L'identifiantFournisseur {fixtures.SUPPLIER_SIRET[:9]} est un SIREN, SIRET attendu",
        id="SIREN in BT-30",
    ),
    pytest.param(_drop_payment_means, BT81, id="no BT-81"),
]


@pytest.mark.parametrize(("change", "reason"), REFUSED)
def test_what_chorus_refused_live_is_refused(immediate, blank_pdf, change, reason):
    xml = _edit(_xml("FA-2026-0103", "12345678200051", service_code=""), change)
    client, flux, report = _deposit(immediate, blank_pdf, xml, "FA-2026-0103")
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    (entry,) = report["listeErreurDP"]
    assert entry["numeroDP"] == "FA-2026-0103"
    assert reason in entry["libelleErreurDP"]
    assert " | " not in entry["libelleErreurDP"], "only the edited rule may fail"
    assert client.search_supplier_invoices(numeroFluxDepot=flux) == []
