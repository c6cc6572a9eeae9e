"""The sandbox checks the amounts as Chorus Pro's integration does, and never refuses our own output."""

import dataclasses
from decimal import Decimal

import pytest
from lxml import etree
from test_facturx_validation import CASES

from chorus_core.facturx import samples
from chorus_core.facturx.cii import build_cii
from chorus_core.facturx.model import AllowanceCharge
from chorus_core.sandbox import fixtures, validation
from chorus_core.sandbox.amounts import amount_errors
from chorus_core.sandbox.parsing import parse_invoice

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
SETTLEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
SUMMATION = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
PATH = "FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement"
SUMMATION_PATH = f"{PATH}.SpecifiedTradeSettlementHeaderMonetarySummation"
VAT_20 = f"{SETTLEMENT}/ram:ApplicableTradeTax[ram:RateApplicablePercent='20.00']/ram:CalculatedAmount"


def _two_rates(**values):
    """200.00 at 20 % and 100.00 at 10 %, from the sandbox supplier to a buyer without constraints."""
    seller = dataclasses.replace(samples.seller(), siret=fixtures.SUPPLIER_SIRET, vat_id="FR28832561740")
    buyer = dataclasses.replace(samples.public_buyer(), siret="12345678200051")
    lines = [samples.line(1, "2", "100.00"), samples.line(2, "1", "100.00", rate="10")]
    return samples.invoice(lines=lines, seller=seller, buyer=buyer, service_code="", **values)


def _xml(invoice):
    return build_cii(invoice)[0]


def _set(xml, path, value, index=0):
    root = etree.fromstring(xml)
    root.findall(path, NS)[index].text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _messages(api, xml):
    """The flux state and every uncut DP message of a one-invoice deposit."""
    flux = api.deposit(xml)["numeroFluxDepot"]
    state = api.cr(flux)["etatCourantDepotFlux"]
    (found,) = [f for f in api.control("GET", "fluxes")["fluxes"] if f["numeroFluxDepot"] == flux]
    return state, [message for entry in found["erreursDPCompletes"] for message in entry["messages"]]


def test_a_line_that_does_not_add_up_is_refused(api, immediate):
    line_total = "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount"
    state, messages = _messages(api, _set(_xml(_two_rates()), line_total, "210.00"))
    assert state == "IN_REJETE"
    assert messages == [
        f"Montant 300.00 incohérent, somme des lignes 310.00 ({SUMMATION_PATH}.LineTotalAmount.value).",
        f"Base 200.00 du taux 20 % incohérente, lignes 210.00 ({PATH}.ApplicableTradeTax.BasisAmount.value).",
    ]


def test_a_vat_breakdown_that_does_not_match_its_rate_is_refused(api, immediate):
    state, messages = _messages(api, _set(_xml(_two_rates()), VAT_20, "38.00"))
    assert state == "IN_REJETE"
    assert messages == [
        f"TVA 38.00 du taux 20 % incohérente, attendu 40.00 ({PATH}.ApplicableTradeTax.CalculatedAmount.value)."
    ]


def test_a_total_that_does_not_follow_from_the_others_is_refused(api, immediate):
    state, messages = _messages(api, _set(_xml(_two_rates()), f"{SUMMATION}/ram:DuePayableAmount", "340.00"))
    assert state == "IN_REJETE"
    assert messages == [f"Montant 340.00 incohérent, attendu 350.00 ({SUMMATION_PATH}.DuePayableAmount.value)."]


def test_the_totals_are_checked_against_each_other():
    xml = _xml(_two_rates(allowances_charges=[AllowanceCharge(is_charge=True, amount=Decimal("5.00"), reason="Port")]))
    assert not amount_errors(parse_invoice(xml)["figures"])
    cases = {
        "TaxBasisTotalAmount": ("300.00", "attendu 305.00"),  # BT-109 = BT-106 - BT-107 + BT-108
        "GrandTotalAmount": ("300.00", "attendu 356.00"),  # BT-112 = BT-109 + BT-110
        "DuePayableAmount": ("1.00", "attendu 356.00"),  # BT-115 = BT-112 - BT-113 + BT-114
    }
    for tag, (value, expected) in cases.items():
        messages = amount_errors(parse_invoice(_set(xml, f"{SUMMATION}/ram:{tag}", value))["figures"])
        assert f"Montant {value} incohérent, {expected} ({SUMMATION_PATH}.{tag}.value)." in messages, messages
        assert all(len(message) <= validation.LIBELLE_MAX for message in messages)


def test_one_cent_per_line_is_tolerated():
    # Three lines of 10.25 at 5.5 %: 1.68 of VAT rounded per line where the rate gives 1.69.
    assert not amount_errors(parse_invoice(_xml(samples.rounded_per_line()))["figures"])
    xml = _xml(_two_rates())
    one_cent = _set(xml, VAT_20, "39.99")
    assert not amount_errors(parse_invoice(one_cent)["figures"])
    three_cents = _set(xml, VAT_20, "39.97")
    assert amount_errors(parse_invoice(three_cents)["figures"])


def three_hundred_lines():
    rates = ("20", "10", "5.5", "2.1")
    return samples.invoice(
        lines=[
            samples.line(
                index,
                f"{index % 9 + 1}.5",
                f"{index % 17 + 1}.{index % 89:02d}",
                rate=rates[index % 4],
                discount_percent=Decimal(index % 4 * 5) or None,
            )
            for index in range(1, 301)
        ],
        allowances_charges=[AllowanceCharge(is_charge=True, amount=Decimal("12.00"), reason="Frais de port")],
        prepaid_amount=Decimal("250.00"),
    )


OURS = {
    **CASES,
    "three_hundred_lines": three_hundred_lines,
    "sample invoice": samples.invoice,
    "sample credit note": samples.credit_note,
    "sample already paid": samples.already_paid,
    "sample with references": samples.with_references,
    "sample rounded per line": samples.rounded_per_line,
}


@pytest.mark.parametrize("make", OURS.values(), ids=OURS.keys())
def test_our_output_is_never_refused_by_the_amount_rules(make):
    assert amount_errors(parse_invoice(_xml(make()))["figures"]) == []


def test_our_three_hundred_lines_are_integrated(api, immediate):
    invoice = three_hundred_lines()
    two_rates = _two_rates()
    invoice.seller, invoice.buyer, invoice.service_code = two_rates.seller, two_rates.buyer, ""
    state, messages = _messages(api, _xml(invoice))
    assert (state, messages) == ("IN_INTEGRE", [])
