from odoo import fields, models

CHORUS_ENVIRONMENTS = [
    ("qualification", "Qualification (PISTE sandbox)"),
    ("production", "Production"),
    ("custom", "Custom (local sandbox)"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    chorus_environment = fields.Selection(
        CHORUS_ENVIRONMENTS,
        string="Chorus Pro Environment",
        default="qualification",
        required=True,
    )
    chorus_api_url = fields.Char(
        string="Chorus Pro API URL",
        help="Base URL of the API for a custom environment, e.g. http://127.0.0.1:8089",
    )
    chorus_oauth_url = fields.Char(
        string="Chorus Pro Token URL",
        help="OAuth token URL for a custom environment, e.g. http://127.0.0.1:8089/api/oauth/token",
    )
    # Credentials: only system administrators may read or write them.
    chorus_client_id = fields.Char(string="PISTE Client ID", groups="base.group_system", copy=False)
    chorus_client_secret = fields.Char(string="PISTE Client Secret", groups="base.group_system", copy=False)
    chorus_login = fields.Char(string="Chorus Technical Login", groups="base.group_system", copy=False)
    chorus_password = fields.Char(string="Chorus Technical Password", groups="base.group_system", copy=False)
    chorus_password_expiry_date = fields.Date(
        string="Technical Password Expiry",
        copy=False,
        help="Chorus Pro technical passwords expire every 424 days; only the structure's main manager can renew them.",
    )
