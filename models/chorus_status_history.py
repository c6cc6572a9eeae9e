"""The statuses an invoice went through on Chorus Pro, as the platform reports them."""

from odoo import fields, models

from ..chorus_core import invoice_statuses


class ChorusStatusHistory(models.Model):
    _name = "chorus.status.history"
    _description = "Chorus Pro Status History"
    _order = "date desc, id desc"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True)
    status = fields.Selection(invoice_statuses.SELECTION, required=True)
    date = fields.Datetime(required=True, help="When Chorus Pro recorded this status.")
    comment = fields.Text(help="The reason or comment Chorus Pro gives with this status.")

    _sql_constraints = [
        ("move_status_date_uniq", "unique(move_id, status, date)", "A Chorus Pro status is recorded once per date."),
    ]
