"""Factur-X (CII D16B) builder, profile EN 16931, laid out for a direct deposit on Chorus Pro.

The layout is the one Chorus Pro accepts on ``deposerFluxFacture`` (syntax ``IN_DP_E2_CII_FACTURX``,
chorus-pro-api.md §7.1), not the French 2026 one for exchanges between approved platforms: BT-23
holds the Chorus cadre de facturation (A1, A2, A9, A12 ...) and both parties are identified by
their 14-digit SIRET under ICD 0002.

Written with plain lxml and prebuilt Clark tag names: a 500-line invoice takes a few tens of
milliseconds, where a template engine takes about a second.
"""

from decimal import Decimal

from lxml import etree

from ..i18n import _lt
from ..limits import FREE_TEXT_MAX, PARTY_NAME_MAX
from ..siret import normalize
from .amounts import compute_totals
from .checks import billing_framework, check_invoice, effective_due_date
from .codelists import (
    ALLOWANCE_REASON_DISCOUNT,
    ALLOWANCE_REASON_DISCOUNT_TEXT,
    PAYMENT_CREDIT_TRANSFER,
    PAYMENT_DIRECT_DEBIT,
    SCHEME_SIRENE,
    SCHEME_SIRET,
    VAT_CATEGORIES_NEEDING_EXEMPTION,
    VAT_CATEGORIES_WITHOUT_RATE,
    VAT_INTRA_COMMUNITY,
    VAT_NOT_SUBJECT,
    VAT_SCHEME,
)
from .findings import warning
from .formatting import clean_text, format_amount, format_date, format_price, format_quantity, format_rate

NS_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
NS_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NS_QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": NS_RSM, "ram": NS_RAM, "udt": NS_UDT, "qdt": NS_QDT}
GUIDELINE_EN16931 = "urn:cen.eu:en16931:2017"
DATE_FORMAT_CODE = "102"  # UNTDID 2379: CCYYMMDD
VAT_TYPE_CODE = "VAT"


class _Namespace:
    """``RAM.LineID`` -> ``'{urn:...}LineID'``, computed once then kept as a plain attribute."""

    def __init__(self, uri):
        self._prefix = f"{{{uri}}}"

    def __getattr__(self, name):
        tag = self._prefix + name
        setattr(self, name, tag)
        return tag


RSM = _Namespace(NS_RSM)
RAM = _Namespace(NS_RAM)
UDT = _Namespace(NS_UDT)
QDT = _Namespace(NS_QDT)

sub = etree.SubElement


def build_cii(invoice):
    """Build the Factur-X EN 16931 XML of an invoice.

    Returns ``(xml_bytes, findings)``: the findings list every rule the data break (severity
    ``error``) and every change made to fit Chorus limits (severity ``warning``). The XML is
    produced even with errors so that they can be shown next to it.
    """
    return _CiiBuilder(invoice).build()


