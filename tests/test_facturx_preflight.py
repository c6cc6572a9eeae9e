from odoo.tests import TransactionCase, tagged

from ..chorus_core.facturx.codelists import (
    VAT_EXEMPT,
    VAT_EXPORT,
    VAT_INTRA_COMMUNITY,
    VAT_REVERSE_CHARGE,
    VAT_STANDARD,
)
from ..chorus_core.facturx.findings import ERROR, Finding
from ..models.chorus_facturx_vat import EXEMPT_REASON, SUPPLY_GOODS, SUPPLY_SERVICES, VATEX_FRANCHISE, line_vat
from .common import BUYER_SIRET
from .facturx_common import ChorusFacturxCommon

EU = ("FR", "DE", "BE", "IT")


@tagged("post_install", "-at_install")
class TestChorusFacturxPreflight(ChorusFacturxCommon):
    def codes(self, invoice):
        return [code for code, _message in invoice._chorus_preflight_problems()]

    def test_ready_invoice_passes_the_facturx_checks(self):
        self.assertEqual(self._chorus_invoice().chorus_preflight(), [])

    def test_long_customer_name_is_said_to_be_cut(self):
        self.buyer.name = "Communauté d'agglomération " + "très longue " * 10
        invoice = self._chorus_invoice()
        problems = dict(invoice._chorus_preflight_problems())
        self.assertIn("facturx_warning:CHORUS-LIMIT", problems)
        self.assertIn("customer name", problems["facturx_warning:CHORUS-LIMIT"])
        # The banner, computed at every display, keeps to the cheap checks.
        self.assertFalse(invoice.chorus_preflight_message)

    def test_builder_errors_join_the_preflight(self):
        invoice = self._chorus_invoice(chorus_payment_mode="direct_debit")
        codes = self.codes(invoice)
        self.assertIn("facturx_error:FX-BT-89", codes)
        self.assertEqual(len(invoice.chorus_preflight()), len(codes))

    def test_a_french_user_reads_the_findings_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["l10n_fr_chorus_pro"], ["fr_FR"], overwrite=True)
        self.buyer.name = "Communauté d'agglomération " + "très longue " * 10
        invoice = self._chorus_invoice(chorus_payment_mode="direct_debit").with_context(lang="fr_FR")
        english = dict(invoice.with_context(lang="en_US")._chorus_preflight_problems())
        french = dict(invoice._chorus_preflight_problems())
        self.assertEqual(french.keys(), english.keys())
        for code, message in french.items():
            self.assertNotEqual(message, english[code], code)
            # No English sentence of the core inside the French one.
            self.assertNotIn(" the ", message, code)
        self.assertIn("mandat", french["facturx_error:FX-BT-89"])

    def test_schematron_findings_never_mix_languages(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["l10n_fr_chorus_pro"], ["fr_FR"], overwrite=True)
        invoice = self._chorus_invoice().with_context(lang="fr_FR")
        finding = Finding("BR-CO-15", ERROR, "Invoice total amount with VAT = ...", "/rsm:CrossIndustryInvoice")
        message = invoice._chorus_facturx_message(finding)
        self.assertIn("BR-CO-15", message)
        self.assertNotIn("Invoice total", message)
        self.assertIn("Invoice total", invoice.with_context(lang="en_US")._chorus_facturx_message(finding))

    def test_chorus_frameworks_pass_the_gate(self):
        for framework in ("A1", "A2"):
            self.assertEqual(self._chorus_invoice(chorus_billing_framework=framework).chorus_preflight(), [])
        # A subcontractor's or co-contractor's invoice names its validator, a company other than the buyer.
        for framework in ("A9", "A12"):
            invoice = self._chorus_invoice(chorus_billing_framework=framework)
            self.assertEqual(self.codes(invoice), ["validator_missing"])
            self.assertIn(framework, invoice.chorus_preflight()[0])
            self.assertIn("choose the validator", invoice.chorus_preflight_message)
            invoice.chorus_validator_id = self.buyer
            self.assertEqual(self.codes(invoice), ["validator_is_buyer"])
            invoice.chorus_validator_id = self.env["res.partner"].create({"name": "Sans SIRET", "is_company": True})
            self.assertEqual(self.codes(invoice), ["validator_siret"])
            invoice.chorus_validator_id.siret = "44233318001000"
            self.assertEqual(invoice.chorus_preflight(), [])

    def test_xml_checks_wait_for_the_basic_problems(self):
        self.buyer.siret = False
        codes = self.codes(self._chorus_invoice())
        self.assertIn("buyer_siret", codes)
        self.assertFalse([code for code in codes if code.startswith("facturx_")])
        self.buyer.siret = BUYER_SIRET
        draft = self._chorus_invoice(post=False, chorus_payment_mode="direct_debit")
        self.assertEqual(self.codes(draft), ["not_posted"])


