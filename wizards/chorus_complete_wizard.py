"""The "Complete on Chorus Pro" wizard: a comment and attachments answering a suspension."""

from odoo import api, fields, models


class ChorusCompleteWizard(models.TransientModel):
    _name = "chorus.complete.wizard"
    _description = "Complete on Chorus Pro"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, readonly=True, ondelete="cascade", check_company=True
    )
    suspension_reason = fields.Text(related="move_id.chorus_status_reason", string="Why It Was Suspended")
    comment = fields.Text(help="Your answer to the buyer: what you add or correct (at most 2000 characters).")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Attachments",
        help="Documents the buyer asked for: each under 10 MB, a PDF, image, office or text file.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # The related fields are read as superuser: the caller must be allowed the invoice first.
        moves = self.env["account.move"].browse([vals["move_id"] for vals in vals_list if vals.get("move_id")])
        moves._chorus_check_caller()
        return super().create(vals_list)

    def write(self, vals):
        if "move_id" in vals:
            self.env["account.move"].browse(vals["move_id"])._chorus_check_caller()
        return super().write(vals)

    def action_complete(self):
        self.ensure_one()
        self.move_id._chorus_check_caller()
        # Files uploaded in the wizard belong to it until sent: they then stay with the invoice.
        uploaded = self.attachment_ids.filtered(lambda attachment: attachment.res_model == self._name)
        uploaded.write({"res_model": "account.move", "res_id": self.move_id.id})
        self.move_id.chorus_complete(self.comment, self.attachment_ids)
        return {"type": "ir.actions.act_window_close"}
