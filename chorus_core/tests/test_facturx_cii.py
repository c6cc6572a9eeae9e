"""What the CII builder writes where, and the rules it reports while building."""

from datetime import date
from decimal import Decimal

from lxml import etree

from chorus_core.facturx import samples
from chorus_core.facturx.cii import NSMAP, build_cii
from chorus_core.facturx.codelists import (
    FRAMEWORK_ALREADY_PAID,
    FRAMEWORK_SUBCONTRACTOR,
    PAYMENT_CHEQUE,
    PAYMENT_DIRECT_DEBIT,
    SCHEME_EMAIL,
    SCHEME_FRENCH_DIRECTORY,
    SUPPLY_GOODS,
    VAT_EXEMPT,
    VAT_ZERO_RATED,
)
from chorus_core.facturx.findings import only_errors
from chorus_core.facturx.model import ElectronicAddress, PaymentMeans

AGREEMENT = "//ram:ApplicableHeaderTradeAgreement"
SETTLEMENT = "//ram:ApplicableHeaderTradeSettlement"
SUMMATION = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"


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


def test_siret_schemes_follow_french_2026_rules():
    tree, _findings = build(samples.invoice())
    seller = f"{AGREEMENT}/ram:SellerTradeParty"
    buyer = f"{AGREEMENT}/ram:BuyerTradeParty"
    # Seller: SIRET in BT-29 under ICD 0009, its SIREN in BT-30 under 0002 (BR-FR-09, BR-FR-10).
    assert text(tree, f"{seller}/ram:GlobalID[@schemeID='0009']") == samples.SELLER_SIRET
    assert text(tree, f"{seller}/ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0002']") == samples.SELLER_SIRET[:9]
    # Buyer: BT-47 is its SIRET under 0009, the identifier Chorus Pro routes on.
    assert text(tree, f"{buyer}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID") == "0009"
    assert text(tree, f"{buyer}/ram:SpecifiedLegalOrganization/ram:ID") == samples.BUYER_SIRET
    # BR-FR-32: never a 14-digit SIRET under 0002.
    assert all(len(value) == 9 for value in texts(tree, "//*[@schemeID='0002']"))
    assert text(tree, f"{seller}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']") == samples.SELLER_VAT


def test_electronic_addresses_default_to_siret():
    tree, _findings = build(samples.invoice())
    assert text(tree, f"{AGREEMENT}/ram:SellerTradeParty/ram:URIUniversalCommunication/ram:URIID[@schemeID='0009']")
    assert text(tree, f"{AGREEMENT}/ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID") == samples.BUYER_SIRET


def test_electronic_address_given_is_kept_and_email_is_refused():
    invoice = samples.invoice()
    invoice.buyer.electronic_address = ElectronicAddress("110002011_SERVICE", SCHEME_FRENCH_DIRECTORY)
    tree, findings = build(invoice)
    assert text(tree, f"{AGREEMENT}/ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID") == "110002011_SERVICE"
    assert not only_errors(findings)
    invoice.buyer.electronic_address = ElectronicAddress("achats@mairie.example", SCHEME_EMAIL)
    assert "BR-FR-23" in rules(build(invoice)[1])


