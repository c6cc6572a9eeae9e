"""Text and number forms the Factur-X XML uses (EN 16931 syntax, within the Chorus Pro limits)."""

import re
from decimal import ROUND_HALF_UP, Decimal

# Characters XML 1.0 cannot carry at all; they come from pasted text and would make lxml raise.
XML_ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Chorus Pro keeps amounts as decimal(19,6) and an invoiced quantity in at most 10 digits (§7.3).
PRICE_QUANTUM = Decimal("0.000001")  # at most 6 decimals
QUANTITY_QUANTUM = Decimal("0.0001")  # at most 4 decimals, 6 digits left for the whole part
ZERO = Decimal(0)


def clean_text(value):
    """Text fit for XML: one kind of line break, no character XML 1.0 forbids. lxml escapes the rest."""
    return XML_ILLEGAL_CHARACTERS.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))


def format_amount(value):
    # Adding zero turns a rounded -0.00 into 0.00.
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) + ZERO)


def format_rate(value):
    return f"{Decimal(value):.2f}"


def _format_decimal(value, quantum, min_places):
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP) + ZERO:f}"
    whole, _dot, decimals = text.partition(".")
    decimals = decimals.rstrip("0").ljust(min_places, "0")
    return f"{whole}.{decimals}" if decimals else whole


def format_price(value):
    return _format_decimal(value, PRICE_QUANTUM, 2)


def format_quantity(value):
    return _format_decimal(value, QUANTITY_QUANTUM, 0)


def format_date(value):
    return value.strftime("%Y%m%d")
