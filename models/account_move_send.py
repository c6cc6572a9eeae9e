from odoo import api, models

CHORUS_BUILDER = "account.edi.xml.cii.chorus"


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _hook_invoice_document_after_pdf_report_render(self, invoice, invoice_data):
        """The PDF of a Chorus invoice becomes our Factur-X PDF/A-3, after Odoo's own processing.

        Odoo embeds a ``factur-x.xml`` in every invoice PDF here: ours when our builder made the
        invoice's XML (a Chorus buyer in Factur-X), else its own. Our embedding rebuilds the
        attached files from scratch, so the PDF ends with one ``factur-x.xml``, ours, and the
        Chorus attachments, with the Factur-X PDF/A-3 metadata.
        """
        super()._hook_invoice_document_after_pdf_report_render(invoice, invoice_data)
        if not invoice._chorus_facturx_in_report():
            return
        pdf_values = (
            (not self.env.context.get("custom_template_facturx") and invoice.invoice_pdf_report_id)
            or invoice_data.get("pdf_attachment_values")
            or invoice_data.get("proforma_pdf_attachment_values")
        )
        # In tests the report renders as HTML unless real PDFs are asked for.
        if not pdf_values or not pdf_values["raw"].startswith(b"%PDF"):
            return
        options = invoice_data.get("ubl_cii_xml_options") or {}
        xml = None
        if options.get("builder") is not None and options["builder"]._name == CHORUS_BUILDER:
            xml = invoice_data["ubl_cii_xml_attachment_values"]["raw"]
        pdf_values["raw"] = invoice._chorus_facturx_embed(pdf_values["raw"], xml)
