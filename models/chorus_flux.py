"""One record per deposit on Chorus Pro (a "flux"): the file sent, its number and its processing state."""

import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..chorus_core import flux_states, status_sync
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
        """Read these deposits from Chorus Pro: their processing report, then their invoices' statuses."""
        if not self.env.user.has_group("l10n_fr_chorus_pro.group_chorus_sender"):
            raise AccessError(_("Only members of the group 'Chorus Pro / Send invoices' can refresh a deposit."))
        self.check_access("read")
        for company, fluxes in self.grouped("company_id").items():
            try:
                with company._chorus_client() as client:
                    for flux in fluxes:
                        moves = flux.move_ids.filtered(lambda move, flux=flux: move.chorus_flux_id == flux)
                        for move in moves:
                            move._chorus_lock_for_refresh()
                        flux._chorus_apply_report(client, client.flux_report(flux.name))
                        moves._chorus_refresh(client)
            except ChorusError as error:
                raise UserError(company._chorus_error_message(error)) from error
        return True

    def _chorus_apply_report(self, client, report):
        """Record a consulterCRDetaille answer and tell each invoice Chorus Pro refused why.

        A failed deposit refuses all its invoices; a partially integrated one those its
        ``listeErreurDP`` names (by invoice number). Refused invoices may be corrected and sent again,
        unless Chorus Pro refused one because it holds it already, from another deposit (its number is
        taken once): that deposit is linked instead. Each refused invoice is looked up first, so a
        report is recorded only once Chorus Pro could be asked (a ChorusError leaves it for next time).
        """
        self.ensure_one()
        state = report.get("etatCourantDepotFlux")
        if state not in flux_states.BY_CODE or state == self.state:
            return
        invoice_errors = status_sync.deposit_errors(report)
        technical = status_sync.technical_errors(report)
        invoices = self.move_ids.filtered(lambda move: move.chorus_flux_id == self)
        if not flux_states.is_failure(state):
            invoices = invoices.filtered(lambda move: move.name in invoice_errors)
        held_elsewhere = {invoice: invoice._chorus_find_on_chorus(client) for invoice in invoices}
        lines = [f"{number}: {' | '.join(messages)}" for number, messages in invoice_errors.items()] + technical
        self.sudo().write({"state": state, "error_message": "\n".join(lines) or False})
        for invoice, found in held_elsewhere.items():
            if found:
                invoice._chorus_link_found(found, refused=self)
            else:
                self._chorus_refuse(invoice, invoice_errors.get(invoice.name) or technical)
        _logger.info("Chorus flux %s (id %s) is now %s", self.name, self.id, state)

    def _chorus_refuse(self, invoice, reasons):
        """Chorus Pro integrated nothing of ``invoice`` from this deposit: say why, ask its follower to act."""
        invoice.chorus_send_state = "error"
        state = dict(self._fields["state"]._description_selection(self.env))[self.state]
        reason = "; ".join(reasons) or _("Chorus Pro gave no reason.")
        invoice._chorus_post_and_schedule(
            _("Invoice refused by Chorus Pro"),
            _(
                "Chorus Pro refused this invoice in the deposit %(flux)s (%(state)s): %(reason)s. Correct the "
                "invoice and send it again.",
                flux=self.name,
                state=state,
                reason=reason,
            ),
        )

    def _chorus_find_identifiers(self, client, invoices):
        """Give these invoices of this integrated deposit their Chorus identifier (every page of the search)."""
        self.ensure_one()
        found = {item.get("numeroFacture"): item for item in client.search_supplier_invoices(numeroFluxDepot=self.name)}
        for invoice in invoices:
            item = found.get(invoice.name)
            if item and item.get("identifiantFactureCPP"):
                # Its status is read with the next histories (at once by the Refresh button).
                invoice.write({"chorus_identifier": str(item["identifiantFactureCPP"]), "chorus_sync_pending": "due"})
