"""The "Send to Chorus Pro" wizard: the selected invoices with their pre-flight, then what became of each.

It opens with the quick checks of each invoice (milliseconds each, so a hundred open at once); the
Factur-X checks (the official Schematron) run once per invoice when it is sent, in ``chorus_send``, or
on demand with "Check the Factur-X". Its lines are its output: users read them, only the wizard writes
them.
"""

from odoo import Command, _, api, fields, models

from ..models.account_move_send import CHORUS_METHOD

LINE_STATUSES = [
    ("ready", "Ready"),
    ("not_ready", "Not ready"),
    ("already_sent", "Already sent"),
    ("awaiting", "Awaiting confirmation"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("queued", "Queued"),
]
# More invoices than this are handed to Send & Print's background job (with its progress).
CHORUS_WIZARD_SYNC_LIMIT = 20


class ChorusSendWizard(models.TransientModel):
    _name = "chorus.send.wizard"
    _description = "Send to Chorus Pro"
    _check_company_auto = True

    company_ids = fields.Many2many("res.company", readonly=True, default=lambda self: self.env.companies)
    move_ids = fields.Many2many("account.move", string="Invoices", required=True, check_company=True)
    line_ids = fields.One2many("chorus.send.wizard.line", "wizard_id", string="Invoices to Send")
    state = fields.Selection([("draft", "To send"), ("done", "Done")], default="draft", required=True)
    ready_count = fields.Integer(compute="_compute_ready_count")
    summary = fields.Text(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        # Before anything is made: the lines show the invoices' customers and amounts (related fields, read
        # as superuser), so the caller must be allowed every invoice.
        moves = self.env["account.move"]
        for vals in vals_list:
            moves |= self.new({"move_ids": vals.get("move_ids", [])}).move_ids._origin
        moves._chorus_check_caller()
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard.sudo().line_ids = [Command.create(values) for values in wizard._chorus_preflight_lines()]
        return wizards

    def write(self, vals):
        if "move_ids" in vals:
            self.new({"move_ids": vals["move_ids"]}).move_ids._origin._chorus_check_caller()
        return super().write(vals)

    @api.depends("line_ids.status")
    def _compute_ready_count(self):
        for wizard in self:
            wizard.ready_count = len(wizard.line_ids.filtered(lambda line: line.status == "ready"))

    def _chorus_preflight_lines(self):
        lines = []
        for move in self.move_ids:
            if held := move._chorus_held_result():
                status, message = held["result"], held["message"]
            elif expired := move.company_id._chorus_check_password_valid():
                status, message = "not_ready", expired
            elif problems := move._chorus_preflight_messages(with_facturx=False):
                status, message = "not_ready", "\n".join(problems)
            else:
                status, message = "ready", _("Ready for Chorus Pro (its Factur-X is checked when it is sent).")
            lines.append({"move_id": move.id, "status": status, "message": message})
        return lines

    def _chorus_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Send to Chorus Pro"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_chorus_check_facturx(self):
        """Run the Factur-X checks (the official Schematron) of the ready invoices now, before sending."""
        self.ensure_one()
        ready = self.line_ids.filtered(lambda line: line.status == "ready")
        ready.move_id._chorus_check_caller()
        for line in ready:
            if problems := [message for _code, message in line.move_id._chorus_preflight_facturx()]:
                line.sudo().write({"status": "not_ready", "message": "\n".join(problems)})
            else:
                line.sudo().message = _("Ready for Chorus Pro; its Factur-X follows the official rules.")
        return self._chorus_open()

    def action_send(self):
        """Send the ready invoices (``chorus_send`` runs their whole pre-flight) and say what became of each."""
        self.ensure_one()
        moves = self.env["account.move"]
        ready = self.line_ids.filtered(lambda line: line.status == "ready").move_id
        ready._chorus_check_caller()
        queued = self._chorus_queue(ready) if len(ready) > CHORUS_WIZARD_SYNC_LIMIT else moves
        results = (ready - queued).chorus_send()
        for line in self.line_ids:
            if line.move_id in queued:
                line.sudo().write({"status": "queued", "message": _("Being sent in the background.")})
            elif result := results.get(line.move_id.id):
                line.sudo().write({"status": result["result"], "message": result["message"]})
        self.write({"state": "done", "summary": self._chorus_summary()})
        return self._chorus_open()

    def _chorus_queue(self, moves):
        """Hand these invoices to Send & Print's background job, as its batch wizard does; returns them."""
        send = self.env["account.move.send"]
        queued = moves.filtered(lambda move: send._get_default_sending_method(move) == CHORUS_METHOD)
        queued.sending_data = {"author_user_id": self.env.user.id, "author_partner_id": self.env.user.partner_id.id}
        if queued:
            self.env.ref("account.ir_cron_account_move_send")._trigger()
        return queued

    def _chorus_summary(self):
        counts = {status: 0 for status, _label in LINE_STATUSES}
        for line in self.line_ids:
            counts[line.status] += 1
        parts = [
            _("Sent: %(count)s.", count=counts["sent"]),
            _("Not ready: %(count)s.", count=counts["not_ready"]),
            _("Failed: %(count)s.", count=counts["failed"]),
            _("Already sent: %(count)s.", count=counts["already_sent"]),
        ]
        if counts["awaiting"]:
            parts.append(_("Awaiting confirmation from Chorus Pro: %(count)s.", count=counts["awaiting"]))
        if counts["queued"]:
            parts.append(_("Being sent in the background: %(count)s.", count=counts["queued"]))
        return " ".join(parts)


class ChorusSendWizardLine(models.TransientModel):
    _name = "chorus.send.wizard.line"
    _description = "Invoice to Send to Chorus Pro"

    wizard_id = fields.Many2one("chorus.send.wizard", required=True, ondelete="cascade")
    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    partner_id = fields.Many2one(related="move_id.partner_id", string="Customer")
    amount_total = fields.Monetary(related="move_id.amount_total", currency_field="currency_id")
    currency_id = fields.Many2one(related="move_id.currency_id")
    status = fields.Selection(LINE_STATUSES, required=True, readonly=True)
    message = fields.Text(readonly=True)
