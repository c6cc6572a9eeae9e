"""Where the status synchronisation of a company stands: since when Chorus Pro was last read in full.

The moment belongs to one Chorus Pro account (environment and technical login): after a switch from
qualification to production, the next run starts clean instead of trusting the other account's moment.
"""

import logging

import psycopg2.errors

from odoo import fields, models

from ..chorus_core import status_sync
from ..chorus_core.errors import ChorusError

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    _inherit = "res.company"

    chorus_sync_since = fields.Datetime(
        string="Chorus Pro Statuses Read Until",
        readonly=True,
        copy=False,
        help="Start of the last synchronisation that read every status change: the next one asks Chorus Pro "
        "only for the invoices whose status changed since then.",
    )
    chorus_sync_run_started = fields.Datetime(string="Chorus Pro Synchronisation Started", readonly=True, copy=False)
    chorus_sync_search_per_deposit = fields.Boolean(
        string="Chorus Pro Statuses Searched per Deposit",
        readonly=True,
        copy=False,
        help="Chorus Pro refused the search by date of status change: the synchronisation asks for each deposit "
        "in flight instead, as production clients do.",
    )
    chorus_sync_history_unpaged = fields.Boolean(
        string="Chorus Pro Histories Read Unpaged",
        readonly=True,
        copy=False,
        help="Chorus Pro refused the status history asked page by page: the synchronisation asks for it by invoice "
        "alone instead, as production clients do.",
    )
    chorus_sync_scope = fields.Char(
        string="Chorus Pro Account Synchronised", readonly=True, copy=False, groups="base.group_system"
    )

    def _chorus_invoice_history(self, client, identifier):
        """The status history of one invoice, asked page by page, or by invoice alone where Chorus Pro refuses that."""
        return self._chorus_ask_or_fall_back(
            "chorus_sync_history_unpaged",
            "the paged status history",
            lambda: client.invoice_history(identifier),
            lambda: client.invoice_history(identifier, paged=False),
        )

    def _chorus_ask_or_fall_back(self, flag, request, ask, fall_back):
        """``ask()``; where Chorus Pro refuses that request's shape and answers ``fall_back()`` (what production
        clients send), ``fall_back()`` from then on, remembered in the company's boolean ``flag``."""
        self.ensure_one()
        if self[flag]:
            return fall_back()
        try:
            return ask()
        except ChorusError as error:
            if not status_sync.refuses_request_shape(error):
                raise
            refusal = error
        # Raises when Chorus Pro is out of reach: then it was an outage, not a refusal of the shape.
        answer = fall_back()
        _logger.warning(
            "Chorus Pro sync of company %s: %s was refused (%s, HTTP %s); production clients' request from now on",
            self.id,
            request,
            refusal.kind,
            refusal.http_status,
        )
        self.sudo()[flag] = True
        return answer

    def _chorus_sync_current_scope(self):
        config = self._chorus_config()
        return f"{config.environment}:{config.login}"

    def _chorus_sync_last_run(self):
        """The start of the last complete run for the current Chorus Pro account, or False."""
        self.ensure_one()
        company = self.sudo()
        if company.chorus_sync_scope != self._chorus_sync_current_scope():
            return False
        return company.chorus_sync_since

    def _chorus_sync_lock(self):
        """Lock this company's synchronisation row for the transaction; False when another worker holds it."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM res_company WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
                    [self.id],
                    log_exceptions=False,
                )
                return bool(self.env.cr.fetchone())
        except psycopg2.errors.SerializationFailure:
            # Another worker changed it since this transaction began: it is that worker's turn.
            return False

    def _chorus_sync_start(self, moment):
        self.sudo().write({"chorus_sync_run_started": moment})

    def _chorus_sync_finish(self):
        """The run read every change it found: the next one asks only for what changed since it started."""
        company = self.sudo()
        company.write(
            {
                "chorus_sync_since": company.chorus_sync_run_started,
                "chorus_sync_scope": self._chorus_sync_current_scope(),
                "chorus_sync_run_started": False,
            }
        )

    def _chorus_sync_abandon(self):
        """Some changes could not be read: the next run asks again from the same moment."""
        self.sudo().chorus_sync_run_started = False
