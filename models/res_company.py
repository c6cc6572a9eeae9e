from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import config, str2bool

from ..chorus_core.client import ChorusClient
from ..chorus_core.config import ChorusConfig, custom_url_problem
from ..chorus_core.errors import ChorusConfigError
from .chorus_errors import chorus_error_message

CHORUS_ENVIRONMENTS = [
    ("qualification", "Qualification (PISTE sandbox)"),
    ("production", "Production"),
    ("custom", "Custom (local sandbox)"),
]
# odoo.conf option, off by default: "custom" (URLs of one's own) exists only where the server allows it.
ALLOW_CUSTOM_OPTION = "chorus_pro_allow_custom_environment"


def custom_environment_allowed():
    """Whether this server's configuration allows the custom environment (``chorus_pro_allow_custom_environment``)."""
    value = config.get(ALLOW_CUSTOM_OPTION)
    return value if isinstance(value, bool) else str2bool(str(value or ""), default=False)


class ResCompany(models.Model):
    _inherit = "res.company"

    # The environment, the URLs and the credentials: only system administrators may read or write them (the
    # credentials go wherever the environment and URLs say).
    chorus_environment = fields.Selection(
        selection="_chorus_environment_selection",
        string="Chorus Pro Environment",
        default="qualification",
        required=True,
        groups="base.group_system",
    )
    chorus_api_url = fields.Char(
        string="Chorus Pro API URL",
        help="Base URL of the API for a custom environment, e.g. http://127.0.0.1:8089",
        groups="base.group_system",
    )
    chorus_oauth_url = fields.Char(
        string="Chorus Pro Token URL",
        help="OAuth token URL for a custom environment, e.g. http://127.0.0.1:8089/api/oauth/token",
        groups="base.group_system",
    )
    chorus_client_id = fields.Char(string="PISTE Client ID", groups="base.group_system", copy=False)
    chorus_client_secret = fields.Char(string="PISTE Client Secret", groups="base.group_system", copy=False)
    chorus_login = fields.Char(string="Chorus Technical Login", groups="base.group_system", copy=False)
    chorus_password = fields.Char(string="Chorus Technical Password", groups="base.group_system", copy=False)
    chorus_password_expiry_date = fields.Date(
        string="Technical Password Expiry",
        copy=False,
        help="Chorus Pro technical passwords expire every 424 days; only the structure's main manager can renew them.",
    )

    chorus_redeposit_delay = fields.Integer(
        string="Deposit Again After (Hours)",
        default=48,
        help="A deposit whose answer was lost may be in Chorus Pro's hands: Chorus Pro shows an invoice only once "
        "it has processed its deposit, which can take hours. Only after this many hours without any trace of the "
        "invoice on Chorus Pro may a sender deposit it again.",
    )

    @api.model
    def _chorus_environment_selection(self):
        labels = {
            "qualification": _("Qualification (PISTE sandbox)"),
            "production": _("Production"),
            "custom": _("Custom (local sandbox)"),
        }
        allowed = [key for key, _label in CHORUS_ENVIRONMENTS if key != "custom" or custom_environment_allowed()]
        return [(key, labels[key]) for key in allowed]

    @api.constrains("chorus_environment", "chorus_api_url", "chorus_oauth_url")
    def _check_chorus_environment(self):
        for company in self.sudo():
            if kind := company._chorus_environment_problem():
                raise ValidationError(company._chorus_error_message(ChorusConfigError(kind, kind=kind)))

    def _chorus_environment_problem(self):
        """The ChorusConfigError kind that forbids this company's environment here, or None."""
        self.ensure_one()
        company = self.sudo()
        if company.chorus_environment != "custom":
            return None
        if not custom_environment_allowed():
            return "custom_not_allowed"
        urls = [url for url in (company.chorus_api_url, company.chorus_oauth_url) if url]
        return "insecure_url" if any(custom_url_problem(url) for url in urls) else None

    def _chorus_config(self, **options):
        """The client configuration of this company; raises ChorusConfigError when incomplete.

        ``options`` are other ``ChorusConfig`` settings (``timeout``, ``max_retries``...).

        The secrets are read as superuser so senders without access to them can still use
        Chorus Pro; they stay inside the returned object, never in a record or a message.
        """
        self.ensure_one()
        company = self.sudo()
        if company.chorus_environment == "custom" and not custom_environment_allowed():
            # A database restored on a server that does not allow it keeps its custom URLs unused.
            raise ChorusConfigError("The custom environment is not allowed on this server.", kind="custom_not_allowed")
        return ChorusConfig(
            environment=company.chorus_environment,
            client_id=company.chorus_client_id or "",
            client_secret=company.chorus_client_secret or "",
            login=company.chorus_login or "",
            password=company.chorus_password or "",
            api_url=company.chorus_api_url or "",
            oauth_url=company.chorus_oauth_url or "",
            **options,
        )

    def _chorus_client(self, **options):
        """A ChorusClient for this company (use it as a context manager to close its connections)."""
        return ChorusClient(self._chorus_config(**options))

    @api.model
    def _chorus_configured_companies(self):
        """Companies whose Chorus Pro settings are complete, i.e. that scheduled jobs may work for.

        The scheduled job (superuser, no company chosen) works for every company; anyone else only for
        the companies they work in.
        """
        if self.env.su and "allowed_company_ids" not in self.env.context:
            candidates = self.sudo().search([])
        else:
            candidates = self.env.companies.sudo()
        configured = self.browse()
        for company in candidates:
            try:
                company._chorus_config()
            except ChorusConfigError:
                continue
            configured |= company
        return configured.sudo(False)

    def _chorus_environment_label(self):
        """The environment's label (not a secret, unlike the URLs): shown in messages to senders too."""
        self.ensure_one()
        environment = self.sudo().chorus_environment
        labels = dict(self._fields["chorus_environment"]._description_selection(self.env))
        return labels.get(environment, environment)

    def _chorus_error_message(self, error, siret=""):
        """The plain-words message of a ChorusError met while working for this company."""
        self.ensure_one()
        return chorus_error_message(self.env, error, environment=self._chorus_environment_label(), siret=siret)
