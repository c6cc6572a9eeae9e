"""Shared fixtures of the sandbox tests: one server for the session, a raw HTTP helper, invoice builders."""

import base64
import functools
import io

import pytest
import requests
from facturx import generate_from_binary
from reportlab.pdfgen import canvas

from chorus_core import auth
from chorus_core.sandbox import SandboxServer
from chorus_core.sandbox import fixtures as fx
from chorus_core.tests.client_scripted_server import ScriptedServer

CII = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
<rsm:ExchangedDocumentContext>{framework}
<ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID>
</ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
<rsm:ExchangedDocument><ram:ID>{number}</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>
<ram:IssueDateTime><udt:DateTimeString format="102">{date}</udt:DateTimeString></ram:IssueDateTime>
</rsm:ExchangedDocument>
<rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeAgreement>{service}
<ram:SellerTradeParty>{seller_global}<ram:Name>Fournisseur</ram:Name><ram:SpecifiedLegalOrganization>
<ram:ID schemeID="{scheme}">{seller}</ram:ID></ram:SpecifiedLegalOrganization></ram:SellerTradeParty>
<ram:BuyerTradeParty><ram:Name>Acheteur</ram:Name><ram:SpecifiedLegalOrganization>
<ram:ID schemeID="{scheme}">{buyer}</ram:ID></ram:SpecifiedLegalOrganization></ram:BuyerTradeParty>{engagement}
</ram:ApplicableHeaderTradeAgreement><ram:ApplicableHeaderTradeDelivery/>
<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>{payment}
<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:TaxBasisTotalAmount>{amount}</ram:TaxBasisTotalAmount>
<ram:TaxTotalAmount currencyID="EUR">20.00</ram:TaxTotalAmount><ram:GrandTotalAmount>120.00</ram:GrandTotalAmount>
<ram:DuePayableAmount>120.00</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>
</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>
"""


def make_cii(number="F-0001", buyer="12345678200051", seller=fx.SUPPLIER_SIRET, service=None, engagement=None,
             payment="30", type_code="380", date="20261101", amount="100.00", scheme="0002", framework=None,
             seller_global=None):  # fmt: skip
    """A small CII invoice; ``None`` leaves an optional element out.

    ``framework`` is BT-23 (the Chorus cadre, absent = A1); ``seller_global`` a seller GlobalID (BT-29).
    """
    return CII.format(
        number=number, buyer=buyer, seller=seller, type_code=type_code, date=date, amount=amount, scheme=scheme,
        framework=(
            "<ram:BusinessProcessSpecifiedDocumentContextParameter>"
            f"<ram:ID>{framework}</ram:ID></ram:BusinessProcessSpecifiedDocumentContextParameter>"
            if framework is not None else ""
        ),
        seller_global=f'<ram:GlobalID schemeID="0009">{seller_global}</ram:GlobalID>' if seller_global else "",
        service=f"<ram:BuyerReference>{service}</ram:BuyerReference>" if service else "",
        engagement=(
            f"<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>{engagement}</ram:IssuerAssignedID>"
            "</ram:BuyerOrderReferencedDocument>" if engagement else ""
        ),
        payment=(
            f"<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>{payment}</ram:TypeCode>"
            "</ram:SpecifiedTradeSettlementPaymentMeans>" if payment else ""
        ),
    ).encode()  # fmt: skip


@functools.cache
def _blank_pdf():
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 770, "Facture de test")
    page.save()
    return buffer.getvalue()


def make_facturx(**cii_args):
    return generate_from_binary(_blank_pdf(), make_cii(**cii_args), check_xsd=False)


class Api:
    """Raw HTTP helper for the tests (deliberately not the project's API client)."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.base = sandbox.base_url
        self._token = None

    def token(self, client_id=fx.CLIENT_ID, secret=fx.CLIENT_SECRET):
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, "scope": "openid"}
        return requests.post(self.sandbox.oauth_url, data=form, timeout=5)

    def headers(self, login=fx.TECH_LOGIN, password=fx.TECH_PASSWORD):
        if self._token is None:
            self._token = self.token().json()["access_token"]
        account = base64.b64encode(f"{login}:{password}".encode()).decode()
        return {"Authorization": f"Bearer {self._token}", "cpro-account": account}

    def raw(self, path, body=None, headers=None, **kwargs):
        return requests.post(
            f"{self.base}/cpro/{path}", json=body or {}, headers=headers or self.headers(), timeout=5, **kwargs
        )

    def post(self, path, body=None, **account):
        """POST expected to reach the service (HTTP 200); returns the JSON answer."""
        response = self.raw(path, body, headers=self.headers(**account))
        assert response.status_code == 200, response.text
        return response.json()

    def deposit(self, content, name="facture.xml", syntax="IN_DP_E1_CII_16B", **account):
        body = {"fichierFlux": base64.b64encode(content).decode(), "nomFichier": name, "syntaxeFlux": syntax}
        return self.post("factures/v1/deposer/flux", body, **account)

    def cr(self, flux, **account):
        return self.post("transverses/v1/consulterCRDetaille", {"numeroFluxDepot": flux}, **account)

    def control(self, method, route, body=None):
        response = requests.request(method, f"{self.base}/sandbox/{route}", json=body, timeout=5)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="session")
def _server():
    with SandboxServer(port=0) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(_server):
    _server.control.reset()
    return _server


@pytest.fixture
def api(sandbox):
    return Api(sandbox)


@pytest.fixture
def immediate(sandbox):
    """Fluxes processed at deposit, for the tests that are about the rules, not the timing."""
    sandbox.control.configure(flux_mode="immediate")
    return sandbox


@pytest.fixture
def cii():
    return make_cii


@pytest.fixture
def facturx():
    return make_facturx


@pytest.fixture
def blank_pdf():
    """A PDF without any embedded XML."""
    return _blank_pdf()


@pytest.fixture(autouse=True)
def fresh_token_cache():
    """The client shares tokens across the process: each test starts without any."""
    auth.clear_token_cache()


@pytest.fixture
def server():
    """A scripted HTTP server on 127.0.0.1 for exact answers (test files may script it further)."""
    with ScriptedServer() as scripted:
        yield scripted
