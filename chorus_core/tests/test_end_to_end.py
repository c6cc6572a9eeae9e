"""Our Factur-X, deposited by our client, integrated by the sandbox: the pieces agree with each other."""

import dataclasses

from chorus_core.client import ChorusClient, ChorusConfig
from chorus_core.facturx import samples
from chorus_core.facturx.cii import build_cii
from chorus_core.facturx.findings import only_errors
from chorus_core.facturx.pdf import make_facturx_pdf
from chorus_core.sandbox import fixtures


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


def _facturx(pdf, number, buyer_siret, **values):
    seller = dataclasses.replace(
        samples.seller(), siret=fixtures.SUPPLIER_SIRET, vat_id=_french_vat(fixtures.SUPPLIER_SIRET)
    )
    buyer = dataclasses.replace(samples.public_buyer(), siret=buyer_siret)
    xml, findings = build_cii(samples.invoice(number=number, seller=seller, buyer=buyer, **values))
    assert not only_errors(findings), findings
    return make_facturx_pdf(pdf, xml)


def test_our_facturx_is_integrated_then_made_available(immediate, blank_pdf):
    client = _client(immediate)
    pdf = _facturx(blank_pdf, "FA-2026-0101", "12345678200036", service_code="", engagement="EJ-0042")
    flux = client.deposit_flux(pdf, "FA-2026-0101.pdf")["numeroFluxDepot"]
    report = client.flux_report(flux)
    assert report["etatCourantDepotFlux"] == "IN_INTEGRE", report
    invoices = client.search_supplier_invoices(numeroFluxDepot=flux)
    assert [invoice["numeroFacture"] for invoice in invoices] == ["FA-2026-0101"]


def test_missing_engagement_is_refused_by_the_buyer_rules(immediate, blank_pdf):
    client = _client(immediate)
    pdf = _facturx(blank_pdf, "FA-2026-0102", "12345678200036", service_code="")
    flux = client.deposit_flux(pdf, "FA-2026-0102.pdf")["numeroFluxDepot"]
    report = client.flux_report(flux)
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    assert "BuyerOrderReferencedDocument" in report["listeErreurDP"][0]["libelleErreurDP"]
