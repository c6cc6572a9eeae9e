from decimal import Decimal

from lxml import etree

from odoo import Command
from odoo.tests import tagged

from ..chorus_core.facturx.validate import (
    RULESET_EN16931,
    SCHEMATRON_AVAILABLE,
    validate_schematron,
    validate_xsd,
)
from .facturx_common import ChorusFacturxCommon

SETTLEMENT = "//ram:ApplicableHeaderTradeSettlement"
AGREEMENT = "//ram:ApplicableHeaderTradeAgreement"
MAX_QUERIES = 50
BT_23 = "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"


@tagged("post_install", "-at_install")
class TestChorusFacturx(ChorusFacturxCommon):
    def test_several_rates_with_a_line_discount(self):
        invoice = self._chorus_invoice(
            invoice_line_ids=[
                self._line(1000.0, self.tax_20, discount=10.0),
                self._line(200.0, self.tax_10, quantity=3.0),
                self._line(80.0, self.tax_5_5),
            ]
        )
        tree = self.assertValidFacturx(invoice)
        rates = self.xpath(tree, f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:RateApplicablePercent")
        self.assertEqual(sorted(rate.text for rate in rates), ["10.00", "20.00", "5.50"])
        allowance = self.xpath(tree, "//ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge")
        self.assertEqual(len(allowance), 1)
        self.assertEqual(self.text(allowance[0], "ram:ActualAmount"), "100.00")
        total = self.text(tree, f"{SETTLEMENT}//ram:GrandTotalAmount")
        self.assertEqual(Decimal(total), Decimal(str(invoice.amount_total)))
        self.assertEqual(self.text(tree, "//rsm:ExchangedDocument/ram:TypeCode"), "380")
        self.assertEqual(self.text(tree, BT_23), "A1")
        means = self.xpath(tree, f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans")[0]
        self.assertEqual(self.text(means, "ram:TypeCode"), "30")
        self.assertEqual(self.text(means, ".//ram:IBANID"), self.company_bank.sanitized_acc_number)

    def test_installments_from_payment_terms(self):
        terms = self.env["account.payment.term"].create(
            {
                "name": "30 % now, 70 % in 30 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30.0, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70.0, "nb_days": 30}),
                ],
            }
        )
        invoice = self._chorus_invoice(invoice_payment_term_id=terms.id)
        tree = self.assertValidFacturx(invoice)
        description = self.text(tree, "//ram:SpecifiedTradePaymentTerms/ram:Description")
        self.assertIn("30 % now, 70 % in 30 days", description)
        self.assertIn("Échéance du 02/11/2026 : 360.00 EUR", description)
        self.assertIn("Échéance du 02/12/2026 : 840.00 EUR", description)
        self.assertEqual(self.text(tree, "//ram:DueDateDateTime/*"), "20261202")

    def test_credit_note_from_reversal(self):
        invoice = self._chorus_invoice()
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Erreur de prix"})
        )
        refund = self.env["account.move"].browse(wizard.reverse_moves()["res_id"])
        refund.action_post()
        tree = self.assertValidFacturx(refund)
        self.assertEqual(self.text(tree, "//rsm:ExchangedDocument/ram:TypeCode"), "381")
        self.assertEqual(self.text(tree, f"{SETTLEMENT}//ram:GrandTotalAmount"), "1200.00")
        self.assertEqual(self.text(tree, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID"), invoice.name)
        self.assertEqual(self.text(tree, "//ram:InvoiceReferencedDocument//*[@format]"), "20261102")
        # BT-81 on credit notes too, with the seller's IBAN the credited invoice gave (Odoo gives a refund the buyer's).
        means = self.xpath(tree, f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans")[0]
        self.assertEqual(self.text(means, "ram:TypeCode"), "30")
        self.assertEqual(self.text(means, ".//ram:IBANID"), self.company_bank.sanitized_acc_number)

    def test_exempt_line_with_its_reason(self):
        invoice = self._chorus_invoice(
            invoice_line_ids=[self._line(500.0, self.tax_20), self._line(300.0, self.tax_exempt)]
        )
        tree = self.assertValidFacturx(invoice)
        exempt = self.xpath(tree, f"{SETTLEMENT}/ram:ApplicableTradeTax[ram:CategoryCode='E']")
        self.assertEqual(len(exempt), 1)
        self.assertEqual(self.text(exempt[0], "ram:RateApplicablePercent"), "0.00")
        self.assertEqual(self.text(exempt[0], "ram:BasisAmount"), "300.00")
        self.assertTrue(self.text(exempt[0], "ram:ExemptionReason"))

    def test_buyer_without_french_vat_number(self):
        self.assertFalse(self.buyer.vat)
        tree = self.assertValidFacturx(self._chorus_invoice())
        self.assertFalse(self.xpath(tree, "//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration"))
        seller_vat = self.text(tree, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID")
        self.assertEqual(seller_vat, self.company.vat)

    def test_500_lines_in_a_constant_number_of_queries(self):
        big = self._chorus_invoice(invoice_line_ids=[self._line(10.0 + index % 7) for index in range(500)])
        small = self._chorus_invoice()
        counts = {}
        for invoice in (small, big):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            invoice.chorus_facturx_xml()
            counts[len(invoice.invoice_line_ids)] = self.env.cr.sql_log_count - before
        self.assertLessEqual(counts[500], MAX_QUERIES)
        self.assertLessEqual(counts[1], MAX_QUERIES)
        tree = self.assertValidFacturx(big)
        self.assertEqual(len(self.xpath(tree, "//ram:IncludedSupplyChainTradeLineItem")), 500)

    def test_special_characters_and_line_breaks(self):
        name = 'Études & Co <Ltd> "quoted" l\'atelier € 北京 مرحبا'
        self.buyer.name = name
        invoice = self._chorus_invoice(
            narration="<p>Livraison : 2 étages &amp; ascenseur</p>",
            invoice_line_ids=[
                self._line(99.9, name="Prestation « spéciale » & <urgente>\nDeuxième ligne € 東京\nTroisième 'ligne'")
            ],
        )
        tree = self.assertValidFacturx(invoice)
        self.assertEqual(self.text(tree, "//ram:BuyerTradeParty/ram:Name"), name)
        product = self.xpath(tree, "//ram:SpecifiedTradeProduct")[0]
        self.assertEqual(self.text(product, "ram:Name"), "Prestation « spéciale » & <urgente>")
        self.assertEqual(self.text(product, "ram:Description"), "Deuxième ligne € 東京\nTroisième 'ligne'")
        notes = [note.text for note in self.xpath(tree, "//ram:IncludedNote/ram:Content")]
        self.assertIn("Livraison : 2 étages & ascenseur", notes)

    def test_buyer_requiring_service_code_and_engagement(self):
        self.buyer.chorus_requirement = "service_and_engagement"
        invoice = self._chorus_invoice(contract_reference="MARCHE-2026-7")
        self.assertEqual(invoice.chorus_preflight(), [])
        tree = self.assertValidFacturx(invoice)
        self.assertEqual(self.text(tree, f"{AGREEMENT}/ram:BuyerReference"), "FINANCES")
        self.assertEqual(self.text(tree, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"), "EJ-2026-0042")
        self.assertEqual(self.text(tree, "//ram:ContractReferencedDocument/ram:IssuerAssignedID"), "MARCHE-2026-7")

    def test_billing_framework_is_bt_23(self):
        for framework in ("A2", "A9", "A12"):
            invoice = self._chorus_invoice(chorus_billing_framework=framework)
            tree = self.assertValidFacturx(invoice)
            self.assertEqual(self.text(tree, BT_23), framework)
        # A2, already paid: nothing is left to pay.
        paid = self.assertValidFacturx(self._chorus_invoice(chorus_billing_framework="A2"))
        self.assertEqual(self.text(paid, f"{SETTLEMENT}//ram:TotalPrepaidAmount"), "1200.00")
        self.assertEqual(self.text(paid, f"{SETTLEMENT}//ram:DuePayableAmount"), "0.00")

    def _pay(self, invoice, amount):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": amount, "payment_date": "2026-11-05"}
        )._create_payments()

    def test_half_paid_before_sending_claims_what_is_left(self):
        invoice = self._chorus_invoice()
        self._pay(invoice, 500.0)
        self.assertEqual(invoice.amount_residual, 700.0)
        tree = self.assertValidFacturx(invoice)
        summation = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
        self.assertEqual(self.text(tree, f"{summation}/ram:GrandTotalAmount"), "1200.00")
        self.assertEqual(self.text(tree, f"{summation}/ram:TotalPrepaidAmount"), "500.00")
        self.assertEqual(self.text(tree, f"{summation}/ram:DuePayableAmount"), "700.00")
        # A credit note reconciled with the invoice is no payment: Chorus Pro receives it as well.
        unpaid = self._chorus_invoice()
        refund = unpaid._reverse_moves()
        refund.invoice_line_ids.price_unit = 100.0
        refund.action_post()  # Odoo reconciles a reversal with the invoice it reverses
        self.assertEqual(unpaid.amount_residual, 1080.0)
        summation_of_unpaid = self.assertValidFacturx(unpaid)
        self.assertFalse(self.xpath(summation_of_unpaid, f"{summation}/ram:TotalPrepaidAmount"))
        self.assertEqual(self.text(summation_of_unpaid, f"{summation}/ram:DuePayableAmount"), "1200.00")
        # A2 stays "the whole total is paid", whatever Odoo recorded.
        paid = self.assertValidFacturx(self._chorus_invoice(chorus_billing_framework="A2"))
        self.assertEqual(self.text(paid, f"{summation}/ram:TotalPrepaidAmount"), "1200.00")

    def test_delivery_as_odoo_knows_it(self):
        # Without a delivery address of its own, the buyer's; the validators see no empty delivery element.
        plain = self._chorus_invoice()
        self.assertEqual(plain.partner_shipping_id, self.buyer)
        xml = plain.chorus_facturx_xml()
        delivery = "//ram:ApplicableHeaderTradeDelivery"
        self.assertEqual(self.text(etree.fromstring(xml), f"{delivery}/ram:ShipToTradeParty/ram:Name"), self.buyer.name)
        findings = validate_xsd(xml) + (validate_schematron(xml, RULESET_EN16931) if SCHEMATRON_AVAILABLE else [])
        self.assertEqual([str(finding) for finding in findings], [])
        site = self.env["res.partner"].create(
            {
                "name": "Centre technique municipal",
                "type": "delivery",
                "parent_id": self.buyer.id,
                "street": "5 chemin des Ateliers",
                "zip": "69007",
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        invoice = self._chorus_invoice(partner_shipping_id=site.id, delivery_date="2026-10-28")
        tree = self.assertValidFacturx(invoice)
        self.assertEqual(self.text(tree, f"{delivery}/ram:ShipToTradeParty/ram:Name"), "Centre technique municipal")
        self.assertEqual(self.text(tree, f"{delivery}//ram:PostalTradeAddress/ram:LineOne"), "5 chemin des Ateliers")
        self.assertEqual(self.text(tree, f"{delivery}//ram:OccurrenceDateTime/*"), "20261028")

    def assertSameTotals(self, invoice, tree):
        """BT-109, BT-110, BT-112, BT-115 and each VAT line state what the invoice states."""
        summation = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
        for tag, amount in (
            ("TaxBasisTotalAmount", invoice.amount_untaxed),
            ("TaxTotalAmount", invoice.amount_tax),
            ("GrandTotalAmount", invoice.amount_total),
            ("DuePayableAmount", invoice.amount_total),
        ):
            self.assertEqual(Decimal(self.text(tree, f"{summation}/ram:{tag}")), Decimal(str(amount)), tag)
        printed = {
            group["group_name"]: group["tax_amount_currency"]
            for subtotal in invoice.tax_totals["subtotals"]
            for group in subtotal["tax_groups"]
        }
        amounts = self.xpath(tree, f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:CalculatedAmount")
        written = [Decimal(node.text) for node in amounts]
        rounded = (Decimal(str(invoice.currency_id.round(amount))) for amount in printed.values())
        self.assertEqual(sorted(written), sorted(rounded))

    def test_totals_are_the_invoice_totals_whatever_the_rounding(self):
        # 3 x 10.25 at 5.5 %: 1.68 of VAT rounded per line, 1.69 rounded globally.
        lines = [self._line(10.25, self.tax_5_5) for _index in range(3)]
        for rounding, vat in (("round_per_line", "1.68"), ("round_globally", "1.69")):
            self.company.tax_calculation_rounding_method = rounding
            invoice = self._chorus_invoice(invoice_line_ids=lines)
            self.assertEqual(str(invoice.amount_tax), vat)
            tree = self.assertValidFacturx(invoice)
            self.assertSameTotals(invoice, tree)

    def test_long_invoice_totals_match_to_the_cent(self):
        self.company.tax_calculation_rounding_method = "round_per_line"
        lines = [
            self._line(price, tax, quantity=quantity, discount=discount)
            for price, tax, quantity, discount in (
                (12.345, self.tax_20, 3.0, 0.0),
                (0.99, self.tax_5_5, 7.0, 0.0),
                (149.99, self.tax_10, 1.0, 12.5),
                (3.33, self.tax_20, 11.0, 0.0),
                (7.77, self.tax_5_5, 3.0, 3.0),
            )
            * 8
        ]
        invoice = self._chorus_invoice(invoice_line_ids=lines)
        self.assertSameTotals(invoice, self.assertValidFacturx(invoice))

    def test_credit_note_totals_are_positive_and_match(self):
        self.company.tax_calculation_rounding_method = "round_per_line"
        invoice = self._chorus_invoice(invoice_line_ids=[self._line(10.25, self.tax_5_5) for _index in range(3)])
        refund = invoice._reverse_moves()
        refund.action_post()
        self.assertSameTotals(refund, self.assertValidFacturx(refund))

    def test_no_engagement_node_without_engagement(self):
        invoice = self._chorus_invoice(purchase_order_reference=False, ref="REF-CLIENT-9")
        tree = self.assertValidFacturx(invoice)
        self.assertFalse(self.xpath(tree, "//ram:BuyerOrderReferencedDocument"))
        xml = invoice.chorus_facturx_xml()
        self.assertNotIn(b"REF-CLIENT-9", xml)
        self.assertNotIn(f"<ram:IssuerAssignedID>{invoice.name}<".encode(), xml)

    def test_payment_means_from_chorus_payment_mode(self):
        for mode, code in (("cheque", "20"), ("other", "1")):
            tree = self.assertValidFacturx(self._chorus_invoice(chorus_payment_mode=mode))
            self.assertEqual(self.text(tree, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode"), code)
        direct_debit = self._chorus_invoice(chorus_payment_mode="direct_debit")
        xml, _findings = direct_debit._chorus_facturx_build()
        self.assertIn(b"<ram:TypeCode>49</ram:TypeCode>", xml)

    def test_units_as_rec20_codes(self):
        hours = self.env.ref("uom.product_uom_hour")
        invoice = self._chorus_invoice(
            invoice_line_ids=[self._line(80.0, product_id=False, name="Conseil", product_uom_id=hours.id, quantity=7.5)]
        )
        tree = self.assertValidFacturx(invoice)
        self.assertEqual(self.xpath(tree, "//ram:BilledQuantity")[0].get("unitCode"), "HUR")