def test_routing_fields():
    invoice = samples.invoice(service_code="SERV-01", engagement="EJ-0042", contract="MARCHE-7")
    tree, findings = build(invoice)
    assert not only_errors(findings)
    assert text(tree, f"{AGREEMENT}/ram:BuyerReference") == "SERV-01"
    assert text(tree, f"{AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID") == "EJ-0042"
    assert text(tree, f"{AGREEMENT}/ram:ContractReferencedDocument/ram:IssuerAssignedID") == "MARCHE-7"
    assert text(tree, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == "urn:cen.eu:en16931:2017"


def test_no_engagement_is_invented():
    invoice = samples.invoice(service_code="", engagement="", contract="", payment_reference="")
    tree, _findings = build(invoice)
    assert not texts(tree, "//ram:BuyerOrderReferencedDocument")
    assert not texts(tree, "//ram:ContractReferencedDocument")
    assert not texts(tree, "//ram:BuyerReference")
    # The invoice number appears once, as BT-1, and nowhere a fallback could put it.
    assert texts(tree, f"//*[text()='{invoice.number}']") == [invoice.number]


def test_billing_mode_from_chorus_framework():
    assert text(build(samples.invoice())[0], "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") == "S1"
    goods = samples.invoice(supply_kind=SUPPLY_GOODS)
    assert text(build(goods)[0], "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") == "B1"
    paid = samples.invoice(billing_framework=FRAMEWORK_ALREADY_PAID)
    paid_tree, paid_findings = build(paid)
    assert text(paid_tree, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") == "S2"
    assert "BR-FR-CO-09" in rules(paid_findings)  # paid, yet nothing is marked as prepaid
    subcontractor = samples.invoice(billing_framework=FRAMEWORK_SUBCONTRACTOR)
    assert "BR-FR-08" in rules(only_errors(build(subcontractor)[1]))
    explicit = samples.invoice(billing_framework=FRAMEWORK_SUBCONTRACTOR, billing_mode="S6")
    assert text(build(explicit)[0], "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") == "S6"


def test_credit_note_positive_with_preceding_invoice():
    tree, findings = build(samples.credit_note(lines=[samples.line(1, "2", "50")]))
    assert not only_errors(findings)
    assert text(tree, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    reference = f"{SETTLEMENT}/ram:InvoiceReferencedDocument"
    assert text(tree, f"{reference}/ram:IssuerAssignedID") == "FA-2026-0001"
    assert text(tree, f"{reference}/ram:FormattedIssueDateTime/qdt:DateTimeString") == "20261102"
    assert text(tree, f"{SUMMATION}/ram:GrandTotalAmount") == "120.00"
    assert all(Decimal(value) >= 0 for value in texts(tree, "//ram:*[contains(local-name(), 'Amount')]"))


def test_credit_note_without_preceding_invoice_is_refused():
    findings = build(samples.credit_note(preceding_invoice="", preceding_invoice_date=None))[1]
    assert "BR-FR-CO-05" in rules(only_errors(findings))


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
    groups = tree.xpath(f"{SETTLEMENT}/ram:ApplicableTradeTax", namespaces=NSMAP)
    for group in groups:  # BR-CO-17
        basis = Decimal(group.findtext("ram:BasisAmount", namespaces=NSMAP))
        rate = Decimal(group.findtext("ram:RateApplicablePercent", namespaces=NSMAP))
        tax = Decimal(group.findtext("ram:CalculatedAmount", namespaces=NSMAP))
        assert tax == (basis * rate / 100).quantize(Decimal("0.01"))
    assert tax_total == sum(Decimal(g.findtext("ram:CalculatedAmount", namespaces=NSMAP)) for g in groups)  # BR-CO-14
    assert grand_total == tax_basis + tax_total  # BR-CO-15
    assert due == grand_total - Decimal("10.00")  # BR-CO-16


def test_line_discount_is_a_line_allowance():
    tree, _findings = build(samples.invoice(lines=[samples.line(1, "3", "150.00", discount_percent=Decimal(10))]))
    allowance = "//ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
    assert text(tree, f"{allowance}/ram:ChargeIndicator/udt:Indicator") == "false"
    assert text(tree, f"{allowance}/ram:CalculationPercent") == "10.00"
    assert text(tree, f"{allowance}/ram:BasisAmount") == "450.00"
    assert text(tree, f"{allowance}/ram:ActualAmount") == "45.00"
    assert text(tree, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount") == "405.00"


def test_negative_price_becomes_negative_quantity():
    tree, _findings = build(samples.invoice(lines=[samples.line(1, "2", "100"), samples.line(2, "1", "-30")]))
    assert texts(tree, "//ram:NetPriceProductTradePrice/ram:ChargeAmount") == ["100.00", "30.00"]
    assert texts(tree, "//ram:BilledQuantity") == ["2", "-1"]
    assert text(tree, f"{SUMMATION}/ram:LineTotalAmount") == "170.00"


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
    exempt = f"{SETTLEMENT}/ram:ApplicableTradeTax[ram:CategoryCode='E']"
    assert text(tree, f"{exempt}/ram:ExemptionReasonCode") == "VATEX-FR-FRANCHISE"
    assert text(tree, f"{exempt}/ram:ExemptionReason") == "TVA non applicable, art. 293 B du CGI"
    assert not texts(tree, f"{SETTLEMENT}/ram:ApplicableTradeTax[ram:CategoryCode!='E']/ram:ExemptionReasonCode")


def test_exempt_line_without_reason_is_refused():
    invoice = samples.invoice(lines=[samples.line(1, rate="0", vat_category=VAT_EXEMPT)])
    assert "BR-E-10" in rules(only_errors(build(invoice)[1]))


def test_special_characters_survive():
    invoice = samples.invoice(lines=[samples.line(1, name="A & B <c> \"d\" 'e' € é 日本語 Ωμέγα\r\nfin\x07")])
    tree, _findings = build(invoice)
    assert text(tree, "//ram:SpecifiedTradeProduct/ram:Name") == "A & B <c> \"d\" 'e' € é 日本語 Ωμέγα\nfin"


def test_long_texts_are_cut_with_a_warning():
    invoice = samples.invoice(notes=[*samples.invoice().notes, ("AAI", "x" * 2000)])
    invoice.buyer.name = "N" * 150
    tree, findings = build(invoice)
    assert len(text(tree, f"{AGREEMENT}/ram:BuyerTradeParty/ram:Name")) == 99
    assert max(len(value) for value in texts(tree, "//ram:IncludedNote/ram:Content")) == 1024
    cut = [finding for finding in findings if finding.rule_id == "CHORUS-LIMIT"]
    assert {finding.location for finding in cut} == {"BT-44", "BT-22"}
    assert all(finding.severity == "warning" for finding in cut)


def test_legal_notes_written_and_required():
    tree, _findings = build(samples.invoice())
    assert texts(tree, "//ram:IncludedNote/ram:SubjectCode") == ["PMT", "PMD", "AAB"]
    findings = build(samples.invoice(notes=[("PMD", "Pénalités")]))[1]
    assert sum(finding.rule_id == "BR-FR-05" for finding in findings) == 2


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
    assert "BR-61" in rules(build(samples.invoice(payment_means=PaymentMeans()))[1])


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
    assert "BR-CO-25" in rules(build(samples.invoice(due_date=None))[1])


def test_foreign_currency_needs_vat_in_euro():
    assert "BR-FR-CO-12" in rules(build(samples.invoice(currency="USD"))[1])
    tree, findings = build(samples.invoice(currency="USD", vat_total_in_eur=Decimal("18.40")))
    assert not only_errors(findings)
    assert text(tree, f"{SETTLEMENT}/ram:TaxCurrencyCode") == "EUR"
    assert texts(tree, f"{SUMMATION}/ram:TaxTotalAmount/@currencyID") == ["USD", "EUR"]


def test_chorus_identifier_limits():
    assert "BR-FR-01/02" in rules(build(samples.invoice(number="FA 2026 0001"))[1])
    assert "BR-FR-01/02" in rules(build(samples.invoice(number="F" * 21))[1])
    assert "CHORUS-LIMIT" in rules(build(samples.invoice(engagement="E" * 51))[1])
    no_siret = samples.invoice()
    no_siret.buyer.siret = ""
    assert "CHORUS-BT-47" in rules(build(no_siret)[1])
