"""Unit codes from Odoo UoMs, VATEX reasons, default legal notes."""

import pytest

from chorus_core.facturx.codelists import (
    DEFAULT_LEGAL_NOTES,
    MANDATORY_NOTE_SUBJECTS,
    VATEX_REASONS,
    rec20_unit_code,
    vatex_reason,
)
from chorus_core.facturx.model import default_legal_notes


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
    assert [subject for subject, _text in notes] == list(MANDATORY_NOTE_SUBJECTS)
    assert "40 €" in DEFAULT_LEGAL_NOTES["PMT"]
    assert notes is not default_legal_notes()  # each invoice gets its own list
