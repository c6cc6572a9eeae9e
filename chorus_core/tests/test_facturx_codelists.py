"""Unit codes from Odoo UoMs, VATEX reasons, default legal notes, Chorus billing frameworks."""

import pytest

from chorus_core.facturx.codelists import (
    CHORUS_FRAMEWORKS,
    DEFAULT_LEGAL_NOTES,
    VATEX_REASONS,
    rec20_unit_code,
    vatex_reason,
)
from chorus_core.facturx.model import Invoice, default_legal_notes


@pytest.mark.parametrize(
    ("odoo_uom", "rec20"),
    [
        ("Units", "C62"),
        ("Hours", "HUR"),
        ("Days", "DAY"),
        ("kg", "KGM"),
        ("L", "LTR"),
        ("m²", "MTK"),
        ("uom.product_uom_hour", "HUR"),
        ("KGM", "KGM"),  # already Rec 20
        ("", "C62"),
        (None, "C62"),
        ("Palettes de 12", "C62"),
    ],
)
def test_rec20_unit_code(odoo_uom, rec20):
    assert rec20_unit_code(odoo_uom) == rec20


def test_vatex_reasons():
    assert vatex_reason("VATEX-EU-AE") == "Autoliquidation"
    assert vatex_reason("VATEX-FR-FRANCHISE").endswith("293 B du CGI")
    assert vatex_reason("VATEX-UNKNOWN") == ""
    assert all(code.startswith("VATEX-") for code in VATEX_REASONS)


def test_default_notes_are_the_french_legal_ones():
    notes = default_legal_notes()
    assert [subject for subject, _text in notes] == ["PMT", "PMD", "AAB"]
    assert "40 €" in DEFAULT_LEGAL_NOTES["PMT"]
    assert notes is not default_legal_notes()  # each invoice gets its own list


def test_chorus_frameworks_are_a1_to_a25():
    assert {"A1", "A2", "A9", "A12", "A25"} <= CHORUS_FRAMEWORKS
    assert len(CHORUS_FRAMEWORKS) == 25
    # The 2026 billing modes (S1, B1, M1 ...) are not Chorus frameworks: Chorus Pro rejects them in BT-23.
    assert not {"A0", "A26", "S1", "B1", "M1", "A01"} & CHORUS_FRAMEWORKS


def test_an_invoice_is_an_a1_unless_told():
    assert Invoice(number="F1", issue_date=None, seller=None, buyer=None, lines=[]).billing_framework == "A1"
