"""Sample invoices for Chorus Pro: the pure tests build on them, demo data and the sandbox can too.

Identifiers are valid but fictitious (Luhn-valid SIRETs, matching VAT keys); the buyer is a
public entity identified by its SIRET, with no VAT number, as most public buyers are.
Every sample passes the Factur-X XSD and the EN 16931 Schematron with no error.
"""

from datetime import date
from decimal import Decimal

from .amounts import compute_totals
from .codelists import FRAMEWORK_ALREADY_PAID, TYPE_CREDIT_NOTE, VAT_STANDARD
from .model import Address, Invoice, Line, Party, PaymentMeans, VatBreakdown

SELLER_SIRET = "73282932000074"
SELLER_VAT = "FR44732829320"
BUYER_SIRET = "11000201100044"
SELLER_IBAN = "FR7630006000011234567890189"
SELLER_BIC = "AGRIFRPP"


def seller():
    return Party(
        name="Atelier Numérique SARL",
        address=Address(line1="12 rue de la Paix", postcode="75002", city="Paris"),
        siret=SELLER_SIRET,
        vat_id=SELLER_VAT,
        email="facturation@atelier-numerique.example",
    )


def public_buyer():
    return Party(
        name="Direction régionale des finances publiques",
        address=Address(line1="1 place de la République", postcode="69001", city="Lyon"),
        siret=BUYER_SIRET,
    )


def transfer():
    return PaymentMeans(iban=SELLER_IBAN, bic=SELLER_BIC, account_name="Atelier Numérique")


def line(line_id, quantity="1", price="100.00", rate="20", **values):
    return Line(
        id=str(line_id),
        name=values.pop("name", f"Prestation {line_id}"),
        quantity=Decimal(quantity),
        unit_price=Decimal(price),
        vat_rate=Decimal(rate) if rate is not None else None,
        **values,
    )


def invoice(lines=None, **values):
    """A plain invoice (cadre A1) to a public buyer, paid by transfer in 30 days."""
    values.setdefault("number", "FA-2026-0001")
    values.setdefault("issue_date", date(2026, 11, 2))
    values.setdefault("due_date", date(2026, 12, 2))
    values.setdefault("payment_means", transfer())
    values.setdefault("service_code", "SERVICE-ACHATS")
    return Invoice(
        seller=values.pop("seller", None) or seller(),
        buyer=values.pop("buyer", None) or public_buyer(),
        lines=lines if lines is not None else [line(1)],
        **values,
    )


def credit_note(**values):
    values.setdefault("number", "AV-2026-0001")
    values.setdefault("type_code", TYPE_CREDIT_NOTE)
    values.setdefault("preceding_invoice", "FA-2026-0001")
    values.setdefault("preceding_invoice_date", date(2026, 11, 2))
    return invoice(**values)


def already_paid(**values):
    """Cadre A2: the whole total is paid, and the due date is the day it was paid."""
    values.setdefault("billing_framework", FRAMEWORK_ALREADY_PAID)
    values.setdefault("due_date", date(2026, 10, 30))
    paid = invoice(**values)
    paid.prepaid_amount = compute_totals(paid)[0].grand_total
    return paid


def with_references(**values):
    """To a buyer that requires both its service code (BT-10) and the engagement number (BT-13)."""
    values.setdefault("service_code", "SERV-EXEC-01")
    values.setdefault("engagement", "EJ-2026-004217")
    values.setdefault("contract", "MARCHE-2026-17")
    return invoice(**values)


def rounded_per_line(**values):
    """Three lines of 10.25 at 5.5 %, with the VAT its host rounded per line: 3 x 0.56 = 1.68.

    Rounding the group instead would give 1.69 (30.75 x 5.5 % = 1.69125): the Factur-X must say 1.68,
    what the printed invoice says.
    """
    rate = Decimal("5.5")
    lines = [line(index, "1", "10.25", rate=str(rate), net_amount=Decimal("10.25")) for index in (1, 2, 3)]
    values.setdefault("vat_breakdown", [VatBreakdown(VAT_STANDARD, rate, Decimal("30.75"), Decimal("1.68"))])
    return invoice(lines=lines, **values)