@tagged("post_install", "-at_install")
class TestChorusFacturxVat(TransactionCase):
    """Each rule of models/chorus_facturx_vat.py, on plain values."""

    def vat(self, rate=0, **values):
        values.setdefault("eea_countries", EU)
        return line_vat(rate, **values)

    def test_positive_rate_is_standard(self):
        self.assertEqual(self.vat(20, tax_xmlid="account.1_tva_sale_good_intra_0"), (VAT_STANDARD, "", ""))

    def test_explicit_category_on_the_tax_wins(self):
        self.assertEqual(
            self.vat(explicit_category="E", explicit_vatex="VATEX-EU-132"), (VAT_EXEMPT, "VATEX-EU-132", "")
        )

    def test_french_chart_zero_taxes(self):
        for suffix, category in (
            ("tva_sale_good_intra_0", VAT_INTRA_COMMUNITY),
            ("tva_sale_service_intra_0", VAT_REVERSE_CHARGE),
            ("tva_sale_good_export_0", VAT_EXPORT),
            ("tva_sale_service_export_0", VAT_EXPORT),
        ):
            self.assertEqual(self.vat(tax_xmlid=f"account.7_{suffix}")[0], category, suffix)
        self.assertEqual(self.vat(tax_xmlid="account.7_tva_sale_good_0"), (VAT_EXEMPT, "", EXEMPT_REASON))

    def test_reverse_charge_named_on_the_tax(self):
        self.assertEqual(self.vat(tax_text="TVA 0% Autoliquidation BTP")[0], VAT_REVERSE_CHARGE)

    def test_fiscal_positions_of_the_french_chart(self):
        intra = "account.3_fiscal_position_template_intraeub2b"
        self.assertEqual(self.vat(fiscal_position_xmlid=intra, supply_kind=SUPPLY_GOODS)[0], VAT_INTRA_COMMUNITY)
        self.assertEqual(self.vat(fiscal_position_xmlid=intra, supply_kind=SUPPLY_SERVICES)[0], VAT_REVERSE_CHARGE)
        export = "account.3_fiscal_position_template_import_export"
        self.assertEqual(self.vat(fiscal_position_xmlid=export)[0], VAT_EXPORT)

    def test_countries(self):
        self.assertEqual(self.vat(buyer_country="US")[0], VAT_EXPORT)
        self.assertEqual(self.vat(buyer_country="DE", supply_kind=SUPPLY_GOODS)[0], VAT_INTRA_COMMUNITY)
        self.assertEqual(self.vat(buyer_country="NO", supply_kind=SUPPLY_SERVICES)[0], VAT_REVERSE_CHARGE)
        self.assertEqual(self.vat(buyer_country="FR")[0], VAT_EXEMPT)

    def test_franchise_en_base(self):
        self.assertEqual(self.vat(tax_text="TVA non applicable, art. 293 B du CGI"), (VAT_EXEMPT, VATEX_FRANCHISE, ""))
