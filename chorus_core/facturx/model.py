"""Plain data describing an invoice for Chorus Pro, as the Odoo side maps it from ``account.move``.

Amounts are ``Decimal`` in the invoice currency, positive for credit notes as well (BT-3 381
carries the sign).

The Factur-X must state to the cent what the printed invoice states. So the host gives its own
figures when it has them: ``Line.net_amount`` (BT-131) and ``Invoice.vat_breakdown`` (BG-23, the
host's tax computation with its rounding method); the builder writes them and sums them for the
header totals. Without them (samples, tests) the builder computes the amounts itself.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .codelists import (
    DEFAULT_LEGAL_NOTES,
    FRAMEWORK_SUPPLIER_INVOICE,
    PAYMENT_CREDIT_TRANSFER,
    TYPE_INVOICE,
    UNIT_ONE,
    VAT_STANDARD,
)

ZERO = Decimal(0)


def default_legal_notes():
    """The three legal mentions of a French business invoice (PMT, PMD, AAB), with the usual wording."""
    return list(DEFAULT_LEGAL_NOTES.items())


@dataclass
class Address:
    line1: str = ""
    line2: str = ""
    line3: str = ""
    postcode: str = ""
    city: str = ""
    country_code: str = "FR"
    subdivision: str = ""


@dataclass
class ElectronicAddress:
    """BT-34 / BT-49 with its EAS scheme (``0009`` SIRET, ``0225`` French directory, ``EM`` e-mail)."""

    value: str
    scheme: str


@dataclass
class Party:
    """Seller (BG-4) or buyer (BG-7).

    ``siret`` is the 14-digit establishment number: Chorus identifies both parties by it, in
    BT-30 / BT-47 under ICD 0002. Without ``electronic_address`` the builder uses the SIRET
    under scheme 0009.
    """

    name: str
    address: Address = field(default_factory=Address)
    siret: str = ""
    vat_id: str = ""
    electronic_address: ElectronicAddress | None = None
    email: str = ""
    contact_name: str = ""
    phone: str = ""
    trading_name: str = ""


@dataclass
class ShipTo:
    """BG-13, where the goods or services went: the deliver-to name (BT-70) and address (BG-15)."""

    name: str
    address: Address = field(default_factory=Address)


@dataclass
class PaymentMeans:
    """BG-16. ``code`` from UNTDID 4461: 30 transfer, 49 direct debit, 20 cheque, 10 cash, 57, 1."""

    code: str = PAYMENT_CREDIT_TRANSFER
    iban: str = ""  # BT-84, account to pay into
    bic: str = ""  # BT-86
    account_name: str = ""  # BT-85
    information: str = ""  # BT-82
    mandate_reference: str = ""  # BT-89, direct debit
    creditor_reference: str = ""  # BT-90, SEPA creditor identifier
    debited_iban: str = ""  # BT-91, the buyer's account debited


@dataclass
class Line:
    """BG-25. ``unit_price`` is the gross price (BT-148); a discount becomes a line allowance (BG-27).

    ``net_amount`` is the host's line amount without VAT (BT-131): written as is when given.
    """

    id: str
    name: str
    quantity: Decimal
    unit_price: Decimal
    vat_category: str = VAT_STANDARD
    vat_rate: Decimal | None = Decimal(20)
    unit_code: str = UNIT_ONE
    description: str = ""
    discount_percent: Decimal | None = None
    discount_amount: Decimal | None = None
    net_amount: Decimal | None = None
    exemption_reason_code: str = ""
    exemption_reason: str = ""
    seller_item_id: str = ""


@dataclass
class AllowanceCharge:
    """Document-level allowance (BG-20) or charge (BG-21)."""

    is_charge: bool
    amount: Decimal
    reason: str
    reason_code: str = ""
    vat_category: str = VAT_STANDARD
    vat_rate: Decimal | None = Decimal(20)


@dataclass
class VatBreakdown:
    """One VAT breakdown (BG-23) as the host computed it: the category and rate of its lines.

    The exemption reason (BT-120/121) is not given here: the builder takes it from the lines.
    """

    category: str  # BT-118
    rate: Decimal | None  # BT-119, None for category O
    basis: Decimal  # BT-116, the lines' nets minus allowances plus charges of this category and rate
    tax: Decimal  # BT-117


@dataclass
class Invoice:
    number: str  # BT-1
    issue_date: date  # BT-2
    seller: Party
    buyer: Party
    lines: list[Line]
    type_code: str = TYPE_INVOICE  # BT-3
    currency: str = "EUR"  # BT-5
    due_date: date | None = None  # BT-9
    payment_terms: str = ""  # BT-20
    installments: list[tuple[date, Decimal]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=default_legal_notes)  # BG-1 (subject code, text)
    service_code: str = ""  # BT-10, Chorus "code service exécutant"
    engagement: str = ""  # BT-13, Chorus "engagement juridique"
    contract: str = ""  # BT-12, Chorus "numéro de marché"
    billing_framework: str = FRAMEWORK_SUPPLIER_INVOICE  # BT-23, Chorus "cadre de facturation" (A1, A2, A9, A12)
    preceding_invoice: str = ""  # BT-25
    preceding_invoice_date: date | None = None  # BT-26
    payment_means: PaymentMeans | None = None
    allowances_charges: list[AllowanceCharge] = field(default_factory=list)
    prepaid_amount: Decimal = ZERO  # BT-113, already paid when sent; BT-115 is the rest
    delivery_date: date | None = None  # BT-72
    ship_to: ShipTo | None = None  # BG-13
    payment_reference: str = ""  # BT-83
    vat_total_in_eur: Decimal | None = None  # BT-111, required when the currency is not EUR (BR-53)
    vat_on_payment: bool = False  # VAT due when paid ("TVA sur les encaissements"), not when invoiced
    # BG-23 as the host computed it (its rounding, per line or global); None: the builder computes it.
    vat_breakdown: list[VatBreakdown] | None = None
