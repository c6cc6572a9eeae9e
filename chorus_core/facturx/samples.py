"""Sample invoices for Chorus Pro: the pure tests build on them, demo data and the sandbox can too.

Identifiers are valid but fictitious (Luhn-valid SIRETs, matching VAT keys); the buyer is a
public entity identified by its SIRET, with no VAT number, as most public buyers are.
"""

from datetime import date
from decimal import Decimal

from .codelists import TYPE_CREDIT_NOTE
from .model import Address, Invoice, Line, Party, PaymentMeans

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
    """A plain A1 services invoice to a public buyer, paid by transfer in 30 days."""
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
