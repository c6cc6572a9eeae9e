"""Following invoices on Chorus Pro: the scheduled synchronisation and the Refresh button.

A run, per company configured for Chorus Pro, is opened by the one worker that locks the company:
1. deposits not final: their detailed report (consulterCRDetaille), refused invoices told why;
2. invoices whose deposit's outcome is unknown (awaiting confirmation, or left "sending" by a
   crash): linked to what Chorus Pro holds under their number, else left awaiting;
3. integrated deposits: the Chorus identifier of each of their invoices (search by deposit number);
4. invoices whose status is not final: one search for the statuses changed since the last complete
   run (``periodeDateHeureEtatCourantDu``, paged) marks those whose status differs from ours, and
   those without a status yet, "to refresh".
Every worker then reads the histories of the invoices to refresh, in batches claimed with
``FOR UPDATE SKIP LOCKED`` and committed one by one. So the calls grow with the invoices that
changed, not with all those in flight. A run is closed once no invoice is left to refresh; only a
run that read every history moves the company's "since" forward, so what failed is asked again.
"""

import logging

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..chorus_core import flux_states, status_sync
from ..chorus_core.errors import ChorusBusinessError, ChorusError
from .account_move_chorus_send import OUTCOME_UNKNOWN_STATES
from .chorus_batch import claim_available, claim_batch, commit_if_allowed, isolated

_logger = logging.getLogger(__name__)

# Histories read per batch, each batch committed before the next is claimed.
CHORUS_SYNC_BATCH = 50
# Deposits and "sending" invoices looked at per run: a handful in practice.
CHORUS_SYNC_STEP_LIMIT = 500


