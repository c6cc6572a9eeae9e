from odoo import _, fields, models
from odoo.exceptions import AccessError

from ..chorus_core.errors import ChorusError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    chorus_environment = fields.Selection(
        related="company_id.chorus_environment", readonly=False, groups="base.group_system"
    )
    chorus_api_url = fields.Char(related="company_id.chorus_api_url", readonly=False, groups="base.group_system")
    chorus_oauth_url = fields.Char(related="company_id.chorus_oauth_url", readonly=False, groups="base.group_system")
    chorus_client_id = fields.Char(related="company_id.chorus_client_id", readonly=False, groups="base.group_system")
    chorus_client_secret = fields.Char(
        related="company_id.chorus_client_secret", readonly=False, groups="base.group_system"
    )
    chorus_login = fields.Char(related="company_id.chorus_login", readonly=False, groups="base.group_system")
    chorus_password = fields.Char(related="company_id.chorus_password", readonly=False, groups="base.group_system")
    chorus_password_expiry_date = fields.Date(related="company_id.chorus_password_expiry_date", readonly=False)
    chorus_redeposit_delay = fields.Integer(related="company_id.chorus_redeposit_delay", readonly=False)
    chorus_check_engagement = fields.Boolean(related="company_id.chorus_check_engagement", readonly=False)

    def action_chorus_test_connection(self):
        """Get a token and look the company's SIRET up; report the outcome as a notification.

        Errors are notified rather than raised: the web client saved the settings before calling
        this button, and raising would roll back the credentials the user just typed.
        """
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(_("Only administrators can test the Chorus Pro connection."))
        company = self.company_id
        siret = "".join((company.siret or "").split())
        environment = company._chorus_environment_label()
        try:
            with company._chorus_client() as client:
                client.get_token()
                structures = client.search_structure(siret)["listeStructures"] if siret else None
        except ChorusError as error:
            return _chorus_notification("danger", company._chorus_error_message(error))
        if structures is None:
            return _chorus_notification(
                "warning",
                _(
                    "Connected to Chorus Pro %(environment)s. Set the SIRET of your company to check that its "
                    "structure is registered on Chorus Pro.",
                    environment=environment,
                ),
            )
        structure = next((s for s in structures if s.get("identifiantStructure") == siret), None)
        if structure is None:
            return _chorus_notification(
                "warning",
                _(
                    "Connected to Chorus Pro %(environment)s, but it knows no structure with your SIRET %(siret)s: "
                    "check the SIRET of your company; it must be registered on Chorus Pro to send invoices.",
                    environment=environment,
                    siret=siret,
                ),
            )
        return _chorus_notification(
            "success",
            _(
                "Connected to Chorus Pro %(environment)s; your structure %(name)s (%(identifier)s) was found.",
                environment=environment,
                name=structure.get("designationStructure") or "",
                identifier=structure.get("idStructureCPP"),
            ),
        )


def _chorus_notification(kind, message):
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {
            "type": kind,
            "title": "Chorus Pro",
            "message": message,
            "sticky": kind != "success",
        },
    }
