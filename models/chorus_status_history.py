"""The statuses an invoice went through on Chorus Pro, as the platform reports them."""

from odoo import fields, models

from ..chorus_core import invoice_statuses


class ChorusStatusHistory(models.Model):
    _name = "chorus.status.history"
    _description = "Chorus Pro Status History"
    _order = "date desc, id desc"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True)
    # histoStatutId: an int64 on Chorus Pro, beyond an Integer field; empty on lines recorded before it was kept.
    chorus_id = fields.Char(
        string="Chorus Pro Line Id", readonly=True, help="Chorus Pro's number of this history line."
    )
    status = fields.Selection(invoice_statuses.SELECTION, required=True)
    date = fields.Datetime(required=True, help="When Chorus Pro recorded this status.")
    comment = fields.Text(help="The reason or comment Chorus Pro gives with this status.")

    _sql_constraints = [
        # NULLs are distinct: lines without an id never collide. Upgrading drops the former unique(move, status,
        # date) with the module's data it no longer declares.
        ("move_chorus_id_uniq", "unique(move_id, chorus_id)", "A Chorus Pro history line is recorded once."),
    ]
