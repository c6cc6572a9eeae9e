from odoo import models

from ..chorus_core.facturx.findings import only_errors


class AccountEdiXmlCiiChorus(models.AbstractModel):
    """Odoo's Factur-X builder for invoices to Chorus Pro public buyers: our CII, in the layout Chorus Pro accepts.

    ``res.partner._get_edi_builder`` hands it out for a Chorus buyer whose format is Factur-X, so
    Send & Print, the attached XML and the PDF embedding all use the same document.
    """

    _name = "account.edi.xml.cii.chorus"
    _inherit = "account.edi.xml.cii"
    _description = "Factur-X (EN 16931) for Chorus Pro"

    def _export_invoice(self, invoice):
        xml, findings = invoice._chorus_facturx_build()
        return xml, {invoice._chorus_facturx_message(finding) for finding in only_errors(findings)}
