from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    chorus_environment = fields.Selection(related="company_id.chorus_environment", readonly=False)
    chorus_api_url = fields.Char(related="company_id.chorus_api_url", readonly=False)
    chorus_oauth_url = fields.Char(related="company_id.chorus_oauth_url", readonly=False)
    chorus_client_id = fields.Char(related="company_id.chorus_client_id", readonly=False, groups="base.group_system")
    chorus_client_secret = fields.Char(
        related="company_id.chorus_client_secret", readonly=False, groups="base.group_system"
    )
    chorus_login = fields.Char(related="company_id.chorus_login", readonly=False, groups="base.group_system")
    chorus_password = fields.Char(related="company_id.chorus_password", readonly=False, groups="base.group_system")
    chorus_password_expiry_date = fields.Date(related="company_id.chorus_password_expiry_date", readonly=False)
