from odoo import api, fields, models


class ChorusService(models.Model):
    """A service ("service exécutant") of a Chorus Pro public buyer; its code goes to BT-10."""

    _name = "chorus.service"
    _description = "Chorus Pro Service"
    _order = "partner_id, code"
    _rec_names_search = ["code", "name"]

    partner_id = fields.Many2one("res.partner", string="Public Buyer", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="partner_id.company_id", store=True)
    code = fields.Char(required=True, help="Service code expected by Chorus Pro (BT-10 Buyer reference).")
    name = fields.Char(string="Service Name")
    active = fields.Boolean(default=True)
    engagement_required = fields.Boolean(
        string="Engagement Number Required",
        help="Invoices to this service must carry an engagement number (BT-13).",
    )
    chorus_identifier = fields.Char(string="Chorus Service ID", help="Internal Chorus Pro identifier (idService).")

    _sql_constraints = [
        ("code_partner_unique", "unique(partner_id, code)", "A public buyer cannot have the same service code twice."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for service in self:
            service.display_name = f"{service.code} - {service.name}" if service.name else service.code
