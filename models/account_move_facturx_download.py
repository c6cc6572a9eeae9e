from odoo import _, models
from odoo.exceptions import UserError

from .account_move_preflight import CUSTOMER_MOVE_TYPES


class AccountMove(models.Model):
    _inherit = "account.move"

    def action_chorus_download_facturx(self):
        """Download the Factur-X PDF/A-3 of the invoice, the document sent to Chorus Pro."""
        self.ensure_one()
        if self.state != "posted" or self.move_type not in CUSTOMER_MOVE_TYPES:
            raise UserError(_("Only a confirmed customer invoice or credit note has a Factur-X."))
        name = _("%(number)s Factur-X.pdf", number=self.name.replace("/", "_"))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id), ("name", "=", name)], limit=1
        )
        # One attachment per invoice, refreshed at each download rather than one more each time.
        values = {"raw": self.chorus_facturx_pdf(), "mimetype": "application/pdf"}
        if attachment:
            attachment.write(values)
        else:
            attachment = self.env["ir.attachment"].create(
                {"name": name, "res_model": self._name, "res_id": self.id, **values}
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }
