"""Sending an invoice to Chorus Pro, exactly once: the send state on the move and the deposit itself.

``chorus_send()`` is the public entry point (the "Send to Chorus Pro" wizard calls it); Send &
Print's ``chorus_pro`` method (``account_move_send.py``) deposits through the same
``_chorus_deposit_once``. Each invoice is one deposit of its Factur-X PDF/A-3.

Exactly once: a session-level advisory lock on the invoice keeps a second sender out (it dies
with the connection if the process dies); the row is then locked and its state re-read. The
state ``sending`` is committed before the HTTP call. A deposit whose answer never came (a lost
answer, a crash) leaves the invoice ``awaiting`` confirmation: Chorus Pro creates an invoice only
once it has integrated its deposit, minutes to hours later, and no service finds a deposit
before that (chorus-pro-api.md §3, §5.1), so "not found" proves nothing. Such an invoice is never
deposited again by itself: the synchronisation and the Refresh button look it up by number and
link it; only after a window without any trace may a sender choose to deposit it again.
"""

import contextlib
import logging
from datetime import timedelta

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

from ..chorus_core import flux_states
from ..chorus_core.errors import ChorusError
from .account_move_preflight import CUSTOMER_MOVE_TYPES
from .chorus_batch import commit_if_allowed, try_lock_row
from .chorus_flux import FACTURX_SYNTAX

_logger = logging.getLogger(__name__)

