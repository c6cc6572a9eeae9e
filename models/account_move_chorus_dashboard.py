"""The kind of an invoice's Chorus Pro status (in progress, to act on, paid...), for badges and filters."""

from odoo import api, fields, models

from ..chorus_core import invoice_statuses

CHORUS_STATUS_KINDS = [
    (invoice_statuses.KIND_IN_PROGRESS, "In progress"),
    (invoice_statuses.KIND_TO_ACT, "To act on"),
    (invoice_statuses.KIND_PAID, "Paid"),
    (invoice_statuses.KIND_REJECTED, "Rejected"),
    (invoice_statuses.KIND_CANCELLED, "Cancelled"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    # Stored: it colours the badges of lists and kanban cards and drives the dashboard's filters.
    chorus_status_kind = fields.Selection(
        CHORUS_STATUS_KINDS,
        string="Chorus Pro Follow-up",
        compute="_compute_chorus_status_kind",
        store=True,
        help="What the Chorus Pro status asks of you: nothing yet (in progress), an action (suspended, to "
        "recycle), nothing more (paid), a new invoice (rejected).",
    )

    @api.depends("chorus_status")
    def _compute_chorus_status_kind(self):
        for move in self:
            move.chorus_status_kind = invoice_statuses.badge_kind(move.chorus_status) if move.chorus_status else False
