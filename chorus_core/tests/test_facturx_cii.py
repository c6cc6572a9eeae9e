"""What the CII builder writes where, and the rules it reports while building."""

import ast
import pathlib
import re
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from chorus_core.facturx import samples
from chorus_core.facturx.cii import NSMAP, build_cii
from chorus_core.facturx.codelists import (
    FRAMEWORK_CO_CONTRACTOR,
    FRAMEWORK_SUBCONTRACTOR,
    PAYMENT_CHEQUE,
    PAYMENT_DIRECT_DEBIT,
    SCHEME_EMAIL,
    SCHEME_FRENCH_DIRECTORY,
    VAT_EXEMPT,
    VAT_STANDARD,
    VAT_ZERO_RATED,
)
from chorus_core.facturx.findings import ERROR, Finding, only_errors
from chorus_core.facturx.model import Address, AllowanceCharge, ElectronicAddress, PaymentMeans, ShipTo, VatBreakdown
from chorus_core.facturx.validate import RULESET_EN16931, SCHEMATRON_AVAILABLE, validate_schematron, validate_xsd

CONTEXT = "//rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"
AGREEMENT = "//ram:ApplicableHeaderTradeAgreement"
SELLER = f"{AGREEMENT}/ram:SellerTradeParty"
BUYER = f"{AGREEMENT}/ram:BuyerTradeParty"
SETTLEMENT = "//ram:ApplicableHeaderTradeSettlement"
SUMMATION = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
VAT_GROUPS = f"{SETTLEMENT}/ram:ApplicableTradeTax"
CHORUS_CORE = pathlib.Path(__file__).resolve().parents[1]

needs_saxon = pytest.mark.skipif(not SCHEMATRON_AVAILABLE, reason="saxonche is not installed")


def build(invoice):
    xml, findings = build_cii(invoice)
    return etree.fromstring(xml), findings


def texts(tree, path):
    return [node.text if isinstance(node, etree._Element) else str(node) for node in tree.xpath(path, namespaces=NSMAP)]


def text(tree, path):
    values = texts(tree, path)
    assert len(values) == 1, f"{path}: {values}"
    return values[0]


def rules(findings):
    return {finding.rule_id for finding in findings}


def error_rules(invoice):
    return rules(only_errors(build(invoice)[1]))


def report(findings):
    return "\n".join(str(finding) for finding in findings)


# -- the layout Chorus Pro accepts on a direct deposit ------------------------------------------


def test_parties_are_identified_by_their_siret_under_0002():
    tree, findings = build(samples.invoice())
    assert not only_errors(findings), report(findings)
    assert text(tree, f"{SELLER}/ram:SpecifiedLegalOrganization/ram:ID") == samples.SELLER_SIRET
    assert text(tree, f"{SELLER}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID") == "0002"
    assert text(tree, f"{BUYER}/ram:SpecifiedLegalOrganization/ram:ID") == samples.BUYER_SIRET
    assert text(tree, f"{BUYER}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID") == "0002"
    # No BT-29 / BT-46, and the seller's SIREN is nowhere an identifier.
    assert not texts(tree, "//ram:GlobalID")
    assert not texts(tree, f"//*[text()='{samples.SELLER_SIRET[:9]}']")
    assert text(tree, f"{SELLER}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']") == samples.SELLER_VAT


def test_electronic_addresses_default_to_siret():
    tree, _findings = build(samples.invoice())
    assert text(tree, f"{SELLER}/ram:URIUniversalCommunication/ram:URIID[@schemeID='0009']") == samples.SELLER_SIRET
    assert text(tree, f"{BUYER}/ram:URIUniversalCommunication/ram:URIID[@schemeID='0009']") == samples.BUYER_SIRET


def test_electronic_address_given_is_kept():
    invoice = samples.invoice()
    invoice.buyer.electronic_address = ElectronicAddress("110002011_SERVICE", SCHEME_FRENCH_DIRECTORY)
    tree, findings = build(invoice)
    assert text(tree, f"{BUYER}/ram:URIUniversalCommunication/ram:URIID[@schemeID='0225']") == "110002011_SERVICE"
    assert not only_errors(findings)
    # An e-mail address is a valid EN 16931 electronic address: only the French 2026 rules refused it.
    invoice.buyer.electronic_address = ElectronicAddress("achats@mairie.example", SCHEME_EMAIL)
    tree, findings = build(invoice)
    assert text(tree, f"{BUYER}/ram:URIUniversalCommunication/ram:URIID[@schemeID='EM']") == "achats@mairie.example"
    assert not only_errors(findings), report(findings)