class _CiiBuilder:
    def __init__(self, invoice):
        self.invoice = invoice
        self.findings = []

    def build(self):
        invoice = self.invoice
        self.totals, findings = compute_totals(invoice)
        self.findings.extend(findings)
        self.findings.extend(check_invoice(invoice, self.totals))
        root = etree.Element(RSM.CrossIndustryInvoice, nsmap=NSMAP)
        context = sub(root, RSM.ExchangedDocumentContext)
        framework = sub(context, RAM.BusinessProcessSpecifiedDocumentContextParameter)
        sub(framework, RAM.ID).text = billing_framework(invoice)
        sub(sub(context, RAM.GuidelineSpecifiedDocumentContextParameter), RAM.ID).text = GUIDELINE_EN16931
        self._document(sub(root, RSM.ExchangedDocument))
        transaction = sub(root, RSM.SupplyChainTradeTransaction)
        for line_total in self.totals.lines:
            self._line(transaction, line_total)
        self._agreement(sub(transaction, RAM.ApplicableHeaderTradeAgreement))
        self._delivery(sub(transaction, RAM.ApplicableHeaderTradeDelivery))
        self._settlement(sub(transaction, RAM.ApplicableHeaderTradeSettlement))
        xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return xml, self.findings

    # -- helpers ------------------------------------------------------------------------------

    def _text(self, value, limit, term):
        """Clean text, cut at ``limit`` characters with a warning (Chorus rejects longer texts)."""
        value = clean_text(value)
        if len(value) > limit:
            self.findings.append(
                warning(
                    "CHORUS-LIMIT", _lt("Text cut to the %(limit)s characters Chorus Pro accepts."), term, limit=limit
                )
            )
            value = value[:limit]
        return value

    def _amount(self, parent, tag, value, currency=None):
        element = sub(parent, tag, currencyID=currency) if currency else sub(parent, tag)
        element.text = format_amount(value)
        return element

    @staticmethod
    def _date(parent, tag, value, qualified=False):
        holder = sub(parent, tag)
        string_tag = QDT.DateTimeString if qualified else UDT.DateTimeString
        sub(holder, string_tag, format=DATE_FORMAT_CODE).text = format_date(value)

    # -- header -------------------------------------------------------------------------------

    def _document(self, document):
        invoice = self.invoice
        sub(document, RAM.ID).text = invoice.number
        sub(document, RAM.TypeCode).text = invoice.type_code
        self._date(document, RAM.IssueDateTime, invoice.issue_date)
        for subject, text in invoice.notes:
            note = sub(document, RAM.IncludedNote)
            sub(note, RAM.Content).text = self._text(text, FREE_TEXT_MAX, "BT-22")
            if subject:
                sub(note, RAM.SubjectCode).text = subject

    def _agreement(self, agreement):
        invoice = self.invoice
        if invoice.service_code:
            sub(agreement, RAM.BuyerReference).text = clean_text(invoice.service_code)
        self._party(sub(agreement, RAM.SellerTradeParty), invoice.seller, is_seller=True)
        self._party(sub(agreement, RAM.BuyerTradeParty), invoice.buyer, is_seller=False)
        # The engagement is written only when given: never fall back on the invoice number or a reference.
        if invoice.engagement:
            sub(sub(agreement, RAM.BuyerOrderReferencedDocument), RAM.IssuerAssignedID).text = clean_text(
                invoice.engagement
            )
        if invoice.contract:
            sub(sub(agreement, RAM.ContractReferencedDocument), RAM.IssuerAssignedID).text = clean_text(
                invoice.contract
            )

    def _party(self, element, party, is_seller):
        """BG-4 / BG-7 with the identifier Chorus Pro reads: the 14-digit SIRET in BT-30 / BT-47.

        Both parties carry their SIRET in ``SpecifiedLegalOrganization/ID`` under ICD 0002
        (SIRENE, for a SIREN or a SIRET), as OCA's module tested on Chorus qualification does;
        no GlobalID (BT-29 / BT-46), and never the 9-digit SIREN: Chorus Pro rejects a deposit
        whose parties it cannot find by SIRET (chorus-pro-api.md §7.1). The electronic address
        (BT-34 / BT-49) defaults to the same SIRET under EAS 0009.
        """
        term = "BT-27" if is_seller else "BT-44"
        siret = normalize(party.siret)
        sub(element, RAM.Name).text = self._text(party.name, PARTY_NAME_MAX, term)
        if siret or party.trading_name:
            legal = sub(element, RAM.SpecifiedLegalOrganization)
            if siret:
                sub(legal, RAM.ID, schemeID=SCHEME_SIRENE).text = siret
            if party.trading_name:
                sub(legal, RAM.TradingBusinessName).text = self._text(party.trading_name, PARTY_NAME_MAX, term)
        if party.contact_name or party.phone or party.email:
            contact = sub(element, RAM.DefinedTradeContact)
            if party.contact_name:
                sub(contact, RAM.PersonName).text = clean_text(party.contact_name)
            if party.phone:
                sub(sub(contact, RAM.TelephoneUniversalCommunication), RAM.CompleteNumber).text = party.phone
            if party.email:
                sub(sub(contact, RAM.EmailURIUniversalCommunication), RAM.URIID).text = party.email
        self._address(sub(element, RAM.PostalTradeAddress), party.address)
        electronic = party.electronic_address
        value, scheme = (electronic.value, electronic.scheme) if electronic else (siret, SCHEME_SIRET)
        if value:
            sub(sub(element, RAM.URIUniversalCommunication), RAM.URIID, schemeID=scheme).text = value
        if party.vat_id and not self._only_not_subject():
            sub(sub(element, RAM.SpecifiedTaxRegistration), RAM.ID, schemeID=VAT_SCHEME).text = party.vat_id

    def _only_not_subject(self):
        # BR-O-02: an invoice outside the scope of VAT shows no VAT identifier at all.
        groups = self.totals.vat_groups
        return bool(groups) and all(group.category == VAT_NOT_SUBJECT for group in groups)

    @staticmethod
    def _address(element, address):
        for tag, value in (
            (RAM.PostcodeCode, address.postcode),
            (RAM.LineOne, address.line1),
            (RAM.LineTwo, address.line2),
            (RAM.LineThree, address.line3),
            (RAM.CityName, address.city),
        ):
            if value:
                sub(element, tag).text = clean_text(value)
        sub(element, RAM.CountryID).text = address.country_code
        if address.subdivision:
            sub(element, RAM.CountrySubDivisionName).text = clean_text(address.subdivision)

    def _delivery(self, delivery):
        """BG-13 and BT-72 as far as they are known; the element is never left empty (PEPPOL-EN16931-R008)."""
        invoice = self.invoice
        ship_to = invoice.ship_to
        intra_community = any(group.category == VAT_INTRA_COMMUNITY for group in self.totals.vat_groups)
        if ship_to:
            party = sub(delivery, RAM.ShipToTradeParty)
            if ship_to.name == invoice.buyer.name:
                # Delivered to the buyer itself: a cut is reported once, under BT-44.
                sub(party, RAM.Name).text = clean_text(ship_to.name)[:PARTY_NAME_MAX]
            else:
                sub(party, RAM.Name).text = self._text(ship_to.name, PARTY_NAME_MAX, "BT-70")
            self._address(sub(party, RAM.PostalTradeAddress), ship_to.address)
        elif intra_community:
            # BR-IC-12: an intra-community supply names the country delivered to.
            party = sub(delivery, RAM.ShipToTradeParty)
            sub(sub(party, RAM.PostalTradeAddress), RAM.CountryID).text = invoice.buyer.address.country_code
        if invoice.delivery_date:
            self._date(sub(delivery, RAM.ActualDeliverySupplyChainEvent), RAM.OccurrenceDateTime, invoice.delivery_date)

    # -- lines --------------------------------------------------------------------------------

    def _line(self, transaction, line_total):
        line = line_total.line
        item = sub(transaction, RAM.IncludedSupplyChainTradeLineItem)
        sub(sub(item, RAM.AssociatedDocumentLineDocument), RAM.LineID).text = clean_text(line.id)
        product = sub(item, RAM.SpecifiedTradeProduct)
        if line.seller_item_id:
            sub(product, RAM.SellerAssignedID).text = clean_text(line.seller_item_id)
        sub(product, RAM.Name).text = self._text(line.name, FREE_TEXT_MAX, "BT-153")
        if line.description:
            sub(product, RAM.Description).text = self._text(line.description, FREE_TEXT_MAX, "BT-154")
        # BR-27: no negative price; a negative line is a negative quantity instead.
        price, quantity = Decimal(line.unit_price), Decimal(line.quantity)
        if price < 0:
            price, quantity = -price, -quantity
        price_text = format_price(price)
        if Decimal(price_text) != price:
            self.findings.append(
                warning(
                    "CHORUS-DECIMALS",
                    _lt("Line %(line)s: price rounded to %(price)s."),
                    "BT-146",
                    line=line.id,
                    price=price_text,
                )
            )
        net_price = sub(sub(item, RAM.SpecifiedLineTradeAgreement), RAM.NetPriceProductTradePrice)
        sub(net_price, RAM.ChargeAmount).text = price_text
        quantity_text = format_quantity(quantity)
        if Decimal(quantity_text) != quantity:
            self.findings.append(
                warning(
                    "CHORUS-DECIMALS",
                    _lt("Line %(line)s: quantity rounded to %(quantity)s."),
                    "BT-129",
                    line=line.id,
                    quantity=quantity_text,
                )
            )
        delivery = sub(item, RAM.SpecifiedLineTradeDelivery)
        sub(delivery, RAM.BilledQuantity, unitCode=line.unit_code).text = quantity_text
        settlement = sub(item, RAM.SpecifiedLineTradeSettlement)
        self._tax(settlement, RAM.ApplicableTradeTax, line.vat_category, line.vat_rate)
        if line_total.allowance:
            allowance = sub(settlement, RAM.SpecifiedTradeAllowanceCharge)
            sub(sub(allowance, RAM.ChargeIndicator), UDT.Indicator).text = "false"
            if line.discount_percent and not line.discount_amount:
                sub(allowance, RAM.CalculationPercent).text = format_rate(line.discount_percent)
                self._amount(allowance, RAM.BasisAmount, line_total.gross_amount)
            self._amount(allowance, RAM.ActualAmount, line_total.allowance)
            sub(allowance, RAM.ReasonCode).text = ALLOWANCE_REASON_DISCOUNT
            sub(allowance, RAM.Reason).text = ALLOWANCE_REASON_DISCOUNT_TEXT
        summation = sub(settlement, RAM.SpecifiedTradeSettlementLineMonetarySummation)
        self._amount(summation, RAM.LineTotalAmount, line_total.net_amount)

    @staticmethod
    def _tax(parent, tag, category, rate):
        tax = sub(parent, tag)
        sub(tax, RAM.TypeCode).text = VAT_TYPE_CODE
        sub(tax, RAM.CategoryCode).text = category
        if category not in VAT_CATEGORIES_WITHOUT_RATE and rate is not None:
            sub(tax, RAM.RateApplicablePercent).text = format_rate(rate)
        return tax

    # -- settlement ---------------------------------------------------------------------------

    def _settlement(self, settlement):
        invoice, totals = self.invoice, self.totals
        means = invoice.payment_means
        if means and means.code == PAYMENT_DIRECT_DEBIT and means.creditor_reference:
            sub(settlement, RAM.CreditorReferenceID).text = means.creditor_reference
        if invoice.payment_reference:
            sub(settlement, RAM.PaymentReference).text = clean_text(invoice.payment_reference)
        foreign_currency = invoice.currency != "EUR"
        if foreign_currency:
            sub(settlement, RAM.TaxCurrencyCode).text = "EUR"
        sub(settlement, RAM.InvoiceCurrencyCode).text = invoice.currency
        if means:
            self._payment_means(sub(settlement, RAM.SpecifiedTradeSettlementPaymentMeans), means)
        for group in totals.vat_groups:
            tax = sub(settlement, RAM.ApplicableTradeTax)
            self._amount(tax, RAM.CalculatedAmount, group.tax)
            sub(tax, RAM.TypeCode).text = VAT_TYPE_CODE
            exempted = group.category in VAT_CATEGORIES_NEEDING_EXEMPTION
            if exempted and group.exemption_reason:
                sub(tax, RAM.ExemptionReason).text = self._text(group.exemption_reason, FREE_TEXT_MAX, "BT-120")
            self._amount(tax, RAM.BasisAmount, group.basis)
            sub(tax, RAM.CategoryCode).text = group.category
            if exempted and group.exemption_code:
                sub(tax, RAM.ExemptionReasonCode).text = group.exemption_code
            if group.rate is not None:
                sub(tax, RAM.RateApplicablePercent).text = format_rate(group.rate)
        for item in invoice.allowances_charges:
            self._allowance_charge(sub(settlement, RAM.SpecifiedTradeAllowanceCharge), item)
        self._payment_terms(settlement, means)
        summation = sub(settlement, RAM.SpecifiedTradeSettlementHeaderMonetarySummation)
        self._amount(summation, RAM.LineTotalAmount, totals.line_total)
        if invoice.allowances_charges:
            self._amount(summation, RAM.ChargeTotalAmount, totals.charge_total)
            self._amount(summation, RAM.AllowanceTotalAmount, totals.allowance_total)
        self._amount(summation, RAM.TaxBasisTotalAmount, totals.tax_basis_total)
        self._amount(summation, RAM.TaxTotalAmount, totals.tax_total, invoice.currency)
        if foreign_currency and invoice.vat_total_in_eur is not None:
            self._amount(summation, RAM.TaxTotalAmount, invoice.vat_total_in_eur, "EUR")
        self._amount(summation, RAM.GrandTotalAmount, totals.grand_total)
        if totals.prepaid:
            self._amount(summation, RAM.TotalPrepaidAmount, totals.prepaid)
        self._amount(summation, RAM.DuePayableAmount, totals.due)
        if invoice.preceding_invoice:
            reference = sub(settlement, RAM.InvoiceReferencedDocument)
            sub(reference, RAM.IssuerAssignedID).text = invoice.preceding_invoice
            if invoice.preceding_invoice_date:
                self._date(reference, RAM.FormattedIssueDateTime, invoice.preceding_invoice_date, qualified=True)

    def _payment_means(self, element, means):
        sub(element, RAM.TypeCode).text = means.code
        if means.information:
            sub(element, RAM.Information).text = self._text(means.information, FREE_TEXT_MAX, "BT-82")
        if means.code == PAYMENT_DIRECT_DEBIT and means.debited_iban:
            sub(sub(element, RAM.PayerPartyDebtorFinancialAccount), RAM.IBANID).text = means.debited_iban
        if means.code == PAYMENT_CREDIT_TRANSFER and means.iban:
            account = sub(element, RAM.PayeePartyCreditorFinancialAccount)
            sub(account, RAM.IBANID).text = means.iban.replace(" ", "")
            if means.account_name:
                sub(account, RAM.AccountName).text = self._text(means.account_name, PARTY_NAME_MAX, "BT-85")
            if means.bic:
                institution = sub(element, RAM.PayeeSpecifiedCreditorFinancialInstitution)
                sub(institution, RAM.BICID).text = means.bic.replace(" ", "")

    def _allowance_charge(self, element, item):
        sub(sub(element, RAM.ChargeIndicator), UDT.Indicator).text = "true" if item.is_charge else "false"
        self._amount(element, RAM.ActualAmount, item.amount)
        if item.reason_code:
            sub(element, RAM.ReasonCode).text = item.reason_code
        if item.reason:
            sub(element, RAM.Reason).text = self._text(item.reason, FREE_TEXT_MAX, "BT-97")
        self._tax(element, RAM.CategoryTradeTax, item.vat_category, item.vat_rate)

    def _payment_terms(self, settlement, means):
        """BT-20 / BT-9 / BT-89. EN 16931 allows one terms block: installments go into its text."""
        invoice = self.invoice
        texts = [invoice.payment_terms] if invoice.payment_terms else []
        texts.extend(
            f"Échéance du {when:%d/%m/%Y} : {format_amount(amount)} {invoice.currency}"
            for when, amount in invoice.installments
        )
        due_date = effective_due_date(invoice)
        mandate = means.mandate_reference if means and means.code == PAYMENT_DIRECT_DEBIT else ""
        if not (texts or due_date or mandate):
            return
        terms = sub(settlement, RAM.SpecifiedTradePaymentTerms)
        if texts:
            sub(terms, RAM.Description).text = self._text("\n".join(texts), FREE_TEXT_MAX, "BT-20")
        if due_date:
            self._date(terms, RAM.DueDateDateTime, due_date)
        if mandate:
            sub(terms, RAM.DirectDebitMandateID).text = mandate
