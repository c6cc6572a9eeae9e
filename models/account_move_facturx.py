"""Factur-X of an invoice: ``account.move`` mapped to the pure data model, then the core builds XML and PDF.

The mapping reads whole recordsets (lines, products, units, taxes) through the ORM prefetch and
asks for xml ids in one query per model, so the number of queries does not grow with the lines.
"""

from decimal import Decimal

from odoo import models
from odoo.tools import html2plaintext

from ..chorus_core.facturx.cii import build_cii
from ..chorus_core.facturx.codelists import (
    PAYMENT_CHEQUE,
    PAYMENT_CREDIT_TRANSFER,
    PAYMENT_DIRECT_DEBIT,
    PAYMENT_NOT_DEFINED,
    TYPE_CREDIT_NOTE,
    TYPE_INVOICE,
    VAT_NOT_SUBJECT,
    rec20_unit_code,
)
from ..chorus_core.facturx.model import (
    Address,
    Invoice,
    Line,
    Party,
    PaymentMeans,
    ShipTo,
    VatBreakdown,
    default_legal_notes,
)
from ..chorus_core.facturx.pdf import deposit_file_name, make_facturx_pdf
from .account_move_preflight import CUSTOMER_MOVE_TYPES
from .chorus_facturx_vat import OUT_OF_SCOPE_REASON, SUPPLY_GOODS, SUPPLY_SERVICES, line_vat

INVOICE_REPORT = "account.account_invoices"
PAYMENT_MEANS_BY_MODE = {
    "transfer": PAYMENT_CREDIT_TRANSFER,
    "direct_debit": PAYMENT_DIRECT_DEBIT,
    "cheque": PAYMENT_CHEQUE,
    "other": PAYMENT_NOT_DEFINED,
}
# Odoo 18 product types: goods are "consu" (storable or not), "combo" is sold as goods as well.
GOODS_PRODUCT_TYPES = ("consu", "combo")
PERCENT_TAX_TYPES = ("percent", "division")


def _decimal(value):
    # Through str(): the float's shortest form, not its binary expansion.
    return Decimal(str(value or 0))


