import io

from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Invoices to Chorus buyers are printed as our Factur-X PDF/A-3.

        Embedding here, where every invoice PDF is rendered (Print, Send & Print, portal), makes the
        printed PDF and the one sent to Chorus Pro the same document. The ``factur-x`` library
        rebuilds the embedded files from scratch, so an XML that Odoo's custom-template hook put
        in the stream before us is dropped: one ``factur-x.xml``, ours.
        """
        streams = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        if not res_ids or not self._is_invoice_report(report_ref):
            return streams
        invoices = self.env["account.move"].browse(res_ids).filtered(lambda move: move._chorus_facturx_in_report())
        for invoice in invoices:
            entry = streams.get(invoice.id)
            if entry and entry["stream"]:
                pdf = invoice._chorus_facturx_embed(entry["stream"].getvalue())
                entry["stream"].close()
                entry["stream"] = io.BytesIO(pdf)
        return streams
