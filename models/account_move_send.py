from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _hook_invoice_document_after_pdf_report_render(self, invoice, invoice_data):
        """Keep Odoo's own Factur-X out of the PDF of a Chorus invoice.

        ``account_edi_ubl_cii`` appends its ``factur-x.xml`` (EXTENDED profile, SIRET under 0002)
        to every invoice PDF here, also when the report already holds ours: a second, different XML
        that Chorus Pro could read instead. Its other job in this hook, putting the PDF into a UBL
        file when the customer's format is UBL, is kept.
        """
        if not invoice._chorus_facturx_in_report():
            super()._hook_invoice_document_after_pdf_report_render(invoice, invoice_data)
            return
        options = invoice_data.get("ubl_cii_xml_options")
        if options and options["ubl_cii_format"] != "facturx":
            self._postprocess_invoice_ubl_xml(invoice, invoice_data)
