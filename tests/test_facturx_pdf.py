import re
from io import BytesIO

from pypdf import PdfReader

from odoo import Command
from odoo.tests import tagged

from ..chorus_core.facturx.pdf import FACTURX_FILENAME, extract_facturx_xml
from .facturx_common import ChorusFacturxCommon
from .sandbox_common import print_in_test_mode

XMP_PDFA_PART_3 = re.compile(rb"pdfaid:part(>|=\")3")


@tagged("post_install", "-at_install")
class TestChorusFacturxPdf(ChorusFacturxCommon):
    """The PDF of a Chorus invoice that Odoo makes (Send & Print, Factur-X reports) is our Factur-X PDF/A-3."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls.env["ir.actions.report"].with_context(force_report_rendering=True)

    def setUp(self):
        super().setUp()
        print_in_test_mode(self)

    def _print(self, invoice):
        pdf, _report_type = self.report._render_qweb_pdf("account.account_invoices", invoice.ids)
        return pdf

    def assertOnlyOurFacturx(self, pdf, invoice):
        attachments = PdfReader(BytesIO(pdf)).attachments
        self.assertEqual(len(attachments.get(FACTURX_FILENAME, [])), 1, "exactly one factur-x.xml")
        self.assertEqual(extract_facturx_xml(pdf), invoice.chorus_facturx_xml())

    def test_pdf_holds_our_xml_and_is_pdfa3(self):
        annex = self.env["ir.attachment"].create({"name": "bordereau.pdf", "raw": b"%PDF-1.4 annexe"})
        invoice = self._chorus_invoice(chorus_attachment_ids=[Command.set(annex.ids)])
        pdf = invoice.with_context(force_report_rendering=True).chorus_facturx_pdf()
        self.assertEqual(extract_facturx_xml(pdf), invoice.chorus_facturx_xml())
        reader = PdfReader(BytesIO(pdf))
        self.assertEqual(len(reader.trailer["/ID"]), 2)
        root = reader.trailer["/Root"]
        self.assertRegex(root["/Metadata"].get_object().get_data(), XMP_PDFA_PART_3)
        intent = root["/OutputIntents"][0].get_object()
        self.assertEqual(intent["/S"], "/GTS_PDFA1")
        self.assertIn("/DestOutputProfile", intent)
        names = root["/Names"]["/EmbeddedFiles"]["/Names"]
        relationships = {str(names[i]): names[i + 1].get_object()["/AFRelationship"] for i in range(0, len(names), 2)}
        self.assertEqual(relationships, {FACTURX_FILENAME: "/Data", "bordereau.pdf": "/Supplement"})
        self.assertEqual(reader.attachments["bordereau.pdf"], [b"%PDF-1.4 annexe"])

    def test_printed_report_has_one_facturx_even_with_odoo_embedding(self):
        # account_edi_ubl_cii embeds its own factur-x.xml into the reports listed in this parameter.
        self.env["ir.config_parameter"].sudo().set_param(
            "account.custom_templates_facturx_list", "account.report_invoice_with_payments"
        )
        invoice = self._chorus_invoice()
        self.assertOnlyOurFacturx(self._print(invoice), invoice)

    def test_send_and_print_makes_our_facturx(self):
        invoice = self._chorus_invoice()
        self.assertEqual(self.buyer.invoice_edi_format, "facturx")
        self.env["account.move.send"].with_context(force_report_rendering=True)._generate_and_send_invoices(
            invoice, sending_methods={"manual"}
        )
        self.assertTrue(invoice.invoice_pdf_report_id)
        self.assertOnlyOurFacturx(invoice.invoice_pdf_report_id.raw, invoice)
        # Odoo's own EDI mechanism made the XML linked to the invoice: ours, the one inside the PDF.
        self.assertEqual(invoice.ubl_cii_xml_id.raw, invoice.chorus_facturx_xml())

    def test_send_and_print_without_edi_format_still_embeds_ours(self):
        # Odoo always embeds its own Factur-X; for a Chorus buyer ours replaces it.
        self.buyer.invoice_edi_format = False
        invoice = self._chorus_invoice()
        self.env["account.move.send"].with_context(force_report_rendering=True)._generate_and_send_invoices(
            invoice, sending_methods={"manual"}
        )
        self.assertOnlyOurFacturx(invoice.invoice_pdf_report_id.raw, invoice)
        self.assertFalse(invoice.ubl_cii_xml_id)

    def test_other_customers_keep_odoo_printing(self):
        invoice = self.init_invoice("out_invoice", partner=self.partner_a, amounts=[100.0], post=True)
        self.assertFalse(PdfReader(BytesIO(self._print(invoice))).attachments)
        # The API still gives them a Factur-X when asked.
        pdf = invoice.with_context(force_report_rendering=True).chorus_facturx_pdf()
        self.assertEqual(extract_facturx_xml(pdf), invoice.chorus_facturx_xml())

    def test_download_action_returns_the_pdf(self):
        invoice = self._chorus_invoice().with_context(force_report_rendering=True)
        action = invoice.action_chorus_download_facturx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(re.search(r"/web/content/(\d+)\?download=true", action["url"]).group(1))
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(extract_facturx_xml(attachment.raw), invoice.chorus_facturx_xml())
        # A second download refreshes the same attachment.
        self.assertEqual(invoice.action_chorus_download_facturx()["url"], action["url"])