class AccountMove(models.Model):
    _inherit = "account.move"

    # -- public API ---------------------------------------------------------------------------

    def chorus_facturx_xml(self):
        """The Factur-X EN 16931 XML (bytes) of this invoice, as sent to Chorus Pro."""
        self.check_access("read")
        return self._chorus_facturx_build()[0]

    def chorus_facturx_pdf(self):
        """The printed invoice (``account.account_invoices``) as a Factur-X PDF/A-3 holding our XML."""
        self.ensure_one()
        self.check_access("read")
        pdf, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(INVOICE_REPORT, self.ids)
        return self._chorus_facturx_embed(pdf)

    def _chorus_facturx_file_name(self):
        """The name of the Factur-X deposited on Chorus Pro (``nomFichier``)."""
        self.ensure_one()
        return deposit_file_name(self.name)

    # -- building -----------------------------------------------------------------------------

    def _chorus_facturx_build(self):
        """``(xml_bytes, findings)`` from the core builder."""
        self.ensure_one()
        return build_cii(self._chorus_facturx_invoice())

    def _chorus_facturx_in_report(self):
        """Whether the printed invoice carries our Factur-X: a posted customer document to a Chorus buyer."""
        self.ensure_one()
        return (
            self.state == "posted"
            and self.move_type in CUSTOMER_MOVE_TYPES
            and self.commercial_partner_id.chorus_is_public_buyer
        )

    def _chorus_facturx_embed(self, pdf_bytes, xml=None):
        """Our XML (built when not given) and the Chorus attachments embedded in a printed invoice, made PDF/A-3.

        The one place where a PDF of ours is made: Send & Print's hook and ``chorus_facturx_pdf`` call it.
        """
        self.ensure_one()
        attachments = tuple(
            (attachment.name, attachment.raw, attachment.mimetype, attachment.name)
            for attachment in self.chorus_attachment_ids
        )
        return make_facturx_pdf(
            pdf_bytes,
            xml or self.chorus_facturx_xml(),
            attachments=attachments,
            title=self.name,
            author=self.company_id.name,
            subject=self.name,
        )

    # -- mapping ------------------------------------------------------------------------------

    def _chorus_facturx_invoice(self):
        """The ``chorus_core.facturx.model.Invoice`` of this move."""
        self.ensure_one()
        is_credit_note = self.move_type == "out_refund"
        lines, vat_keys = self._chorus_facturx_lines()
        installments = self._chorus_facturx_installments()
        origin = self.reversed_entry_id
        notes = default_legal_notes()
        narration = html2plaintext(self.narration or "").strip()
        if narration:
            notes.append(("", narration))
        currency = self.currency_id.name
        return Invoice(
            number=self.name,
            issue_date=self.invoice_date or self.date,
            seller=self._chorus_facturx_seller(),
            buyer=self._chorus_facturx_party(self.commercial_partner_id),
            lines=lines,
            type_code=TYPE_CREDIT_NOTE if is_credit_note else TYPE_INVOICE,
            currency=currency,
            due_date=self.invoice_date_due,
            payment_terms=self.invoice_payment_term_id.name or "",
            installments=installments if len(installments) > 1 else [],
            notes=notes,
            service_code=self.buyer_reference or "",
            # Only the engagement number entered: never the invoice number or its reference instead.
            engagement=self.purchase_order_reference or "",
            contract=self.contract_reference or "",
            billing_framework=self.chorus_billing_framework or "A1",
            preceding_invoice=(origin.name or "") if is_credit_note else "",
            preceding_invoice_date=origin.invoice_date if is_credit_note else None,
            # Chorus Pro refuses any document without BT-81, credit notes included (chorus-pro-api.md §6.2, §7.3).
            payment_means=self._chorus_facturx_payment_means(),
            prepaid_amount=self._chorus_facturx_paid_amount(),
            delivery_date=self.delivery_date or None,
            ship_to=self._chorus_facturx_ship_to(),
            payment_reference=self.payment_reference or "",
            vat_on_payment=any(tax.tax_exigibility == "on_payment" for tax in self.invoice_line_ids.tax_ids),
            vat_total_in_eur=(
                _decimal(abs(self.amount_tax_signed))
                if currency != "EUR" and self.company_currency_id.name == "EUR"
                else None
            ),
            vat_breakdown=self._chorus_facturx_vat_breakdown(vat_keys),
        )

    def _chorus_facturx_seller(self):
        company = self.company_id
        party = self._chorus_facturx_party(company.partner_id)
        party.name = company.name
        party.siret = company.siret or ""
        party.vat_id = company.vat or ""
        return party

    @staticmethod
    def _chorus_facturx_party(partner):
        return Party(
            name=partner.name or "",
            address=Address(
                line1=partner.street or "",
                line2=partner.street2 or "",
                postcode=partner.zip or "",
                city=partner.city or "",
                country_code=partner.country_id.code or "FR",
            ),
            siret=partner.siret or "",
            vat_id=partner.vat or "",
            email=partner.email or "",
            phone=partner.phone or "",
        )

    def _chorus_facturx_lines(self):
        """``([Line], {move line id: (VAT category, rate)})``: the product lines in their order, and their VAT keys."""
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        uom_xmlids = lines.product_uom_id._get_external_ids()
        taxes = lines.tax_ids
        tax_xmlids = taxes._get_external_ids()
        # The tax extension module lets an accountant set the category and VATEX code on the tax itself.
        explicit = "ubl_cii_tax_category_code" in taxes._fields
        position_xmlid = (next(iter(self.fiscal_position_id._get_external_ids().values()), None) or [""])[0]
        seller_country = self.company_id.account_fiscal_country_id.code or self.company_id.country_id.code
        buyer_country = self.commercial_partner_id.country_id.code or seller_country
        eea_countries = self.env.ref("base.europe").country_ids.mapped("code")
        # The VAT of a line depends only on its taxes and on what it sells: worked out once per combination.
        vat_by_taxes = {}

        def vat_of(line_taxes, kind):
            cache_key = (tuple(line_taxes.ids), kind)
            if cache_key in vat_by_taxes:
                return vat_by_taxes[cache_key]
            tax = line_taxes.filtered(lambda t: t.amount_type in PERCENT_TAX_TYPES)[:1]
            rate = _decimal(tax.amount)
            category, vatex, reason = line_vat(
                rate,
                tax_text=" ".join(filter(None, (tax.name, tax.invoice_label))),
                tax_xmlid=(tax_xmlids.get(tax.id) or [""])[0],
                explicit_category=tax.ubl_cii_tax_category_code if explicit and tax else "",
                explicit_vatex=tax.ubl_cii_tax_exemption_reason_code if explicit and tax else "",
                fiscal_position_xmlid=position_xmlid,
                supply_kind=kind,
                seller_country=seller_country,
                buyer_country=buyer_country,
                eea_countries=eea_countries,
            )
            if not line_taxes and self.chorus_interest_claimed_ids:
                # A claim of late-payment interest: outside the scope of VAT (the builder then leaves out the
                # VAT identifiers, BR-O-02).
                category, vatex, reason = VAT_NOT_SUBJECT, "", OUT_OF_SCOPE_REASON
            price_include = any(line_taxes.mapped("price_include"))
            vat_by_taxes[cache_key] = (rate, category, vatex, reason, price_include)
            return vat_by_taxes[cache_key]

        result, vat_keys = [], {}
        for index, line in enumerate(lines, start=1):
            kind = SUPPLY_GOODS if line.product_id.type in GOODS_PRODUCT_TYPES else SUPPLY_SERVICES
            rate, category, vatex, reason, price_include = vat_of(line.tax_ids, kind)
            vat_keys[line.id] = (category, rate)
            uom = line.product_uom_id
            name, _sep, description = (line.name or line.product_id.name or "").strip().partition("\n")
            result.append(
                Line(
                    id=str(index),
                    name=name.strip() or line.product_id.name or "-",
                    description=description.strip(),
                    quantity=_decimal(line.quantity),
                    unit_price=self._chorus_facturx_unit_price(line, price_include),
                    unit_code=rec20_unit_code((uom_xmlids.get(uom.id) or [""])[0] or uom.name),
                    vat_category=category,
                    vat_rate=rate,
                    exemption_reason_code=vatex,
                    exemption_reason=reason,
                    discount_percent=_decimal(line.discount) if line.discount else None,
                    net_amount=_decimal(line.price_subtotal),
                    seller_item_id=line.product_id.default_code or "",
                )
            )
        return result, vat_keys

    def _chorus_facturx_vat_breakdown(self, vat_keys):
        """BG-23 as the invoice books it: the lines' nets and the VAT of its tax journal items.

        Those tax items are what Odoo computed with the company's rounding method (per line or
        global) and what the printed totals show, so the XML states the same amounts to the cent.
        They are grouped by the lines' Factur-X VAT category and rate: a tax with an amount is
        always on lines of one category and rate; a zero-rate tax books nothing.
        """
        lines = self.invoice_line_ids.filtered(lambda line: line.id in vat_keys)
        bases, taxes, key_by_tax, flattened = {}, {}, {}, {}
        for line in lines:
            key = vat_keys[line.id]
            bases[key] = bases.get(key, Decimal(0)) + _decimal(line.price_subtotal)
            line_taxes = tuple(line.tax_ids.ids)
            if line_taxes not in flattened:
                flattened[line_taxes] = line.tax_ids.flatten_taxes_hierarchy().ids
            for tax_id in flattened[line_taxes]:
                key_by_tax.setdefault(tax_id, key)
        # Tax items are signed as journal items; the direction sign makes them positive on invoices and credit notes.
        for tax_line in self.line_ids.filtered("tax_repartition_line_id"):
            key = key_by_tax.get(tax_line.tax_line_id.id)
            if key is not None:
                taxes[key] = taxes.get(key, Decimal(0)) + _decimal(tax_line.amount_currency * self.direction_sign)
        return [
            VatBreakdown(category=category, rate=rate, basis=basis, tax=taxes.get((category, rate), Decimal(0)))
            for (category, rate), basis in bases.items()
        ]

    @staticmethod
    def _chorus_facturx_unit_price(line, price_include):
        """BT-148, tax excluded: a tax-included price is brought back to the excluded amount Odoo computed."""
        if not price_include:
            return _decimal(line.price_unit)
        quantity = _decimal(line.quantity) * (1 - _decimal(line.discount) / 100)
        return _decimal(line.price_subtotal) / quantity if quantity else _decimal(line.price_unit)

    def _chorus_facturx_installments(self):
        """``[(date, amount)]`` of the payment term lines, in date order (positive amounts for credit notes too)."""
        terms = self.line_ids.filtered(lambda line: line.display_type == "payment_term")
        return sorted((line.date_maturity, _decimal(abs(line.amount_currency))) for line in terms)

    def _chorus_facturx_paid_amount(self):
        """BT-113: the whole total for cadre A2 (already paid), else what payments settled when it is sent.

        Odoo's own reconciliations in the invoice currency; those with another invoice or credit
        note are not payments (Chorus Pro receives that document too), nor are exchange differences.
        """
        if self.chorus_billing_framework == "A2":
            return _decimal(self.amount_total)
        if self.state != "posted":
            return Decimal(0)
        partials = self.sudo()._get_all_reconciled_invoice_partials()
        return sum(
            (
                _decimal(partial["amount"])
                for partial in partials
                if not partial["is_exchange"] and not partial["aml"].move_id.is_invoice(include_receipts=True)
            ),
            Decimal(0),
        )

    def _chorus_facturx_ship_to(self):
        """BG-13, the delivery address Odoo knows for the invoice (as OCA writes it): no empty delivery element."""
        if not self.partner_shipping_id:
            return None
        party = self._chorus_facturx_party(self.partner_shipping_id)
        return ShipTo(name=party.name or self.commercial_partner_id.name or "", address=party.address)

    def _chorus_facturx_bank(self):
        """BT-84, the seller's account; Odoo gives a credit note the buyer's, so it takes the credited invoice's."""
        if self.move_type != "out_refund":
            return self.partner_bank_id
        seller = self.company_id.partner_id
        candidates = self.partner_bank_id | self.reversed_entry_id.partner_bank_id | seller.bank_ids
        return candidates.filtered(lambda bank: bank.partner_id == seller)[:1]

    def _chorus_facturx_payment_means(self):
        code = PAYMENT_MEANS_BY_MODE.get(self.chorus_payment_mode or "transfer", PAYMENT_NOT_DEFINED)
        bank = self._chorus_facturx_bank()
        if code != PAYMENT_CREDIT_TRANSFER or not bank:
            return PaymentMeans(code=code)
        return PaymentMeans(
            code=code,
            iban=bank.sanitized_acc_number or "",
            bic=bank.bank_bic or "",
            account_name=bank.acc_holder_name or "",
        )
