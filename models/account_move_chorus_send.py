"""Sending an invoice to Chorus Pro, exactly once: the send state on the move and the deposit itself.

``chorus_send()`` is the public entry point (the "Send to Chorus Pro" wizard calls it); Send &
Print's ``chorus_pro`` method (``account_move_send.py``) deposits through the same
``_chorus_deposit_once``. Each invoice is one deposit of its Factur-X PDF/A-3.

Exactly once: a session-level advisory lock on the invoice keeps a second sender out (it dies
with the connection if the process dies); the row is then locked and its state re-read. The
state ``sending`` is committed before the HTTP call, so an invoice found ``sending`` later was
maybe received by Chorus Pro (a crash, a lost answer): Chorus Pro is asked first and the invoice
linked to what it holds, deposited again only when Chorus Pro holds nothing under its number.
"""

import logging

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..chorus_core import flux_states
from ..chorus_core.errors import ChorusError
from .account_move_preflight import CUSTOMER_MOVE_TYPES
from .chorus_batch import commit_if_allowed
from .chorus_flux import FACTURX_SYNTAX

_logger = logging.getLogger(__name__)

CHORUS_SEND_STATES = [
    ("to_send", "To send"),
    ("sending", "Sending"),
    ("sent", "Sent"),
    ("error", "Error"),
]
SENDER_GROUP = "l10n_fr_chorus_pro.group_chorus_sender"
# First key of pg_try_advisory_lock(int, int): "CHPR", so our locks never meet another module's.
ADVISORY_LOCK_NAMESPACE = 0x43485052
# A button never waits minutes: short reads, one retry of what may be repeated (a deposit never is).
CHORUS_SEND_CLIENT_OPTIONS = {"timeout": (5, 20), "max_retries": 1, "backoff_max": 2.0}


def chorus_result(result, message, flux=None):
    return {"result": result, "message": message, "flux_id": flux.id if flux else False}