def test_bt23_is_the_chorus_framework_a1_by_default():
    assert text(build(samples.invoice())[0], CONTEXT) == "A1"
    assert text(build(samples.invoice(billing_framework=""))[0], CONTEXT) == "A1"


@pytest.mark.parametrize("framework", [FRAMEWORK_SUBCONTRACTOR, FRAMEWORK_CO_CONTRACTOR, "A25"])
def test_bt23_carries_any_chorus_framework(framework):
    tree, findings = build(samples.invoice(billing_framework=framework))
    assert text(tree, CONTEXT) == framework
    assert not only_errors(findings), report(findings)


@pytest.mark.parametrize("code", ["M1", "S1", "B2", "A26", "A0"])
def test_bt23_refuses_what_is_not_a_chorus_framework(code):
    findings = build(samples.invoice(billing_framework=code))[1]
    (finding,) = only_errors(findings)
    assert (finding.rule_id, finding.location, finding.params) == ("CHORUS-BT-23", "BT-23", {"framework": code})


def test_already_paid_invoice_a2():
    tree, findings = build(samples.already_paid())
    assert not only_errors(findings), report(findings)
    assert text(tree, CONTEXT) == "A2"
    assert text(tree, f"{SUMMATION}/ram:TotalPrepaidAmount") == "120.00"
    assert text(tree, f"{SUMMATION}/ram:DuePayableAmount") == "0.00"
    # Paid before it was issued: the due date (payment date) before the issue date is no error.
    assert text(tree, f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString") == (
        "20261030"
    )
    unpaid = samples.already_paid()
    unpaid.prepaid_amount = Decimal("100.00")
    (finding,) = only_errors(build(unpaid)[1])
    assert (finding.rule_id, finding.location) == ("CHORUS-A2", "BT-113")
    assert finding.message == "An already paid invoice (A2) must show its whole total 120.00 as paid, not 100.00."
    undated = samples.already_paid(due_date=None)
    assert [(f.rule_id, f.location) for f in only_errors(build(undated)[1])] == [("CHORUS-A2", "BT-9")]