class AccountMove(models.Model):
    _inherit = "account.move"

    # -- the Refresh button -------------------------------------------------------------------

    def action_chorus_refresh_status(self):
        """Read these invoices' deposit, Chorus identifier and status history from Chorus Pro now."""
        self._chorus_check_caller()
        for company, moves in self.filtered("chorus_send_state").grouped("company_id").items():
            try:
                with company._chorus_client() as client:
                    for move in moves:
                        move._chorus_lock_for_refresh()
                    for flux in moves.chorus_flux_id.filtered(lambda flux: flux.state in flux_states.PENDING_STATES):
                        flux._chorus_apply_report(client, client.flux_report(flux.name))
                    moves._chorus_refresh(client)
            except ChorusError as error:
                raise UserError(company._chorus_error_message(error)) from error
        return True

    def _chorus_lock_for_refresh(self):
        if not self._chorus_try_lock_row():
            raise UserError(
                _(
                    "%(invoice)s is being updated from Chorus Pro by another user or job: try again in a minute.",
                    invoice=self.name,
                )
            )

    def _chorus_refresh(self, client):
        """Bring these invoices up to date from Chorus Pro: reconcile, find identifiers (one search per
        deposit), read histories."""
        for move in self.filtered(lambda move: move.chorus_send_state in OUTCOME_UNKNOWN_STATES):
            move._chorus_reconcile_locked(client)
        unknown = self.filtered(
            lambda move: not move.chorus_identifier and move.chorus_flux_id.state in flux_states.SUCCESS_STATES
        )
        for flux, moves in unknown.grouped("chorus_flux_id").items():
            flux._chorus_find_identifiers(client, moves)
        for move in self.filtered("chorus_identifier"):
            move._chorus_apply_history(move.company_id._chorus_invoice_history(client, move.chorus_identifier))

    def _chorus_reconcile_locked(self, client):
        """Step 2 for one invoice, under the senders' lock: a live sending is left alone."""
        with self._chorus_sender_lock() as locked:
            if not locked:
                return
            self.invalidate_recordset(["chorus_send_state", "chorus_flux_id"])
            if self.chorus_send_state in OUTCOME_UNKNOWN_STATES and not self._chorus_reconcile_sending(client):
                # No sender holds it: one died during its call.
                self._chorus_mark_awaiting()

    # -- the scheduled job --------------------------------------------------------------------

    @api.model
    def _cron_chorus_sync(self, batch_size=CHORUS_SYNC_BATCH):
        """One pass of the synchronisation: open a run where none is under way, read one batch of histories.

        Returns the number of invoices still to refresh (ir.cron runs the job again while some remain).
        """
        # A fresh snapshot: the rows claimed below are those no other worker has committed or holds.
        commit_if_allowed(self.env)
        companies = self.env["res.company"]._chorus_configured_companies()
        done = 0
        for company in companies:
            with isolated(self.env, f"Chorus Pro sync of company {company.id}"):
                with company._chorus_client() as client:
                    self.with_company(company)._chorus_sync_open(company, client)
                    done += self.with_company(company)._chorus_sync_batch(company, client, batch_size)
                self._chorus_sync_close(company)
        remaining = self.search_count([("chorus_sync_pending", "=", "due"), ("company_id", "in", companies.ids)])
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        commit_if_allowed(self.env)
        return remaining

    def _chorus_sync_due_domain(self, company):
        return [("company_id", "=", company.id), ("chorus_sync_pending", "=", "due")]

    def _chorus_sync_open(self, company, client):
        """Steps 1 to 4 by the worker that locks the company, when no run is under way."""
        if self.search_count(self._chorus_sync_due_domain(company), limit=1) or not company._chorus_sync_lock():
            return
        company.invalidate_recordset(["chorus_sync_run_started"])
        if company.chorus_sync_run_started:
            # The last run ended without being closed (a crash after its last batch).
            self._chorus_sync_close(company)
        started = fields.Datetime.now()
        self._chorus_sync_deposits(company, client)
        self._chorus_sync_sending(company, client)
        self._chorus_sync_identifiers(company, client)
        try:
            with self.env.cr.savepoint(flush=False):
                self._chorus_sync_discover(company, client)
        except ChorusError as error:
            _logger.warning("Chorus Pro sync of company %s: status search failed (%s)", company.id, error.kind)
            commit_if_allowed(self.env)
            return
        except psycopg2.errors.SerializationFailure:
            # An invoice in flight changed since this pass began: the next pass marks them from a fresh view.
            _logger.info("Chorus Pro sync of company %s: run opened at the next pass", company.id)
            commit_if_allowed(self.env)
            return
        company._chorus_sync_start(started)
        commit_if_allowed(self.env)

    def _chorus_sync_deposits(self, company, client):
        fluxes = claim_available(
            self.env["chorus.flux"].sudo(),
            [("company_id", "=", company.id), ("state", "in", flux_states.PENDING_STATES)],
            CHORUS_SYNC_STEP_LIMIT,
        )
        for flux in fluxes:
            try:
                flux._chorus_apply_report(client, client.flux_report(flux.name))
            except ChorusBusinessError as error:
                _logger.warning("Chorus Pro sync: report of flux %s refused (%s)", flux.id, error.kind)
            except ChorusError as error:
                _logger.warning("Chorus Pro sync: deposit reports not read, Chorus Pro unavailable (%s)", error.kind)
                break

    def _chorus_sync_sending(self, company, client):
        moves = claim_available(
            self,
            [("company_id", "=", company.id), ("chorus_send_state", "in", OUTCOME_UNKNOWN_STATES)],
            CHORUS_SYNC_STEP_LIMIT,
        )
        for move in moves:
            try:
                move._chorus_reconcile_locked(client)
            except ChorusBusinessError as error:
                _logger.warning("Chorus Pro sync: invoice %s awaiting not looked up (%s)", move.id, error.kind)
            except ChorusError as error:
                _logger.warning(
                    "Chorus Pro sync: invoices awaiting not looked up, Chorus Pro unavailable (%s)", error.kind
                )
                break

    def _chorus_sync_identifiers(self, company, client):
        moves = claim_available(
            self,
            [
                ("company_id", "=", company.id),
                ("chorus_send_state", "=", "sent"),
                ("chorus_identifier", "=", False),
                ("chorus_flux_id.state", "in", flux_states.SUCCESS_STATES),
            ],
            CHORUS_SYNC_STEP_LIMIT,
        )
        for flux, flux_moves in moves.grouped("chorus_flux_id").items():
            try:
                flux._chorus_find_identifiers(client, flux_moves)
            except ChorusBusinessError as error:
                _logger.warning("Chorus Pro sync: invoices of flux %s not found (%s)", flux.id, error.kind)
            except ChorusError as error:
                _logger.warning("Chorus Pro sync: identifiers not read, Chorus Pro unavailable (%s)", error.kind)
                break

    def _chorus_sync_discover(self, company, client):
        """Mark "to refresh" the invoices in flight whose status changed on Chorus Pro, and those without one."""
        states = self._chorus_sync_current_states(company, client)
        self.env.flush_all()
        in_flight = SQL(
            "company_id = %s AND chorus_identifier IS NOT NULL AND chorus_status_final IS NOT TRUE", company.id
        )
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET chorus_sync_pending = NULL "
                "WHERE company_id = %s AND chorus_sync_pending = 'failed'",
                company.id,
            ),
            # A serialization failure is handled by the caller, not a bad query.
            log_exceptions=False,
        )
        self.env.cr.execute(
            SQL("UPDATE account_move SET chorus_sync_pending = 'due' WHERE %s AND chorus_status IS NULL", in_flight),
            log_exceptions=False,
        )
        if states:
            identifiers = list(states)
            self.env.cr.execute(
                SQL(
                    """UPDATE account_move SET chorus_sync_pending = 'due'
                         FROM unnest(%s::varchar[], %s::varchar[], %s::timestamp[]) AS found(identifier, status, moment)
                        WHERE %s AND chorus_identifier = found.identifier
                          AND (chorus_status IS DISTINCT FROM found.status
                               OR chorus_status_date IS DISTINCT FROM found.moment)""",
                    identifiers,
                    [states[key][0] for key in identifiers],
                    [states[key][1] for key in identifiers],
                    in_flight,
                ),
                log_exceptions=False,
            )
        self.invalidate_model(["chorus_sync_pending"])
        _logger.info("Chorus Pro sync of company %s: %s status changes reported", company.id, len(states))

    def _chorus_sync_current_states(self, company, client):
        """``{identifier: (status, date)}`` of the invoices whose status may have changed since the last run.

        One search by date of status change; where Chorus Pro refuses that request, the searches production
        clients make: per deposit in flight (per invoice number for an invoice without one).
        """

        def search_by_date():
            last_run = company._chorus_sync_last_run()
            criteria = {"periodeDateHeureEtatCourantDu": status_sync.search_window_start(last_run)} if last_run else {}
            return status_sync.current_states(client.search_supplier_invoices(**criteria))

        return company._chorus_ask_or_fall_back(
            "chorus_sync_search_per_deposit",
            "the search by date of status change",
            search_by_date,
            lambda: self._chorus_sync_states_per_deposit(company, client),
        )

    def _chorus_sync_states_per_deposit(self, company, client):
        in_flight = self.search(
            [("company_id", "=", company.id), ("chorus_identifier", "!=", False), ("chorus_status_final", "=", False)]
        )
        found = []
        for flux, moves in in_flight.grouped("chorus_flux_id").items():
            if flux:
                found += client.search_supplier_invoices(numeroFluxDepot=flux.name)
            else:
                for move in moves:
                    found += client.search_supplier_invoices(numeroFacture=move.name)
        return status_sync.current_states(found)

    def _chorus_sync_batch(self, company, client, batch_size):
        """Read the histories of one batch of invoices to refresh; an invoice Chorus Pro cannot answer for waits."""
        try:
            with self.env.cr.savepoint(flush=False):
                moves = claim_batch(self, self._chorus_sync_due_domain(company), batch_size)
        except psycopg2.errors.SerializationFailure:
            return 0  # another worker committed this batch since this transaction began: next pass
        for index, move in enumerate(moves):
            try:
                answer = company._chorus_invoice_history(client, move.chorus_identifier)
            except ChorusBusinessError as error:
                _logger.warning("Chorus Pro sync: history of invoice %s refused (%s)", move.id, error.kind)
                move.chorus_sync_pending = "failed"
                continue
            except ChorusError as error:
                # Chorus Pro is out of reach: the rest of the batch waits for the next run, logged once.
                unread = moves[index:]
                _logger.warning(
                    "Chorus Pro sync: %s histories not read, Chorus Pro unavailable (%s)", len(unread), error.kind
                )
                unread.chorus_sync_pending = "failed"
                break
            move._chorus_apply_history(answer)
        commit_if_allowed(self.env)
        return len(moves)

    def _chorus_sync_close(self, company):
        """Close the company's run once nothing is left to refresh; move "since" only if every history was read."""
        if self.search_count(self._chorus_sync_due_domain(company), limit=1) or not company._chorus_sync_lock():
            return
        company.invalidate_recordset(["chorus_sync_run_started"])
        if not company.chorus_sync_run_started:
            return
        if self.search_count([("company_id", "=", company.id), ("chorus_sync_pending", "=", "failed")], limit=1):
            company._chorus_sync_abandon()
        else:
            company._chorus_sync_finish()
        commit_if_allowed(self.env)
