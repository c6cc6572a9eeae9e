"""The payment delay of an invoice sent to Chorus Pro, and what its public buyer owes once it is late.

The figures are stored and refreshed once a day rather than computed on reading: days late and
interest change with the date, but the dashboard's list sums and pivot need stored values, and a
search on "late" needs a column. They are computed again whenever what they read changes (deposit,
status, payment, amount, kind of buyer, contractual delay), when the ECB table is edited, and each
day by a job for the invoices still running late; "Late Payment Figures as of" says on which day.
"""

import logging

from pytz import timezone, utc

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..chorus_core import invoice_statuses, late_payment
from .chorus_batch import claim_batch, commit_if_allowed

_logger = logging.getLogger(__name__)

# Invoices refreshed per pass of the daily job; it runs again at once while some remain (ir.cron progress).
LATE_PAYMENT_BATCH = 500
# Chorus Pro writes its dates in French time: the day of a status is the day in Paris.
CHORUS_TIMEZONE = timezone("Europe/Paris")
# A rejected, abandoned or deleted invoice is not owed: no interest runs on it.
NOT_OWED_STATUSES = (invoice_statuses.REJETEE, invoice_statuses.ABANDONNEE, invoice_statuses.SUPPRIMEE)
LATE_PAYMENT_FIELDS = (
    "chorus_legal_due_date",
    "chorus_days_late",
    "chorus_late_interest_rate",
    "chorus_late_interest",
    "chorus_recovery_indemnity",
    "chorus_late_amount_due",
    "chorus_late_payment_as_of",
    "chorus_late_payment_warning",
)


