"""Where an invoice stands on Chorus Pro once deposited: its status, its date and reason, its history."""

from odoo import fields, models

from ..chorus_core import invoice_statuses


class AccountMove(models.Model):
    _inherit = "account.move"

    chorus_identifier = fields.Char(
        string="Chorus Pro Invoice Identifier",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="'identifiantFactureCPP': the invoice's number on Chorus Pro, known once its deposit is integrated.",
    )
    chorus_status = fields.Selection(
        invoice_statuses.SELECTION,
        string="Chorus Pro Status",
        copy=False,
        readonly=True,
        index="btree_not_null",
        tracking=True,
    )
    chorus_status_date = fields.Datetime(string="Chorus Pro Status Date", copy=False, readonly=True)
    chorus_status_reason = fields.Text(
        string="Chorus Pro Reason", copy=False, readonly=True, help="Why Chorus Pro or the buyer blocked the invoice."
    )
    chorus_status_history_ids = fields.One2many(
        "chorus.status.history", "move_id", string="Chorus Pro History", copy=False, readonly=True
    )