CHORUS_SEND_STATES = [
    ("to_send", "To send"),
    ("sending", "Sending"),
    ("awaiting", "Awaiting confirmation"),
    ("sent", "Sent"),
    ("error", "Error"),
]
# A deposit may be in Chorus Pro's hands: the invoice is neither sent again nor changed.
OUTCOME_UNKNOWN_STATES = ("sending", "awaiting")
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
        help="Sending to Chorus Pro: 'Sending' while a deposit is under way; 'Awaiting confirmation' when its "
        "answer was lost and Chorus Pro has not shown the invoice yet.",
    )
    chorus_send_attempt_date = fields.Datetime(
        string="Last Deposit Attempt",
        copy=False,
        readonly=True,
        help="When Odoo last started a deposit of this invoice on Chorus Pro.",
    )
    chorus_deposit_again_date = fields.Datetime(
        string="Can Be Deposited Again From",
        compute="_compute_chorus_deposit_again_date",
        help="An invoice awaiting confirmation may be deposited again once this moment has passed without any "
        "trace of it on Chorus Pro.",
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
                and move._chorus_can_deposit()
            )

    @api.depends("chorus_send_state", "chorus_send_attempt_date", "company_id.chorus_redeposit_delay")
    def _compute_chorus_deposit_again_date(self):
        for move in self:
            if move.chorus_send_state == "awaiting" and move.chorus_send_attempt_date:
                move.chorus_deposit_again_date = move.chorus_send_attempt_date + timedelta(
                    hours=move.company_id.chorus_redeposit_delay
                )
            else:
                move.chorus_deposit_again_date = False

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
        self._chorus_check_caller()
        for move in self.filtered(lambda move: move.chorus_send_state == "sending"):
            move._chorus_settle_abandoned_sending()
        results = {}
        ready = self.browse()
        for move in self:
            if held := move._chorus_held_result():
                results[move.id] = held
            elif problems := move._chorus_preflight_messages():
                results[move.id] = chorus_result("not_ready", "\n".join(problems))
            else:
                ready |= move
        if ready:
            results.update(self.env["account.move.send"]._chorus_send_ready(ready))
        return {move.id: results[move.id] for move in self}

    def action_chorus_send(self):
        """Open the "Send to Chorus Pro" wizard on these invoices."""
        self._chorus_check_caller()
        wizard = self.env["chorus.send.wizard"].create({"move_ids": [fields.Command.set(self.ids)]})
        return wizard._chorus_open()

    def action_chorus_deposit_again(self):
        """Give up waiting for a deposit whose answer was lost, and deposit these invoices again.

        Only once the window without any trace has passed; Chorus Pro is asked one last time first.
        """
        self._chorus_check_caller()
        now = fields.Datetime.now()
        for move in self:
            if move.chorus_send_state != "awaiting" or not move.chorus_deposit_again_date:
                raise UserError(_("%(invoice)s is not awaiting a confirmation from Chorus Pro.", invoice=move.name))
            if move.chorus_deposit_again_date > now:
                raise UserError(move._chorus_awaiting_message())
        for company, moves in self.grouped("company_id").items():
            try:
                with company._chorus_client(**CHORUS_SEND_CLIENT_OPTIONS) as client:
                    for move in moves:
                        move._chorus_lock_for_deposit_again()
                        if not move._chorus_reconcile_sending(client):
                            move.chorus_send_state = "to_send"
                            move.message_post(
                                body=_(
                                    "Chorus Pro still shows no invoice %(invoice)s: deposited again at the request of "
                                    "%(user)s.",
                                    invoice=move.name,
                                    user=self.env.user.name,
                                )
                            )
            except ChorusError as error:
                raise UserError(company._chorus_error_message(error)) from error
        released = self.filtered(lambda move: move.chorus_send_state == "to_send")
        if not released:
            return True
        # Sent at once (the button asked for confirmation); the wizard shows what became of each.
        wizard = self.env["chorus.send.wizard"].create({"move_ids": [fields.Command.set(released.ids)]})
        return wizard.action_send()

    def action_chorus_open_fluxes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_fr_chorus_pro.action_chorus_flux")
        if self.chorus_flux_count == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": self.chorus_flux_ids.id})
        else:
            action["domain"] = [("id", "in", self.chorus_flux_ids.ids)]
        return action

    # -- state --------------------------------------------------------------------------------

    def _chorus_check_caller(self, operation="write"):
        """The caller may send to Chorus Pro and may ``operation`` (read, write) every one of these invoices.

        A public method runs on the ids an RPC caller chose: another company's invoices too.
        """
        self._chorus_check_sender()
        self.check_access(operation)

    def _chorus_check_sender(self):
        if not self.env.su and not self.env.user.has_group(SENDER_GROUP):
            raise AccessError(
                _("Only members of the group 'Chorus Pro / Send invoices' can send invoices to Chorus Pro.")
            )

    def _chorus_held_result(self):
        """The ``chorus_result`` of an invoice Chorus Pro holds or may be receiving, or None: not to deposit."""
        self.ensure_one()
        if self._chorus_is_sent():
            return chorus_result("already_sent", self._chorus_already_sent_message(), self.chorus_flux_id)
        if self.chorus_send_state == "awaiting":
            return chorus_result("awaiting", self._chorus_awaiting_message())
        if self.chorus_send_state == "sending":
            return chorus_result("already_sent", self._chorus_being_sent_message())
        return None

    def _chorus_can_deposit(self):
        """Neither on Chorus Pro nor maybe on its way there."""
        self.ensure_one()
        return not self._chorus_is_sent() and self.chorus_send_state not in OUTCOME_UNKNOWN_STATES

    def _chorus_is_sent(self):
        """Sent and not refused: Chorus Pro holds it (or is processing it) and takes an invoice number once."""
        self.ensure_one()
        # Also for users who may not read the deposits (billing users): the last one's outcome is read as superuser.
        return self.chorus_send_state == "sent" and not (self.chorus_flux_id and self.chorus_flux_id.sudo().is_failure)

    def _chorus_already_sent_message(self):
        return _(
            "%(invoice)s was already sent to Chorus Pro (deposit %(flux)s). Chorus Pro takes an invoice number only "
            "once: to correct it, issue a credit note and a new invoice.",
            invoice=self.name,
            flux=self.chorus_deposit_number or self.chorus_identifier or "?",
        )

    def _chorus_awaiting_message(self):
        attempt = format_datetime(self.env, self.chorus_send_attempt_date) if self.chorus_send_attempt_date else "?"
        again = format_datetime(self.env, self.chorus_deposit_again_date) if self.chorus_deposit_again_date else "?"
        if self._chorus_goes_to_a_validator():
            # Submitted from its data: Chorus Pro holds such an invoice at once, with no deposit to process.
            return _(
                "%(invoice)s was submitted to Chorus Pro at %(attempt)s but its answer was lost: Chorus Pro may "
                "have received it. Odoo looks for it by its number at each synchronisation (or use Refresh) and "
                "links it when it appears. It is not submitted again, so that it does not reach its validator "
                "twice; if Chorus Pro still shows nothing after %(again)s, you may choose to submit it again.",
                invoice=self.name,
                attempt=attempt,
                again=again,
            )
        return _(
            "%(invoice)s was deposited on Chorus Pro at %(attempt)s but its answer was lost: Chorus Pro may have "
            "received it and shows an invoice only once it has processed its deposit, which can take hours. Odoo "
            "looks for it at each synchronisation (or use Refresh) and links it when it appears. It is not deposited "
            "again, so that the buyer does not receive it twice; if Chorus Pro still shows nothing after "
            "%(again)s, you may choose to deposit it again.",
            invoice=self.name,
            attempt=attempt,
            again=again,
        )

    def _chorus_being_sent_message(self):
        return _("%(invoice)s is being sent to Chorus Pro by another user or job.", invoice=self.name)

    # -- the deposit --------------------------------------------------------------------------

    def _chorus_deposit_once(self, client, pdf):
        """Deposit ``pdf`` (this invoice's Factur-X) unless it is or may be on Chorus Pro already.

        Returns a ``chorus_result`` dict; commits (where allowed) before and after the HTTP call.
        """
        with self._chorus_sender_lock() as locked:
            if not locked:
                return chorus_result("already_sent", self._chorus_being_sent_message())
            return self._chorus_deposit_locked(client, pdf)

    @contextlib.contextmanager
    def _chorus_sender_lock(self):
        """Hold the senders' lock on this invoice while the block runs; yields False when another sender has it."""
        self.ensure_one()
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (ADVISORY_LOCK_NAMESPACE, self.id))
        if not cr.fetchone()[0]:
            yield False
            return
        try:
            yield True
        finally:
            self._chorus_unlock()

    def _chorus_settle_abandoned_sending(self):
        """A "sending" that no sender holds is a sender that died during its call: awaiting confirmation."""
        with self._chorus_sender_lock() as locked:
            if locked and self._chorus_try_lock_row():
                self.invalidate_recordset(["chorus_send_state"])
                if self.chorus_send_state == "sending":
                    self._chorus_mark_awaiting()

    def _chorus_mark_awaiting(self):
        # A "sending" without its moment (recorded before it was kept) waits from now.
        self.write(
            {
                "chorus_send_state": "awaiting",
                "chorus_send_attempt_date": self.chorus_send_attempt_date or fields.Datetime.now(),
            }
        )

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
        """Lock this invoice's row for the transaction; False when another transaction holds or changed it."""
        return try_lock_row(self)

    def _chorus_deposit_locked(self, client, pdf):
        if not self._chorus_try_lock_row():
            # Another sender is at work or has just finished.
            return chorus_result("already_sent", self._chorus_being_sent_message())
        self.invalidate_recordset(["chorus_send_state", "chorus_flux_id", "chorus_send_attempt_date"])
        if self._chorus_is_sent():
            return chorus_result("already_sent", self._chorus_already_sent_message(), self.chorus_flux_id)
        if self.chorus_send_state in OUTCOME_UNKNOWN_STATES:
            # We hold the senders' lock: a "sending" here is a sender that died during its call.
            self._chorus_mark_awaiting()
            commit_if_allowed(self.env)
            return chorus_result("awaiting", self._chorus_awaiting_message())
        if self._chorus_goes_to_a_validator():
            # A9/A12: submitted with its validator through soumettre (account_move_chorus_submit.py).
            return self._chorus_submit_locked(client, pdf)
        self.write({"chorus_send_state": "sending", "chorus_send_attempt_date": fields.Datetime.now()})
        commit_if_allowed(self.env)
        file_name = self._chorus_facturx_file_name()
        try:
            answer = client.deposit_flux(pdf, file_name, syntax=FACTURX_SYNTAX)
        except ChorusError as error:
            return self._chorus_deposit_failed(error)
        flux = self._chorus_record_flux(answer["numeroFluxDepot"], answer.get("dateDepot"), attachment=(file_name, pdf))
        self.message_post(body=_("Sent to Chorus Pro: deposit %(flux)s.", flux=flux._chorus_link()))
        commit_if_allowed(self.env)
        return chorus_result("sent", _("Sent to Chorus Pro in deposit %(flux)s.", flux=flux.name), flux)

    def _chorus_deposit_failed(self, error):
        if error.kind == "outcome_unknown":
            self.chorus_send_state = "awaiting"
            message = self._chorus_awaiting_message()
            self.message_post(body=message)
            result = chorus_result("awaiting", message)
        else:
            # Nothing reached Chorus Pro: the invoice may be sent again as it is.
            self.chorus_send_state = "error"
            message = self.company_id._chorus_error_message(error)
            self.message_post(body=_("Not sent to Chorus Pro: %(reason)s", reason=message))
            result = chorus_result("failed", message)
        commit_if_allowed(self.env)
        _logger.info("Chorus deposit of invoice %s failed (%s)", self.id, error.kind)
        return result

    def _chorus_lock_for_deposit_again(self):
        if not self._chorus_try_lock_row():
            raise UserError(self._chorus_being_sent_message())
        self.invalidate_recordset(["chorus_send_state"])
        if self.chorus_send_state != "awaiting":
            raise UserError(_("%(invoice)s is not awaiting a confirmation from Chorus Pro.", invoice=self.name))

    def _chorus_reconcile_sending(self, client):
        """Link this invoice whose deposit's outcome is unknown to the deposit Chorus Pro holds it from.

        Returns None when Chorus Pro holds nothing under its number (yet); raises ChorusError when
        Chorus Pro cannot be asked. Used by the synchronisation, the Refresh button and Deposit again.
        """
        found = self._chorus_find_on_chorus(client)
        return self._chorus_link_found(found) if found else None

    def _chorus_find_on_chorus(self, client):
        """The invoice Chorus Pro holds under this invoice's number (a ``rechercher/fournisseur`` item), or None.

        Chorus Pro takes an invoice number once per supplier, so what it holds under it is this invoice.
        """
        self.ensure_one()
        found = client.search_supplier_invoices(numeroFacture=self.name)
        return next((item for item in found if item.get("numeroFacture") == self.name), None)

    def _chorus_link_found(self, found, refused=None):
        """Chorus Pro holds this invoice from a deposit whose answer we missed: record that deposit.

        ``refused``: a later deposit of this invoice Chorus Pro refused because of it; it stays in the
        invoice's deposits.
        """
        if not found.get("numeroFluxDepot"):
            # Submitted from data (soumettre): Chorus Pro made no flux of it.
            self.write(
                {
                    "chorus_send_state": "sent",
                    "chorus_flux_id": False,
                    "chorus_identifier": str(found["identifiantFactureCPP"]),
                    "chorus_sync_pending": "due",
                }
            )
            message = _(
                "Chorus Pro had already received this invoice (its invoice %(identifier)s): it is now linked to it.",
                identifier=found["identifiantFactureCPP"],
            )
            self.message_post(body=message)
            return chorus_result("sent", message)
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
        if found.get("identifiantFactureCPP"):
            # Its status is read with the next histories (at once by the Refresh button).
            self.write({"chorus_identifier": str(found["identifiantFactureCPP"]), "chorus_sync_pending": "due"})
        if refused:
            message = _(
                "Chorus Pro refused the deposit %(refused)s because it already holds this invoice from the deposit "
                "%(flux)s: the invoice is linked to that one. Nothing was received twice.",
                refused=refused.name,
                flux=flux.name,
            )
        else:
            message = _(
                "Chorus Pro had already received this invoice in deposit %(flux)s: it is now linked to it.",
                flux=flux.name,
            )
        self.message_post(body=message)
        return chorus_result("sent", message, flux)

    def _chorus_record_flux(self, number, deposit_date, attachment=None, state=flux_states.DEPOSITED):
        """The ``chorus.flux`` of a deposit of this invoice, which becomes its last deposit."""
        config = self.company_id._chorus_config()
        values = {
            "name": number,
            "deposit_date": (deposit_date or "")[:10] or fields.Date.context_today(self),
            "state": state,
            "move_ids": [fields.Command.link(self.id)],
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
        _logger.info("Invoice %s recorded in Chorus flux id %s", self.id, flux.id)
        return flux