class AccountMove(models.Model):
    _inherit = "account.move"

    chorus_contract_payment_delay = fields.Integer(
        string="Contractual Payment Delay (days)",
        help="The payment delay the contract sets, when it sets one; 0 means the legal delay of the buyer. A "
        "public buyer's contract may set a shorter delay, never a longer one (Code de la commande "
        "publique, L2192-10).",
    )
    chorus_payment_date = fields.Date(
        string="Paid On (Chorus Pro)",
        compute="_compute_chorus_payment_date",
        store=True,
        help="The day the invoice reached 'Mise en paiement' on Chorus Pro (for a buyer that never reports "
        "payments, its last reported status: mandated, booked): late-payment interest stops that day.",
    )
    chorus_legal_due_date = fields.Date(
        string="Legal Due Date",
        compute="_compute_chorus_late_payment",
        store=True,
        help="The day the Chorus Pro deposit was made (the buyer's receipt of the invoice) plus the payment delay.",
    )
    chorus_days_late = fields.Integer(string="Days Late", compute="_compute_chorus_late_payment", store=True)
    chorus_late_interest_rate = fields.Float(
        string="Late-Payment Interest Rate (%)",
        digits=(5, 2),
        compute="_compute_chorus_late_payment",
        store=True,
        help="The ECB main refinancing rate in force on the first day of the half-year in which the interest "
        "started to run, plus 8 points (R2192-31).",
    )
    chorus_late_interest = fields.Monetary(
        string="Late-Payment Interest",
        currency_field="company_currency_id",
        compute="_compute_chorus_late_payment",
        store=True,
        help="Simple interest on the amount including VAT, per day late, over 365 days; it stops on the day of "
        "'Mise en paiement'.",
    )
    chorus_recovery_indemnity = fields.Monetary(
        string="Recovery Indemnity",
        currency_field="company_currency_id",
        compute="_compute_chorus_late_payment",
        store=True,
        help="The fixed indemnity for recovery costs a late public buyer owes: 40 EUR (D2192-35).",
    )
    chorus_late_amount_due = fields.Monetary(
        string="Late-Payment Amount Owed",
        currency_field="company_currency_id",
        compute="_compute_chorus_late_payment",
        store=True,
        help="The late-payment interest plus the recovery indemnity.",
    )
    chorus_late_payment_as_of = fields.Date(
        string="Late Payment Figures as of", compute="_compute_chorus_late_payment", store=True
    )
    chorus_late_payment_warning = fields.Char(
        string="Late Payment Warning", compute="_compute_chorus_late_payment", store=True
    )

    @api.depends(
        "chorus_status",
        "chorus_status_date",
        "chorus_status_history_ids.status",
        "chorus_status_history_ids.date",
        "commercial_partner_id.chorus_payment_not_reported",
    )
    def _compute_chorus_payment_date(self):
        for move in self:
            paid = invoice_statuses.PAID_STATUSES
            if move.commercial_partner_id.chorus_payment_not_reported:
                paid += invoice_statuses.FINAL_IF_PAYMENT_NOT_REPORTED
            reached = [line.date for line in move.chorus_status_history_ids if line.status in paid]
            if not reached and move.chorus_status in paid and move.chorus_status_date:
                reached = [move.chorus_status_date]
            # Odoo's datetimes are naive UTC: the day is the one in Paris.
            move.chorus_payment_date = (
                utc.localize(min(reached)).astimezone(CHORUS_TIMEZONE).date() if reached else False
            )

    @api.depends(
        "move_type",
        "state",
        "amount_total_signed",
        "chorus_flux_id.deposit_date",
        "chorus_flux_id.is_failure",
        "chorus_status",
        "chorus_payment_date",
        "commercial_partner_id.chorus_buyer_kind",
        "chorus_contract_payment_delay",
    )
    def _compute_chorus_late_payment(self):
        today = fields.Date.context_today(self)
        # Most invoices written are not Chorus Pro ones: the ECB table is read only for those that are.
        owed = self.filtered(lambda move: move._chorus_late_payment_applies())
        rates = self.env["chorus.ecb.rate"]._chorus_rate_table() if owed else ()
        for move in self:
            move.update(move._chorus_late_payment_values(today, rates))

    def _chorus_late_payment_values(self, today, rates):
        """The stored late-payment figures of this invoice on ``today`` with the ECB ``rates``."""
        self.ensure_one()
        values = dict.fromkeys(LATE_PAYMENT_FIELDS, False)
        values.update(chorus_days_late=0, chorus_late_interest=0.0, chorus_recovery_indemnity=0.0)
        values.update(chorus_late_interest_rate=0.0, chorus_late_amount_due=0.0)
        if not self._chorus_late_payment_applies():
            return values
        received = self.chorus_flux_id.deposit_date
        kind = self.commercial_partner_id.chorus_buyer_kind or late_payment.STATE
        delay = self.chorus_contract_payment_delay or None
        until = self.chorus_payment_date or today
        due = late_payment.legal_due_date(received, kind, delay)
        values.update(chorus_legal_due_date=due, chorus_late_payment_as_of=today)
        try:
            result = late_payment.late_payment(self.amount_total_signed, received, kind, until, rates, delay)
        except late_payment.MissingRateError as error:
            # The indemnity does not depend on the rate: it is owed all the same.
            indemnity = float(late_payment.RECOVERY_INDEMNITY)
            values.update(
                chorus_days_late=late_payment.days_late(due, until),
                chorus_recovery_indemnity=indemnity,
                chorus_late_amount_due=indemnity,
                chorus_late_payment_warning=_(
                    "No ECB rate is known for the half-year starting on %(date)s: the late-payment interest "
                    "cannot be computed. A Chorus Pro administrator enters the rate in Invoicing > Chorus Pro > "
                    "ECB Rates.",
                    date=format_date(self.env, error.half_year),
                ),
            )
            return values
        values.update(
            chorus_days_late=result.days_late,
            chorus_late_interest_rate=float(result.rate or 0),
            chorus_late_interest=float(result.interest),
            chorus_recovery_indemnity=float(result.indemnity),
            chorus_late_amount_due=float(result.interest + result.indemnity),
        )
        return values

    def _chorus_late_payment_applies(self):
        """A posted customer invoice received by Chorus Pro (a deposit not refused) and not dropped there."""
        self.ensure_one()
        flux = self.chorus_flux_id
        return (
            self.move_type == "out_invoice"
            and self.state == "posted"
            and bool(flux.deposit_date)
            and not flux.is_failure
            and self.chorus_status not in NOT_OWED_STATUSES
        )

    @api.constrains("chorus_contract_payment_delay", "partner_id")
    def _check_chorus_contract_payment_delay(self):
        for move in self.filtered(lambda move: move.chorus_contract_payment_delay and move.chorus_is_public_buyer):
            delay = move.chorus_contract_payment_delay
            legal = move.commercial_partner_id.chorus_legal_payment_delay
            if delay < 0 or delay > legal:
                raise ValidationError(
                    _(
                        "The contractual payment delay of %(invoice)s is %(delay)s days, but %(buyer)s must pay "
                        "within %(legal)s days by law and a contract may not set a longer delay (Code de la "
                        "commande publique, L2192-10). Enter at most %(legal)s days, or 0 for the legal delay.",
                        invoice=move.display_name,
                        delay=delay,
                        buyer=move.commercial_partner_id.display_name,
                        legal=legal,
                    )
                )

    def _chorus_recompute_late_payment(self):
        """Compute the late-payment figures of these invoices again, as of today."""
        for name in LATE_PAYMENT_FIELDS:
            self.env.add_to_compute(self._fields[name], self)
        self._recompute_recordset(LATE_PAYMENT_FIELDS)

    @api.model
    def _chorus_refresh_late_payments(self):
        """After an edit of the ECB table: every invoice whose interest depends on a rate, computed again."""
        domain = ["|", ("chorus_days_late", ">", 0), ("chorus_late_payment_warning", "!=", False)]
        self.sudo().search(domain)._chorus_recompute_late_payment()

    @api.model
    def _chorus_late_payment_running_domain(self):
        """Invoices late and unpaid whose figures are not of today yet."""
        today = fields.Date.context_today(self)
        return [
            ("chorus_legal_due_date", "<", today),
            ("chorus_payment_date", "=", False),
            ("chorus_late_payment_as_of", "<", today),
        ]

    @api.model
    def _cron_chorus_refresh_late_payments(self, batch_size=LATE_PAYMENT_BATCH):
        """Bring the days late and interest of the invoices still unpaid after their due date to today."""
        domain = self._chorus_late_payment_running_domain()
        moves = claim_batch(self, domain, batch_size)
        moves._chorus_recompute_late_payment()
        remaining = self.search_count(domain)
        _logger.info("Chorus Pro late payments: %s invoices brought to today, %s remaining", len(moves), remaining)
        self.env["ir.cron"]._notify_progress(done=len(moves), remaining=remaining)
        commit_if_allowed(self.env)