def test_routing_fields_of_a_buyer_requiring_both_references():
    tree, findings = build(samples.with_references())
    assert not only_errors(findings)
    assert text(tree, f"{AGREEMENT}/ram:BuyerReference") == "SERV-EXEC-01"
    assert text(tree, f"{AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID") == "EJ-2026-004217"
    assert text(tree, f"{AGREEMENT}/ram:ContractReferencedDocument/ram:IssuerAssignedID") == "MARCHE-2026-17"
    assert text(tree, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == "urn:cen.eu:en16931:2017"


def test_no_engagement_is_invented():
    invoice = samples.invoice(service_code="", engagement="", contract="", payment_reference="")
    tree, _findings = build(invoice)
    assert not texts(tree, "//ram:BuyerOrderReferencedDocument")
    assert not texts(tree, "//ram:ContractReferencedDocument")
    assert not texts(tree, "//ram:BuyerReference")
    # The invoice number appears once, as BT-1, and nowhere a fallback could put it.
    assert texts(tree, f"//*[text()='{invoice.number}']") == [invoice.number]


def test_french_2026_only_rules_do_not_block():
    invoice = samples.invoice(
        billing_framework=FRAMEWORK_SUBCONTRACTOR,  # BR-FR-08 wanted a 2026 billing mode
        notes=[],  # BR-FR-05 wanted the three legal notes
        lines=[samples.line(1, rate="19")],  # BR-FR-16 wanted a French rate
    )
    invoice.buyer.electronic_address = ElectronicAddress("achats@mairie.example", SCHEME_EMAIL)  # BR-FR-23
    findings = build(invoice)[1]
    assert not findings, report(findings)


@needs_saxon
@pytest.mark.parametrize(
    "make",
    [
        samples.invoice,
        samples.already_paid,
        lambda: samples.invoice(billing_framework=FRAMEWORK_SUBCONTRACTOR),
        lambda: samples.invoice(billing_framework=FRAMEWORK_CO_CONTRACTOR),
        samples.credit_note,
        samples.with_references,
        samples.rounded_per_line,
    ],
    ids=["A1", "A2", "A9", "A12", "credit_note", "with_references", "rounded_per_line"],
)
def test_samples_pass_xsd_and_en16931(make):
    xml, findings = build_cii(make())
    assert not only_errors(findings), report(findings)
    assert not validate_xsd(xml)
    errors = only_errors(validate_schematron(xml, RULESET_EN16931))
    assert not errors, report(errors)


# -- delivery ----------------------------------------------------------------------------------

DELIVERY = "//ram:ApplicableHeaderTradeDelivery"


def test_ship_to_and_delivery_date_as_known():
    ship_to = ShipTo("Mairie annexe", Address(line1="3 rue du Port", postcode="13002", city="Marseille"))
    tree, findings = build(samples.invoice(ship_to=ship_to, delivery_date=date(2026, 10, 30)))
    assert not findings, report(findings)
    assert text(tree, f"{DELIVERY}/ram:ShipToTradeParty/ram:Name") == "Mairie annexe"
    address = f"{DELIVERY}/ram:ShipToTradeParty/ram:PostalTradeAddress"
    assert [text(tree, f"{address}/ram:{tag}") for tag in ("PostcodeCode", "LineOne", "CityName", "CountryID")] == [
        "13002",
        "3 rue du Port",
        "Marseille",
        "FR",
    ]
    assert text(tree, f"{DELIVERY}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString") == (
        "20261030"
    )
    # Delivered to the buyer itself: a long name is cut, and said once (BT-44).
    buyer = samples.public_buyer()
    buyer.name = "Communauté d'agglomération " + "très longue " * 10
    tree, findings = build(samples.invoice(buyer=buyer, ship_to=ShipTo(buyer.name, buyer.address)))
    assert [(finding.rule_id, finding.location) for finding in findings] == [("CHORUS-LIMIT", "BT-44")]
    assert text(tree, f"{DELIVERY}/ram:ShipToTradeParty/ram:Name") == text(
        tree, f"{AGREEMENT}/ram:BuyerTradeParty/ram:Name"
    )
    # Nothing known: nothing invented, the element stays (CII needs it).
    assert len(build(samples.invoice())[0].xpath(f"{DELIVERY}/*", namespaces=NSMAP)) == 0


@needs_saxon
@pytest.mark.parametrize(
    "values",
    [
        pytest.param(
            {"ship_to": ShipTo("Mairie", Address(line1="1 place", postcode="69001", city="Lyon"))}, id="BG-13"
        ),
        pytest.param({"delivery_date": date(2026, 10, 30)}, id="BT-72"),
    ],
)
def test_no_empty_delivery_warning(values):
    xml, _findings = build_cii(samples.invoice(**values))
    assert not validate_xsd(xml)
    assert not validate_schematron(xml, RULESET_EN16931), "no error and no warning (PEPPOL-EN16931-R008)"


def test_partly_paid_invoice_claims_what_is_left():
    tree, findings = build(samples.invoice(prepaid_amount=Decimal("50.00")))
    assert not only_errors(findings)
    assert (text(tree, f"{SUMMATION}/ram:TotalPrepaidAmount"), text(tree, f"{SUMMATION}/ram:DuePayableAmount")) == (
        "50.00",
        "70.00",
    )


# -- credit notes ------------------------------------------------------------------------------


def test_credit_note_positive_with_preceding_invoice():
    tree, findings = build(samples.credit_note(lines=[samples.line(1, "2", "50")]))
    assert not only_errors(findings)
    assert text(tree, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    assert text(tree, CONTEXT) == "A1"
    reference = f"{SETTLEMENT}/ram:InvoiceReferencedDocument"
    assert text(tree, f"{reference}/ram:IssuerAssignedID") == "FA-2026-0001"
    assert text(tree, f"{reference}/ram:FormattedIssueDateTime/qdt:DateTimeString") == "20261102"
    assert text(tree, f"{SUMMATION}/ram:GrandTotalAmount") == "120.00"
    assert all(Decimal(value) >= 0 for value in texts(tree, "//ram:*[contains(local-name(), 'Amount')]"))
    # BT-81 and the IBAN (BT-84) as on an invoice: OCA's credit notes carry BT-81 and Chorus requires it.
    means = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans"
    assert text(tree, f"{means}/ram:TypeCode") == "30"
    assert text(tree, f"{means}/ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == samples.SELLER_IBAN


def test_credit_note_needs_the_invoice_it_corrects():
    assert error_rules(samples.credit_note(preceding_invoice="", preceding_invoice_date=None)) == {"CHORUS-BT-25"}
    # Chorus files the credit note against the number: the date is written when known, not required.
    tree, findings = build(samples.credit_note(preceding_invoice_date=None))
    assert not only_errors(findings)
    assert not texts(tree, f"{SETTLEMENT}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime")
    assert error_rules(samples.credit_note(preceding_invoice="FA 2026 0001")) == {"CHORUS-BT-25"}
    assert error_rules(samples.credit_note(preceding_invoice="F" * 21)) == {"CHORUS-BT-25"}


def test_invoice_type_codes_sent_to_chorus():
    assert error_rules(samples.invoice(type_code="384")) == {"CHORUS-BT-3"}


# -- amounts -----------------------------------------------------------------------------------


def test_totals_hold_every_br_co_rule():
    invoice = samples.invoice(
        lines=[
            samples.line(1, "3", "33.333333", discount_percent=Decimal("7.5")),
            samples.line(2, "1.5", "0.015", rate="5.5"),
            samples.line(3, "4", "19.99", rate="5.5", discount_amount=Decimal("2.01")),
        ],
        prepaid_amount=Decimal("10.00"),
    )
    tree, _findings = build(invoice)
    line_nets = [
        Decimal(value)
        for value in texts(tree, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount")
    ]
    assert line_nets == [Decimal("92.50"), Decimal("0.02"), Decimal("77.95")]
    line_total = Decimal(text(tree, f"{SUMMATION}/ram:LineTotalAmount"))
    tax_basis = Decimal(text(tree, f"{SUMMATION}/ram:TaxBasisTotalAmount"))
    tax_total = Decimal(text(tree, f"{SUMMATION}/ram:TaxTotalAmount"))
    grand_total = Decimal(text(tree, f"{SUMMATION}/ram:GrandTotalAmount"))
    due = Decimal(text(tree, f"{SUMMATION}/ram:DuePayableAmount"))
    assert line_total == sum(line_nets)  # BR-CO-10
    assert tax_basis == line_total  # BR-CO-13, no document allowance or charge
    groups = tree.xpath(VAT_GROUPS, namespaces=NSMAP)
    for group in groups:  # BR-CO-17
        basis = Decimal(group.findtext("ram:BasisAmount", namespaces=NSMAP))
        rate = Decimal(group.findtext("ram:RateApplicablePercent", namespaces=NSMAP))
        tax = Decimal(group.findtext("ram:CalculatedAmount", namespaces=NSMAP))
        assert tax == (basis * rate / 100).quantize(Decimal("0.01"))
    assert tax_total == sum(Decimal(g.findtext("ram:CalculatedAmount", namespaces=NSMAP)) for g in groups)  # BR-CO-14
    assert grand_total == tax_basis + tax_total  # BR-CO-15
    assert due == grand_total - Decimal("10.00")  # BR-CO-16


def test_vat_rounded_per_line_by_the_host_is_written_as_printed():
    tree, findings = build(samples.rounded_per_line())
    assert not findings, report(findings)
    assert text(tree, f"{VAT_GROUPS}/ram:BasisAmount") == "30.75"
    assert text(tree, f"{VAT_GROUPS}/ram:CalculatedAmount") == "1.68"
    assert text(tree, f"{SUMMATION}/ram:LineTotalAmount") == "30.75"
    assert text(tree, f"{SUMMATION}/ram:TaxBasisTotalAmount") == "30.75"
    assert text(tree, f"{SUMMATION}/ram:TaxTotalAmount") == "1.68"
    assert text(tree, f"{SUMMATION}/ram:GrandTotalAmount") == "32.43"
    assert text(tree, f"{SUMMATION}/ram:DuePayableAmount") == "32.43"
    # Without the host's figures the builder rounds the group: one cent more than the printed invoice.
    computed = build(samples.rounded_per_line(vat_breakdown=None))[0]
    assert text(computed, f"{SUMMATION}/ram:TaxTotalAmount") == "1.69"


@needs_saxon
def test_vat_rounded_per_line_passes_the_en16931_rules():
    xml, _findings = build_cii(samples.rounded_per_line())
    assert not validate_xsd(xml)
    errors = only_errors(validate_schematron(xml, RULESET_EN16931))
    assert not errors, report(errors)


def test_host_breakdown_of_several_rates_with_a_charge():
    invoice = samples.invoice(
        lines=[samples.line(1, "3", "10.25", rate="5.5"), samples.line(2, "1", "99.99")],
        allowances_charges=[AllowanceCharge(is_charge=True, amount=Decimal("5.00"), reason="Frais de port")],
        vat_breakdown=[
            VatBreakdown(VAT_STANDARD, Decimal(20), Decimal("104.99"), Decimal("21.00")),
            VatBreakdown(VAT_STANDARD, Decimal("5.5"), Decimal("30.75"), Decimal("1.68")),
        ],
    )
    tree, findings = build(invoice)
    assert not findings, report(findings)
    assert texts(tree, f"{VAT_GROUPS}/ram:RateApplicablePercent") == ["5.50", "20.00"]
    assert texts(tree, f"{VAT_GROUPS}/ram:CalculatedAmount") == ["1.68", "21.00"]
    assert text(tree, f"{SUMMATION}/ram:TaxBasisTotalAmount") == "135.74"
    assert text(tree, f"{SUMMATION}/ram:TaxTotalAmount") == "22.68"
    assert text(tree, f"{SUMMATION}/ram:GrandTotalAmount") == "158.42"


def test_host_breakdown_that_does_not_match_the_lines():
    wrong_basis = samples.rounded_per_line(
        vat_breakdown=[VatBreakdown(VAT_STANDARD, Decimal("5.5"), Decimal("30.70"), Decimal("1.68"))]
    )
    tree, findings = build(wrong_basis)
    (finding,) = only_errors(findings)
    assert (finding.rule_id, finding.location) == ("BR-S-08", "BG-23")
    assert finding.message == (
        "VAT group S 5.50 %: basis 30.70, but its lines net of allowances and charges make 30.75."
    )
    assert text(tree, f"{VAT_GROUPS}/ram:BasisAmount") == "30.70"  # the host's figure, never a second computation
    wrong_rate = samples.rounded_per_line(
        vat_breakdown=[VatBreakdown(VAT_STANDARD, Decimal(10), Decimal("30.75"), Decimal("3.08"))]
    )
    messages = sorted(finding.message for finding in only_errors(build(wrong_rate)[1]))
    assert messages == [
        "The invoice's VAT breakdown has no S 5.50 % group, yet lines for 30.75 have this VAT.",
        "The invoice's VAT group S 10.00 % matches no line of the invoice.",
    ]
    wrong_tax = samples.rounded_per_line(
        vat_breakdown=[VatBreakdown(VAT_STANDARD, Decimal("5.5"), Decimal("30.75"), Decimal("3.08"))]
    )
    assert error_rules(wrong_tax) == {"BR-CO-17"}
    exempt_with_tax = samples.invoice(
        lines=[samples.line(1, rate="0", vat_category=VAT_EXEMPT, exemption_reason_code="VATEX-FR-FRANCHISE")],
        vat_breakdown=[VatBreakdown(VAT_EXEMPT, Decimal(0), Decimal("100.00"), Decimal("20.00"))],
    )
    assert error_rules(exempt_with_tax) == {"BR-E-09"}


@needs_saxon
def test_builder_finding_on_a_mismatched_breakdown_is_what_en16931_says():
    xml, findings = build_cii(
        samples.rounded_per_line(
            vat_breakdown=[VatBreakdown(VAT_STANDARD, Decimal("5.5"), Decimal("30.70"), Decimal("1.68"))]
        )
    )
    assert "BR-S-08" in rules(only_errors(findings))
    assert "BR-S-08" in rules(only_errors(validate_schematron(xml, RULESET_EN16931)))


def test_line_net_of_the_host_is_written():
    # Odoo rounds 3 x 0.35 x 50 % once (0.525 -> 0.53); the builder would round the discount (1.05 - 0.53 = 0.52).
    line = samples.line(1, "3", "0.35", discount_percent=Decimal(50), net_amount=Decimal("0.53"))
    tree, findings = build(samples.invoice(lines=[line]))
    assert not findings, report(findings)
    assert text(tree, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount") == "0.53"
    assert text(tree, "//ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount") == "0.52"
    assert text(tree, f"{SUMMATION}/ram:LineTotalAmount") == "0.53"
    far = samples.line(1, "1", "100", net_amount=Decimal("90.00"))
    tree, findings = build(samples.invoice(lines=[far]))
    assert [(f.rule_id, f.severity) for f in findings] == [("FX-LINE-NET", "warning")]
    assert text(tree, f"{SUMMATION}/ram:LineTotalAmount") == "90.00"


def test_line_discount_is_a_line_allowance():
    tree, _findings = build(samples.invoice(lines=[samples.line(1, "3", "150.00", discount_percent=Decimal(10))]))
    allowance = "//ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
    assert text(tree, f"{allowance}/ram:ChargeIndicator/udt:Indicator") == "false"
    assert text(tree, f"{allowance}/ram:CalculationPercent") == "10.00"
    assert text(tree, f"{allowance}/ram:BasisAmount") == "450.00"
    assert text(tree, f"{allowance}/ram:ActualAmount") == "45.00"
    assert text(tree, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount") == "405.00"


def test_document_allowance_and_charge_need_a_reason():
    allowance = AllowanceCharge(is_charge=False, amount=Decimal(5), reason="")
    charge = AllowanceCharge(is_charge=True, amount=Decimal(5), reason="")
    assert error_rules(samples.invoice(allowances_charges=[allowance])) == {"BR-33"}
    assert error_rules(samples.invoice(allowances_charges=[charge])) == {"BR-38"}


def test_negative_price_becomes_negative_quantity():
    tree, _findings = build(samples.invoice(lines=[samples.line(1, "2", "100"), samples.line(2, "1", "-30")]))
    assert texts(tree, "//ram:NetPriceProductTradePrice/ram:ChargeAmount") == ["100.00", "30.00"]
    assert texts(tree, "//ram:BilledQuantity") == ["2", "-1"]
    assert text(tree, f"{SUMMATION}/ram:LineTotalAmount") == "170.00"


def test_prices_and_quantities_rounded_with_a_warning():
    tree, findings = build(samples.invoice(lines=[samples.line(1, "1.23456", "9.1234567")]))
    assert text(tree, "//ram:NetPriceProductTradePrice/ram:ChargeAmount") == "9.123457"
    assert text(tree, "//ram:BilledQuantity") == "1.2346"
    assert [(f.rule_id, f.location, f.severity) for f in findings] == [
        ("CHORUS-DECIMALS", "BT-146", "warning"),
        ("CHORUS-DECIMALS", "BT-129", "warning"),
    ]


# -- VAT ---------------------------------------------------------------------------------------


def test_exemption_reason_on_exempt_group_only():
    invoice = samples.invoice(
        lines=[
            samples.line(1),
            samples.line(2, rate="0", vat_category=VAT_EXEMPT, exemption_reason_code="VATEX-FR-FRANCHISE"),
            samples.line(3, rate="0", vat_category=VAT_ZERO_RATED),
        ]
    )
    tree, findings = build(invoice)
    assert not only_errors(findings)
    exempt = f"{VAT_GROUPS}[ram:CategoryCode='E']"
    assert text(tree, f"{exempt}/ram:ExemptionReasonCode") == "VATEX-FR-FRANCHISE"
    assert text(tree, f"{exempt}/ram:ExemptionReason") == "TVA non applicable, art. 293 B du CGI"
    assert not texts(tree, f"{VAT_GROUPS}[ram:CategoryCode!='E']/ram:ExemptionReasonCode")


def test_exempt_line_without_reason_is_refused():
    invoice = samples.invoice(lines=[samples.line(1, rate="0", vat_category=VAT_EXEMPT)])
    assert error_rules(invoice) == {"BR-E-10"}


def test_unknown_vat_category_is_refused():
    assert error_rules(samples.invoice(lines=[samples.line(1, rate="7", vat_category="L")])) == {"FX-VAT-CATEGORY"}


# -- texts -------------------------------------------------------------------------------------


def test_special_characters_survive():
    invoice = samples.invoice(lines=[samples.line(1, name="A & B <c> \"d\" 'e' € é 日本語 Ωμέγα\r\nfin\x07")])
    tree, _findings = build(invoice)
    assert text(tree, "//ram:SpecifiedTradeProduct/ram:Name") == "A & B <c> \"d\" 'e' € é 日本語 Ωμέγα\nfin"


def test_long_texts_are_cut_with_a_warning():
    invoice = samples.invoice(notes=[*samples.invoice().notes, ("AAI", "x" * 2000)])
    invoice.buyer.name = "N" * 150
    tree, findings = build(invoice)
    assert len(text(tree, f"{BUYER}/ram:Name")) == 99
    assert max(len(value) for value in texts(tree, "//ram:IncludedNote/ram:Content")) == 1024
    cut = [finding for finding in findings if finding.rule_id == "CHORUS-LIMIT"]
    assert {(finding.location, finding.params["limit"]) for finding in cut} == {("BT-44", 99), ("BT-22", 1024)}
    assert all(finding.severity == "warning" for finding in cut)


def test_legal_notes_written_by_default_and_not_required():
    tree, _findings = build(samples.invoice())
    assert texts(tree, "//ram:IncludedNote/ram:SubjectCode") == ["PMT", "PMD", "AAB"]
    tree, findings = build(samples.invoice(notes=[("PMD", "Pénalités")]))
    assert not findings
    assert texts(tree, "//ram:IncludedNote/ram:SubjectCode") == ["PMD"]


# -- payment -----------------------------------------------------------------------------------


def test_payment_means_transfer_debit_and_cheque():
    tree, _findings = build(samples.invoice())
    means = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans"
    assert text(tree, f"{means}/ram:TypeCode") == "30"
    assert text(tree, f"{means}/ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == samples.SELLER_IBAN
    assert text(tree, f"{means}/ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID") == samples.SELLER_BIC
    debit = PaymentMeans(
        code=PAYMENT_DIRECT_DEBIT,
        mandate_reference="MANDAT-1",
        creditor_reference="FR12ZZZ123456",
        debited_iban="FR7612345678901234567890123",
    )
    tree, findings = build(samples.invoice(payment_means=debit))
    assert not only_errors(findings)
    assert text(tree, f"{means}/ram:TypeCode") == "49"
    assert text(tree, f"{SETTLEMENT}/ram:CreditorReferenceID") == "FR12ZZZ123456"
    assert text(tree, f"{means}/ram:PayerPartyDebtorFinancialAccount/ram:IBANID") == "FR7612345678901234567890123"
    assert text(tree, f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID") == "MANDAT-1"
    tree, _findings = build(samples.invoice(payment_means=PaymentMeans(code=PAYMENT_CHEQUE)))
    assert text(tree, f"{means}/ram:TypeCode") == "20"
    assert not texts(tree, f"{means}/ram:PayeePartyCreditorFinancialAccount")


def test_payment_means_rules():
    assert error_rules(samples.invoice(payment_means=PaymentMeans())) == {"BR-61"}
    assert error_rules(samples.invoice(payment_means=PaymentMeans(code=PAYMENT_DIRECT_DEBIT))) == {"FX-BT-89"}
    sepa = PaymentMeans(code="58", iban=samples.SELLER_IBAN)
    assert error_rules(samples.invoice(payment_means=sepa)) == {"CHORUS-BT-81"}
    assert error_rules(samples.invoice(payment_means=None)) == {"CHORUS-BT-81"}
    # Chorus Pro refuses a credit note without BT-81 as well.
    assert error_rules(samples.credit_note(payment_means=None)) == {"CHORUS-BT-81"}


def test_installments_and_due_date():
    invoice = samples.invoice(
        due_date=None,
        installments=[(date(2026, 12, 2), Decimal(60)), (date(2027, 1, 2), Decimal(60))],
    )
    tree, findings = build(invoice)
    assert not only_errors(findings)
    terms = f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms"
    assert text(tree, f"{terms}/ram:DueDateDateTime/udt:DateTimeString") == "20270102"
    assert "02/12/2026 : 60.00 EUR" in text(tree, f"{terms}/ram:Description")
    assert error_rules(samples.invoice(due_date=None)) == {"BR-CO-25"}


def test_foreign_currency_needs_vat_in_euro():
    (finding,) = only_errors(build(samples.invoice(currency="USD"))[1])
    assert (finding.rule_id, finding.location, finding.params) == ("BR-53", "BT-111", {"currency": "USD"})
    tree, findings = build(samples.invoice(currency="USD", vat_total_in_eur=Decimal("18.40")))
    assert not only_errors(findings)
    assert text(tree, f"{SETTLEMENT}/ram:TaxCurrencyCode") == "EUR"
    assert texts(tree, f"{SUMMATION}/ram:TaxTotalAmount/@currencyID") == ["USD", "EUR"]


# -- Chorus identifiers and limits -------------------------------------------------------------


def test_invoice_number_limits():
    (finding,) = only_errors(build(samples.invoice(number="F" * 21))[1])
    assert (finding.rule_id, finding.location) == ("CHORUS-BT-1", "BT-1")
    assert finding.message == f"Invoice number {'F' * 21} has 21 characters; Chorus Pro accepts 20 at most."
    assert error_rules(samples.invoice(number="FA 2026 0001")) == {"CHORUS-BT-1"}
    assert not error_rules(samples.invoice(number="F" * 20))
    assert error_rules(samples.invoice(engagement="E" * 51)) == {"CHORUS-LIMIT"}
    assert error_rules(samples.invoice(service_code="FACTURES_PUBLIQUES")) == {"CHORUS-SERVICE"}


@pytest.mark.parametrize(
    ("siret", "problem"),
    [("", "missing"), (samples.SELLER_SIRET[:9], "a SIREN"), ("73282932000075", "bad key")],
)
def test_seller_needs_a_valid_siret(siret, problem):
    invoice = samples.invoice()
    invoice.seller.siret = siret
    (finding,) = only_errors(build(invoice)[1])
    assert (finding.rule_id, finding.location) == ("CHORUS-BT-30", "BT-30"), problem


@pytest.mark.parametrize(
    ("siret", "problem"),
    [("", "missing"), (samples.BUYER_SIRET[:9], "a SIREN"), ("11000201100045", "bad key")],
)
def test_buyer_needs_a_valid_siret(siret, problem):
    invoice = samples.invoice()
    invoice.buyer.siret = siret
    (finding,) = only_errors(build(invoice)[1])
    assert (finding.rule_id, finding.location) == ("CHORUS-BT-47", "BT-47"), problem


# -- findings a French user can read -----------------------------------------------------------


def _marked_templates():
    """Every literal Odoo's extractor collects from ``_lt(...)`` in chorus_core, and the calls it cannot read."""
    literals, unreadable = set(), []
    for path in CHORUS_CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_lt":
                (argument,) = node.args
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    literals.add(argument.value)
                else:
                    unreadable.append(f"{path.name}:{node.lineno}")
    return literals, unreadable


def _invoices_breaking_every_rule():
    buyer_without_siret = samples.public_buyer()
    buyer_without_siret.siret = ""
    buyer_with_siren = samples.public_buyer()
    buyer_with_siren.siret = samples.BUYER_SIRET[:9]
    seller_with_siren = samples.seller()
    seller_with_siren.siret = samples.SELLER_SIRET[:9]
    seller_with_siren.vat_id = ""
    seller_without_siret = samples.seller()
    seller_without_siret.siret = ""
    yield samples.invoice(
        number="FA 2026/0001 trop long",
        type_code="384",
        billing_framework="M1",
        seller=seller_with_siren,
        buyer=buyer_without_siret,
        service_code="FACTURES_PUBLIQUES",
        engagement="E" * 51,
        due_date=None,
        currency="USD",
        payment_means=PaymentMeans(code="58"),
        allowances_charges=[
            AllowanceCharge(is_charge=False, amount=Decimal(1), reason=""),
            AllowanceCharge(is_charge=True, amount=Decimal(1), reason=""),
        ],
        notes=[("AAI", "x" * 2000)],
        lines=[
            samples.line(1, "1.23456", "1.1234567", net_amount=Decimal(50)),
            samples.line(2, rate="0", vat_category=VAT_EXEMPT),
            samples.line(3, rate="0", vat_category="O"),
            samples.line(4, rate="0", vat_category="L"),
            samples.line(5, rate="0"),
            samples.line(6, rate="5", vat_category=VAT_ZERO_RATED, exemption_reason="Motif"),
            samples.line(7, rate="0", vat_category=VAT_ZERO_RATED, exemption_reason="Premier motif"),
            samples.line(8, rate="0", vat_category=VAT_ZERO_RATED, exemption_reason="Second motif"),
        ],
    )
    yield samples.invoice(
        number="FA#1",
        seller=seller_without_siret,
        buyer=buyer_with_siren,
        payment_means=None,
        lines=[samples.line(1), samples.line(2, rate="0", vat_category=VAT_EXEMPT, exemption_reason="Motif")],
        vat_breakdown=[
            VatBreakdown(VAT_STANDARD, Decimal(20), Decimal("1.00"), Decimal("9.00")),
            VatBreakdown(VAT_EXEMPT, Decimal(0), Decimal("200.00"), Decimal("1.00")),
            VatBreakdown(VAT_STANDARD, Decimal(7), Decimal("1.00"), Decimal("0.07")),
        ],
    )
    yield samples.rounded_per_line(vat_breakdown=[])
    yield samples.credit_note(preceding_invoice="", payment_means=PaymentMeans(code=PAYMENT_DIRECT_DEBIT))
    yield samples.credit_note(preceding_invoice="AV 1")
    yield samples.credit_note(preceding_invoice="F" * 21)
    yield samples.invoice(lines=[], payment_means=PaymentMeans(code="30"))
    yield samples.already_paid(due_date=None, prepaid_amount=Decimal(0))
    unpaid = samples.already_paid()
    unpaid.prepaid_amount = Decimal(0)
    yield unpaid


def test_every_builder_finding_is_a_marked_template_with_plain_params():
    literals, unreadable = _marked_templates()
    assert not unreadable, f"_lt() must get one literal string (Odoo's extractor skips the others): {unreadable}"
    findings = [finding for invoice in _invoices_breaking_every_rule() for finding in build(invoice)[1]]
    # Each template of the builder shows up here once at least, and only marked templates do.
    assert {finding.template for finding in findings} == literals
    for finding in findings:
        assert set(re.findall(r"%\((\w+)\)s", finding.template)) == set(finding.params), finding
        assert all(isinstance(value, (str, int)) for value in finding.params.values()), finding
        assert finding.message == finding.template % finding.params
        assert "%(" not in finding.message


def test_a_validator_message_is_its_own_template():
    finding = Finding("XSD", ERROR, "Element 'ram:TypeCode': 100 % wrong", "line 3")
    assert (finding.template, finding.params, finding.message) == (
        finding.message,
        {},
        "Element 'ram:TypeCode': 100 % wrong",
    )
    assert str(finding) == "[error] XSD at line 3: Element 'ram:TypeCode': 100 % wrong"
    assert hash(finding) == hash(Finding("XSD", ERROR, "Element 'ram:TypeCode': 100 % wrong", "line 3"))
