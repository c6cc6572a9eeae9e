"""The "Re-route on Chorus Pro" wizard: a new service and/or engagement number for an invoice to recycle."""

from odoo import api, fields, models


class ChorusRecycleWizard(models.TransientModel):
    _name = "chorus.recycle.wizard"
    _description = "Re-route on Chorus Pro"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, readonly=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Public Buyer")
    recycle_reason = fields.Text(related="move_id.chorus_status_reason", string="Why It Came Back")
    current_service_code = fields.Char(related="move_id.buyer_reference", string="Current Service Code")
    current_engagement = fields.Char(related="move_id.purchase_order_reference", string="Current Engagement Number")
    service_id = fields.Many2one(
        "chorus.service",
        string="New Service",
        check_company=True,
        # FACTURES_PUBLIQUES is reserved to invoicing between public entities.
        domain="[('partner_id', '=', partner_id), ('code', '!=', 'FACTURES_PUBLIQUES')]",
        help="Leave empty to keep the current service.",
    )
    engagement = fields.Char(string="New Engagement Number", help="Leave empty to keep the current engagement number.")

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

    def action_recycle(self):
        self.ensure_one()
        self.move_id._chorus_check_caller()
        self.move_id.chorus_recycle(buyer_reference=self.service_id.code, purchase_order_reference=self.engagement)
        return {"type": "ir.actions.act_window_close"}
