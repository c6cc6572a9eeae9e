"""Where an invoice stands on Chorus Pro once deposited: its status, its date and reason, its history.

``_chorus_apply_history`` records a ``consulter/historique`` answer; the synchronisation
(``account_move_chorus_sync.py``) decides which invoices to ask about.
"""

from odoo import _, api, fields, models

from ..chorus_core import invoice_statuses, status_sync

# The kinds of badge of invoice_statuses.KINDS: they colour the badges and drive the dashboard's filters.
CHORUS_STATUS_KINDS = [
    (invoice_statuses.KIND_IN_PROGRESS, "In progress"),
    (invoice_statuses.KIND_TO_ACT, "To act on"),
    (invoice_statuses.KIND_PAID, "Paid"),
    (invoice_statuses.KIND_REJECTED, "Rejected"),
    (invoice_statuses.KIND_CANCELLED, "Cancelled"),
]
CHORUS_SYNC_PENDING = [
    ("due", "To refresh"),
    ("failed", "Refresh failed"),
]


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
    chorus_status_final = fields.Boolean(
        string="Chorus Pro Status Final",
        compute="_compute_chorus_status_final",
        store=True,
        help="The Chorus Pro status will not change any more: the synchronisation stops asking about it.",
    )
    # Stored: list and kanban badges are coloured by it and the dashboard filters on it.
    chorus_status_kind = fields.Selection(
        CHORUS_STATUS_KINDS,
        string="Chorus Pro Follow-up",
        compute="_compute_chorus_status_kind",
        store=True,
        help="What the Chorus Pro status asks of you: nothing yet (in progress), an action (suspended, to "
        "recycle), nothing more (paid), a new invoice (rejected).",
    )
    # Set by the synchronisation: Chorus Pro reported a change the history of which is still to read.
    chorus_sync_pending = fields.Selection(
        CHORUS_SYNC_PENDING, string="Chorus Pro Refresh", copy=False, readonly=True, index="btree_not_null"
    )

    @api.depends("chorus_status", "commercial_partner_id.chorus_payment_not_reported")
    def _compute_chorus_status_final(self):
        for move in self:
            move.chorus_status_final = invoice_statuses.is_final(
                move.chorus_status, move.commercial_partner_id.chorus_payment_not_reported
            )

    @api.depends("chorus_status", "commercial_partner_id.chorus_payment_not_reported")
    def _compute_chorus_status_kind(self):
        for move in self:
            move.chorus_status_kind = move.chorus_status and invoice_statuses.badge_kind(
                move.chorus_status, move.commercial_partner_id.chorus_payment_not_reported
            )

    def _chorus_apply_history(self, answer):
        """Record a ``consulter/historique`` answer: new history lines, the current status, date and reason.

        A line is known by Chorus Pro's id (``status_sync.unrecorded_entries``), so two passages through a
        status within one second are two lines.

        A blocking status (suspended, to re-route, rejected) reached since the last reading gets a
        chatter message with its reason and an activity, once.
        """
        self.ensure_one()
        codes = dict(invoice_statuses.SELECTION)
        entries = [entry for entry in status_sync.history_entries(answer) if entry["status"] in codes]
        lines = self.chorus_status_history_ids
        new, named = status_sync.unrecorded_entries(
            entries,
            [{"key": line.id, "id": line.chorus_id, "status": line.status, "date": line.date} for line in lines],
        )
        current = status_sync.current_entry(answer)
        values = {"chorus_sync_pending": False}
        # What Chorus Pro reported: written as superuser, the history is never the user's to edit.
        for line in lines.filtered(lambda line: line.id in named).sudo():
            line.chorus_id = named[line.id]
        self.env["chorus.status.history"].sudo().create(
            [
                {
                    "move_id": self.id,
                    "chorus_id": e["id"],
                    "status": e["status"],
                    "date": e["date"],
                    "comment": e["comment"],
                }
                for e in new
            ]
        )
        if current and current["status"] in codes:
            blocking = current["status"] in status_sync.NOTIFIED_STATUSES
            values.update(
                chorus_status=current["status"],
                chorus_status_date=current["date"] or self.chorus_status_date,
                chorus_status_reason=current["comment"] if blocking else False,
            )
            # Without a date, a passage can't be told from the last one: only a new status is news.
            reached_now = current in new if current["date"] else current["status"] != self.chorus_status
            self.write(values)
            if blocking and reached_now:
                self._chorus_notify_blocked(current["comment"])
        else:
            self.write(values)

    def _chorus_notify_blocked(self, reason):
        """A chatter message in plain words and a To-Do for whoever follows the invoice."""
        self.ensure_one()
        status = self.chorus_status
        reason = reason or _("Chorus Pro gave no reason.")
        if status == invoice_statuses.SUSPENDUE:
            summary = _("Complete the invoice on Chorus Pro")
            body = _(
                "The buyer suspended this invoice on Chorus Pro: %(reason)s. Complete it (a comment or "
                "attachments) so that it goes back to the buyer.",
                reason=reason,
            )
        elif status in invoice_statuses.VALIDATOR_REFUSALS:
            summary = _("Invoice refused by its validator")
            body = _(
                "The validator %(validator)s refused this invoice on Chorus Pro: %(reason)s. A refusal is final: "
                "issue a credit note and a new, corrected invoice.",
                validator=self._chorus_validator().display_name or "?",
                reason=reason,
            )
        elif status in invoice_statuses.WRONG_VALIDATOR_STATUSES:
            summary = _("Correct the invoice's validator")
            body = _(
                "%(validator)s says on Chorus Pro that it is not this invoice's validator: %(reason)s. Choose the "
                "right validator (the main contractor, or the group's representative) on the invoice, then click "
                "'Correct the Validator'.",
                validator=self._chorus_validator().display_name or "?",
                reason=reason,
            )
        elif status == invoice_statuses.A_RECYCLER:
            summary = _("Re-route the invoice on Chorus Pro")
            body = _(
                "Chorus Pro sent this invoice back to be re-routed (wrong recipient, service or engagement "
                "number): %(reason)s. Re-route it to the right recipient.",
                reason=reason,
            )
        else:
            summary = _("Invoice rejected on Chorus Pro")
            body = _(
                "The buyer rejected this invoice on Chorus Pro: %(reason)s. A rejection is final: issue a "
                "credit note and a new invoice.",
                reason=reason,
            )
        self._chorus_post_and_schedule(summary, body)

    def _chorus_post_and_schedule(self, summary, body):
        self.message_post(body=body)
        self.activity_schedule(
            "mail.mail_activity_data_todo", summary=summary, note=body, user_id=self._chorus_follower().id
        )

    def _chorus_follower(self):
        """The user who follows the invoice on Chorus Pro: its salesperson, else who sent it."""
        self.ensure_one()
        return self.invoice_user_id or self.chorus_flux_id.create_uid or self.env.user