class AccountMove(models.Model):
    _inherit = "account.move"

    chorus_send_state = fields.Selection(
        CHORUS_SEND_STATES,
        string="Chorus Pro Sending",
        copy=False,
        readonly=True,
        index="btree_not_null",
        tracking=True,
        help="Sending to Chorus Pro: 'Sending' while a deposit is under way or its outcome is not known yet.",
    )
    chorus_flux_id = fields.Many2one("chorus.flux", string="Last Chorus Pro Deposit", copy=False, readonly=True)
    chorus_flux_ids = fields.Many2many(
        "chorus.flux",
        "chorus_flux_account_move_rel",
        "move_id",
        "flux_id",
        string="Chorus Pro Deposits",
        copy=False,
        readonly=True,
    )
    chorus_flux_count = fields.Integer(compute="_compute_chorus_flux_count")
    chorus_deposit_number = fields.Char(related="chorus_flux_id.name", string="Chorus Pro Deposit Number")
    chorus_deposit_date = fields.Date(related="chorus_flux_id.deposit_date", string="Chorus Pro Deposit Date")
    chorus_flux_state = fields.Selection(related="chorus_flux_id.state", string="Chorus Pro Deposit Status")
    chorus_sent_attachment_id = fields.Many2one(related="chorus_flux_id.attachment_id", string="File Sent")
    chorus_can_send = fields.Boolean(compute="_compute_chorus_can_send")

    @api.depends("chorus_flux_ids")
    def _compute_chorus_flux_count(self):
        for move in self:
            move.chorus_flux_count = len(move.chorus_flux_ids)

    @api.depends(
        "state",
        "move_type",
        "commercial_partner_id.chorus_is_public_buyer",
        "chorus_send_state",
        "chorus_flux_id.is_failure",
    )
    @api.depends_context("uid")
    def _compute_chorus_can_send(self):
        is_sender = self.env.user.has_group(SENDER_GROUP)
        for move in self:
            move.chorus_can_send = (
                is_sender
                and move.state == "posted"
                and move.move_type in CUSTOMER_MOVE_TYPES
                and move.commercial_partner_id.chorus_is_public_buyer
                and not move._chorus_is_sent()
            )

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted.filtered(
            lambda move: (
                move.move_type in CUSTOMER_MOVE_TYPES
                and move.commercial_partner_id.chorus_is_public_buyer
                and not move.chorus_send_state
            )
        ).chorus_send_state = "to_send"
        return posted

    # -- public API ---------------------------------------------------------------------------

    def chorus_send(self):
        """Deposit each of these invoices on Chorus Pro (one Factur-X per deposit), at most once.

        Returns ``{invoice_id: {"result", "message", "flux_id"}}`` with ``result`` one of ``sent``,
        ``not_ready`` (the pre-flight problems in ``message``), ``already_sent`` (or being sent) and
        ``failed`` (the reason in plain words). One invoice's failure never stops the others.
        """
        self._chorus_check_sender()
        results = {}
        ready = self.browse()
        for move in self:
            if move._chorus_is_sent():
                results[move.id] = chorus_result(
                    "already_sent", move._chorus_already_sent_message(), move.chorus_flux_id
                )
            elif problems := move.chorus_preflight():
                results[move.id] = chorus_result("not_ready", "\n".join(problems))
            else:
                ready |= move
        if ready:
            results.update(self.env["account.move.send"]._chorus_send_ready(ready))
        return {move.id: results[move.id] for move in self}

    def action_chorus_send(self):
        """Open the "Send to Chorus Pro" wizard on these invoices."""
        self._chorus_check_sender()
        wizard = self.env["chorus.send.wizard"].create({"move_ids": [fields.Command.set(self.ids)]})
        return wizard._chorus_open()

    def action_chorus_open_fluxes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_fr_chorus_pro.action_chorus_flux")
        if self.chorus_flux_count == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": self.chorus_flux_ids.id})
        else:
            action["domain"] = [("id", "in", self.chorus_flux_ids.ids)]
        return action

    # -- state --------------------------------------------------------------------------------

    def _chorus_check_sender(self):
        if not self.env.su and not self.env.user.has_group(SENDER_GROUP):
            raise AccessError(
                _("Only members of the group 'Chorus Pro / Send invoices' can send invoices to Chorus Pro.")
            )

    def _chorus_is_sent(self):
        """Sent and not refused: Chorus Pro holds it (or is processing it) and takes an invoice number once."""
        self.ensure_one()
        return self.chorus_send_state == "sent" and not (self.chorus_flux_id and self.chorus_flux_id.is_failure)

    def _chorus_already_sent_message(self):
        return _(
            "%(invoice)s was already sent to Chorus Pro (deposit %(flux)s). Chorus Pro takes an invoice number only "
            "once: to correct it, issue a credit note and a new invoice.",
            invoice=self.name,
            flux=self.chorus_deposit_number or "?",
        )

    def _chorus_being_sent_message(self):
        return _("%(invoice)s is being sent to Chorus Pro by another user or job.", invoice=self.name)

    # -- the deposit --------------------------------------------------------------------------

    def _chorus_deposit_once(self, client, pdf):
        """Deposit ``pdf`` (this invoice's Factur-X) unless it is or may be on Chorus Pro already.

        Returns a ``chorus_result`` dict; commits (where allowed) before and after the HTTP call.
        """
        self.ensure_one()
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (ADVISORY_LOCK_NAMESPACE, self.id))
        if not cr.fetchone()[0]:
            return chorus_result("already_sent", self._chorus_being_sent_message())
        try:
            return self._chorus_deposit_locked(client, pdf)
        finally:
            self._chorus_unlock()

    def _chorus_unlock(self):
        cr = self.env.cr
        query = "SELECT pg_advisory_unlock(%s, %s)"
        args = (ADVISORY_LOCK_NAMESPACE, self.id)
        try:
            with cr.savepoint(flush=False):
                cr.execute(query, args)
        except psycopg2.errors.InFailedSqlTransaction:
            # The transaction failed: unlock once it is rolled back (the lock belongs to the session).
            cr.postrollback.add(lambda: cr.execute(query, args))

    def _chorus_try_lock_row(self):
        """Lock this invoice's row for the transaction; False when another transaction holds it, or changed it
        since ours began (Odoo's repeatable read): what that one did is not visible here."""
        try:
            with self.env.cr.savepoint(flush=False):
                # Failing here is the expected answer to a second worker, not a bad query to log.
                self.env.cr.execute(
                    "SELECT id FROM account_move WHERE id = %s FOR UPDATE NOWAIT", [self.id], log_exceptions=False
                )
        except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure):
            return False
        return True

    def _chorus_deposit_locked(self, client, pdf):
        if not self._chorus_try_lock_row():
            # Another sender is at work or has just finished.
            return chorus_result("already_sent", self._chorus_being_sent_message())
        self.invalidate_recordset(["chorus_send_state", "chorus_flux_id"])
        if self._chorus_is_sent():
            return chorus_result("already_sent", self._chorus_already_sent_message(), self.chorus_flux_id)
        company = self.company_id
        if self.chorus_send_state == "sending":
            # A deposit whose outcome we never learnt: Chorus Pro may hold the invoice already.
            try:
                linked = self._chorus_reconcile_sending(client)
            except ChorusError as error:
                return chorus_result("failed", company._chorus_error_message(error))
            if linked:
                commit_if_allowed(self.env)
                return linked
        self.chorus_send_state = "sending"
        commit_if_allowed(self.env)
        file_name = f"{self.name.replace('/', '_')}.pdf"
        try:
            answer = client.deposit_flux(pdf, file_name, syntax=FACTURX_SYNTAX)
        except ChorusError as error:
            return self._chorus_deposit_failed(error)
        flux = self._chorus_record_flux(answer["numeroFluxDepot"], answer.get("dateDepot"), attachment=(file_name, pdf))
        commit_if_allowed(self.env)
        return chorus_result("sent", _("Sent to Chorus Pro in deposit %(flux)s.", flux=flux.name), flux)

    def _chorus_deposit_failed(self, error):
        message = self.company_id._chorus_error_message(error)
        if error.kind != "outcome_unknown":
            # Nothing reached Chorus Pro: the invoice may be sent again as it is.
            self.chorus_send_state = "error"
        self.message_post(body=_("Not sent to Chorus Pro: %(reason)s", reason=message))
        commit_if_allowed(self.env)
        _logger.info("Chorus deposit of invoice %s failed (%s)", self.id, error.kind)
        return chorus_result("failed", message)

    def _chorus_reconcile_sending(self, client):
        """Link this invoice left "sending" to the deposit Chorus Pro holds it from; None when it holds nothing.

        Also used by the scheduled synchronisation; raises ChorusError when Chorus Pro cannot be asked.
        """
        found = client.search_supplier_invoices(numeroFacture=self.name)
        return self._chorus_link_found(found[0]) if found else None

    def _chorus_link_found(self, found):
        """Chorus Pro holds this invoice from a deposit whose answer we missed: record that deposit."""
        flux = (
            self.env["chorus.flux"]
            .sudo()
            .search([("name", "=", found["numeroFluxDepot"]), ("company_id", "=", self.company_id.id)], limit=1)
        )
        if flux:
            flux.move_ids = [fields.Command.link(self.id)]
            self.write({"chorus_send_state": "sent", "chorus_flux_id": flux.id})
        else:
            flux = self._chorus_record_flux(
                found["numeroFluxDepot"], found.get("dateDepot"), state=flux_states.INTEGRATED
            )
        return chorus_result(
            "sent",
            _(
                "Chorus Pro had already received this invoice in deposit %(flux)s: it is now linked to it.",
                flux=flux.name,
            ),
            flux,
        )

    def _chorus_record_flux(self, number, deposit_date, attachment=None, state=flux_states.DEPOSITED):
        """The ``chorus.flux`` of a deposit of this invoice, which becomes its last deposit."""
        config = self.company_id._chorus_config()
        values = {
            "name": number,
            "deposit_date": (deposit_date or "")[:10] or fields.Date.context_today(self),
            "state": state,
            "move_ids": [fields.Command.set(self.ids)],
            "company_id": self.company_id.id,
            "environment": config.environment,
            "technical_login": config.login,
        }
        flux = self.env["chorus.flux"].sudo().create(values)
        if attachment:
            flux.attachment_id = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": attachment[0],
                        "raw": attachment[1],
                        "mimetype": "application/pdf",
                        "res_model": flux._name,
                        "res_id": flux.id,
                    }
                )
            )
        flux = flux.sudo(False)
        self.write({"chorus_send_state": "sent", "chorus_flux_id": flux.id})
        self.message_post(body=_("Sent to Chorus Pro: deposit %(flux)s.", flux=flux._chorus_link()))
        _logger.info("Invoice %s recorded in Chorus flux id %s", self.id, flux.id)
        return flux
