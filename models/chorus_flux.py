"""One record per deposit on Chorus Pro (a "flux"): the file sent, its number and its processing state."""

import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..chorus_core import flux_states
from ..chorus_core.errors import ChorusError
from .res_company import CHORUS_ENVIRONMENTS

_logger = logging.getLogger(__name__)

FACTURX_SYNTAX = "IN_DP_E2_CII_FACTURX"


class ChorusFlux(models.Model):
    _name = "chorus.flux"
    _description = "Chorus Pro Deposit"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(string="Deposit Number", required=True, readonly=True, index=True, tracking=True)
    deposit_date = fields.Date(readonly=True)
    syntax = fields.Char(default=FACTURX_SYNTAX, readonly=True, help="'syntaxeFlux' of the deposit.")
    attachment_id = fields.Many2one("ir.attachment", string="File Sent", readonly=True, ondelete="restrict")
    state = fields.Selection(
        flux_states.SELECTION,
        string="Status",
        default=flux_states.DEPOSITED,
        required=True,
        readonly=True,
        tracking=True,
    )
    state_code = fields.Char(
        string="Chorus Pro Status Code", compute="_compute_state_code", help="The status as Chorus Pro names it."
    )
    is_failure = fields.Boolean(
        string="Refused", compute="_compute_is_failure", store=True, help="Chorus Pro integrated nothing."
    )
    error_message = fields.Text(readonly=True)
    move_ids = fields.Many2many(
        "account.move", "chorus_flux_account_move_rel", "flux_id", "move_id", string="Invoices", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    environment = fields.Selection(CHORUS_ENVIRONMENTS, readonly=True)
    technical_login = fields.Char(readonly=True, groups="l10n_fr_chorus_pro.group_chorus_manager")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A Chorus Pro deposit number is recorded once per company."),
    ]

    @api.depends("state")
    def _compute_state_code(self):
        for flux in self:
            flux.state_code = flux.state

    @api.depends("state")
    def _compute_is_failure(self):
        for flux in self:
            flux.is_failure = flux_states.is_failure(flux.state)

    def _chorus_link(self):
        """An HTML link to this deposit, for the chatter of its invoices."""
        self.ensure_one()
        return Markup('<a href="#" data-oe-model="%s" data-oe-id="%s">%s</a>') % (self._name, self.id, self.name)

    def action_chorus_refresh(self):
        """Read the processing report of these deposits from Chorus Pro and record their state."""
        if not self.env.user.has_group("l10n_fr_chorus_pro.group_chorus_sender"):
            raise AccessError(_("Only members of the group 'Chorus Pro / Send invoices' can refresh a deposit."))
        for company, fluxes in self.grouped("company_id").items():
            try:
                with company._chorus_client() as client:
                    for flux in fluxes:
                        flux._chorus_apply_report(client.flux_report(flux.name))
            except ChorusError as error:
                raise UserError(company._chorus_error_message(error)) from error
        return True

    def _chorus_apply_report(self, report):
        """Record a consulterCRDetaille answer; invoices of a failed deposit may be sent again."""
        self.ensure_one()
        state = report.get("etatCourantDepotFlux")
        if state not in flux_states.BY_CODE or state == self.state:
            return
        errors = [entry.get("libelleErreurDP") for entry in report["listeErreurDP"]]
        errors += [entry.get("libelleErreur") for entry in report["listeErreurTechnique"]]
        self.sudo().write({"state": state, "error_message": "\n".join(filter(None, errors)) or False})
        if flux_states.is_failure(state):
            self.move_ids.filtered(lambda move: move.chorus_flux_id == self)._chorus_flux_failed(self)
        _logger.info("Chorus flux %s (id %s) is now %s", self.name, self.id, state)
