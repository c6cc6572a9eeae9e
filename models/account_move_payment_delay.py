"""The payment delay of an invoice sent to Chorus Pro, and what its public buyer owes once it is late.

The figures are stored and refreshed once a day rather than computed on reading: days late and
interest change with the date, but the dashboard's list sums and pivot need stored values, and a
search on "late" needs a column. They are computed again whenever what they read changes (deposit,
status history, payments, amount, kind of buyer, contractual delay, services date), when the ECB
table is edited, and each day by a job for the invoices still running late; "Late Payment Figures
as of" says on which day. The computation in words (the Payment tab) is not stored: it is written
on reading, in the reader's language, from the same dates as of that day.

What the law's arithmetic reads, from the Chorus Pro history (``chorus.status.history``): the
buyer's receipt is the day of the first MISE_A_DISPOSITION (the deposit date until Chorus Pro
reports it); the one interruption is the first SUSPENDUE and the COMPLETEE after it; the payment
is MISE_EN_PAIEMENT (``chorus_payment_date``). Each payment recorded in Odoo against the invoice
stops the interest on what it paid, from its date; a credit note reconciled with it lowers the
amount owed from the start. The arithmetic itself is ``chorus_core.late_payment.late_interest``.
"""

import logging

from markupsafe import Markup, escape
from pytz import timezone, utc

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date, formatLang

from ..chorus_core import invoice_statuses, late_payment
from .chorus_batch import claim_batch, commit_if_allowed

_logger = logging.getLogger(__name__)


def _paris_day(moment):
    """The day in Paris of a naive UTC datetime, as Odoo stores them."""
    return utc.localize(moment).astimezone(CHORUS_TIMEZONE).date()


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
    "chorus_receipt_date",
    "chorus_interest_due_by",
)


class AccountMove(models.Model):
    _inherit = "account.move"

    chorus_contract_payment_delay = fields.Integer(
        string="Contractual Payment Delay (days)",
        help="The payment delay the contract sets, when it sets one; 0 means the legal delay of the buyer. A "
        "public buyer's contract may set a shorter delay, never a longer one (Code de la commande "
        "publique, L2192-10).",
    )
    chorus_service_date = fields.Date(
        string="Services Done On",
        copy=False,
        help="The day the services (or supplies) this invoice asks payment for were done, when that is after "
        "the buyer received the invoice: the payment delay then runs from that day (Code de la commande "
        "publique, R2192-13). Leave empty when they were done before.",
    )
    chorus_receipt_date = fields.Date(
        string="Received by the Buyer On",
        compute="_compute_chorus_late_payment",
        store=True,
        help="The day Chorus Pro made the invoice available to the buyer (status 'Mise à disposition'), which is "
        "the buyer's receipt of an invoice sent through the public invoicing portal (Code de la commande "
        "publique, R2192-12 and R2192-15); the deposit date until Chorus Pro reports it.",
    )
    chorus_interest_due_by = fields.Date(
        string="Interest Payable By",
        compute="_compute_chorus_late_payment",
        store=True,
        help="The buyer pays the late-payment interest and the recovery indemnity within 45 days of the payment "
        "of the principal (Code de la commande publique, R2192-36). Past that day and not received, they are to "
        "be claimed.",
    )
    chorus_late_payment_explanation = fields.Html(
        string="Late Payment Computation",
        compute="_compute_chorus_late_payment_explanation",
        sanitize=False,
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
        help="The day the delay started (the buyer's receipt of the invoice on Chorus Pro, or the later day the "
        "services were done) plus the payment delay; after an interruption by the buyer, the day its complete "
        "items were received plus the new delay (Code de la commande publique, R2192-12 to R2192-15, R2192-27 "
        "to R2192-29).",
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
        help="Simple interest on the amount including VAT, per day late, over 365 days (L2192-13, R2192-31): each "
        "payment stops the interest on what it paid from its date, and 'Mise en paiement' stops it on the rest.",
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
            move.chorus_payment_date = _paris_day(min(reached)) if reached else False

    @api.depends(
        "move_type",
        "state",
        "amount_total_signed",
        "chorus_flux_id.deposit_date",
        "chorus_flux_id.is_failure",
        "chorus_status",
        "chorus_status_history_ids.status",
        "chorus_status_history_ids.date",
        "chorus_payment_date",
        "commercial_partner_id.chorus_buyer_kind",
        "chorus_contract_payment_delay",
        "chorus_service_date",
        "amount_residual",
        "chorus_interest_claimed_ids",
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
        result, received, _from_chorus = self._chorus_late_interest(today, rates)
        interest = result.interest or late_payment.ZERO
        values.update(
            chorus_receipt_date=received,
            chorus_legal_due_date=result.due_date or False,
            chorus_late_payment_as_of=today,
            chorus_days_late=result.days_late,
            chorus_late_interest_rate=float(result.rate or 0),
            chorus_late_interest=float(interest),
            chorus_recovery_indemnity=float(result.indemnity),
            chorus_late_amount_due=float(interest + result.indemnity),
            chorus_interest_due_by=result.claim_due_by or False,
        )
        if result.missing_rate:
            # The indemnity does not depend on the rate: it is owed all the same.
            values["chorus_late_payment_warning"] = _(
                "No ECB rate is known for the half-year starting on %(date)s: the late-payment interest "
                "cannot be computed. A Chorus Pro administrator enters the rate in Invoicing > Chorus Pro > "
                "ECB Rates.",
                date=format_date(self.env, result.missing_rate),
            )
        return values

    def _chorus_late_interest(self, today, rates):
        """``(late_payment.LateInterest, day of receipt, whether Chorus Pro reported that day)`` on ``today``."""
        self.ensure_one()
        history = self.chorus_status_history_ids.sorted(lambda line: (line.date, line.id))
        days = [(line.status, _paris_day(line.date)) for line in history]
        made_available = next((day for status, day in days if status == invoice_statuses.MISE_A_DISPOSITION), None)
        deposited = self.chorus_flux_id.deposit_date
        # Chorus Pro makes an invoice available after its deposit, never before.
        made_available = made_available and max(made_available, deposited)
        received = made_available or deposited
        # The delay is interrupted once (R2192-27): the first suspension, and the completion after it.
        suspended = next((day for status, day in days if status == invoice_statuses.SUSPENDUE), None)
        completed = None
        if suspended:
            completed = next(
                (day for status, day in days if status == invoice_statuses.COMPLETEE and day >= suspended), None
            )
        amount, payments = self._chorus_amount_and_payments()
        result = late_payment.late_interest(
            amount,
            received,
            self.commercial_partner_id.chorus_buyer_kind or late_payment.STATE,
            today,
            rates,
            delay_override=self.chorus_contract_payment_delay or None,
            service_date=self.chorus_service_date or None,
            suspended=suspended,
            completed=completed,
            payments=payments,
            paid_on=self.chorus_payment_date or None,
        )
        return result, received, bool(made_available)

    def _chorus_amount_and_payments(self):
        """``(amount owed incl. VAT, [(date, amount paid)])`` in the company's currency.

        A credit note reconciled with the invoice lowers what was owed from the start; any other
        counterpart (a payment, a bank statement line) pays on its date.
        """
        amount = late_payment._decimal(self.amount_total_signed)
        payments = []
        receivable = self.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        for partial in receivable.matched_credit_ids:
            paid = late_payment._decimal(self.company_currency_id.round(partial.amount))
            counterpart = partial.credit_move_id
            if counterpart.move_id.move_type == "out_refund":
                amount -= paid
            else:
                payments.append((counterpart.date, paid))
        return max(amount, late_payment.ZERO), payments

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
            # A claim of interest owes no interest of its own under these articles (R2192-36).
            and not self.chorus_interest_claimed_ids
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
            ("chorus_interest_due_by", "=", False),
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

    # -- the computation in words (Payment tab) ------------------------------------------------------

    @api.depends(*LATE_PAYMENT_FIELDS, "chorus_interest_claim_id", "chorus_interest_received")
    def _compute_chorus_late_payment_explanation(self):
        owed = self.filtered(lambda move: move._chorus_late_payment_applies())
        rates = self.env["chorus.ecb.rate"]._chorus_rate_table() if owed else ()
        for move in self:
            move.chorus_late_payment_explanation = move in owed and move._chorus_late_payment_text(rates)

    def _chorus_late_payment_text(self, rates):
        """The late-payment computation of this invoice in words, one item per step, as of its stored day."""
        self.ensure_one()
        today = self.chorus_late_payment_as_of or fields.Date.context_today(self)
        result, received, from_chorus = self._chorus_late_interest(today, rates)

        def day(value):
            return format_date(self.env, value)

        def money(value):
            return formatLang(self.env, float(value), currency_obj=self.company_currency_id)

        items = []
        if result.start_reason == late_payment.START_SERVICE:
            items.append(
                _(
                    "The payment delay started on %(date)s, the day the services were done, after the buyer received "
                    "the invoice on %(received)s (Code de la commande publique, R2192-13).",
                    date=day(result.start),
                    received=day(received),
                )
            )
        elif from_chorus:
            items.append(
                _(
                    "The payment delay started on %(date)s, the day Chorus Pro made the invoice available to the "
                    "buyer: its receipt of the invoice (Code de la commande publique, R2192-12 and R2192-15).",
                    date=day(result.start),
                )
            )
        else:
            items.append(
                _(
                    "The payment delay started on %(date)s, the day of the deposit: Chorus Pro has not reported yet "
                    "when it made the invoice available to the buyer (Code de la commande publique, R2192-12).",
                    date=day(result.start),
                )
            )
        if self.chorus_contract_payment_delay:
            items.append(_("Payment delay: %(days)s days, set by the contract (L2192-10).", days=result.delay))
        else:
            items.append(
                _(
                    "Payment delay: %(days)s days, the legal delay of this kind of buyer (R2192-10, R2192-11).",
                    days=result.delay,
                )
            )
        interruption = result.interruption
        if interruption and interruption.completed:
            items.append(
                _(
                    "The buyer interrupted the delay on %(suspended)s with %(balance)s days left (R2192-27, "
                    "R2192-28). The complete items reached it on %(completed)s: a new delay of %(new_delay)s days "
                    "opened that day, thirty days or the balance left if longer (R2192-29).",
                    suspended=day(interruption.suspended),
                    balance=interruption.balance,
                    completed=day(interruption.completed),
                    new_delay=interruption.new_delay,
                )
            )
        elif interruption:
            items.append(
                _(
                    "The buyer interrupted the delay on %(suspended)s with %(balance)s days left (R2192-27, "
                    "R2192-28). When it receives the complete items, a new delay of thirty days, or of the balance "
                    "left if longer, opens (R2192-29): no interest runs meanwhile.",
                    suspended=day(interruption.suspended),
                    balance=interruption.balance,
                )
            )
        if result.due_date:
            items.append(
                _(
                    "Legal due date: %(date)s. Late-payment interest runs from the next day, without any formality "
                    "(L2192-13).",
                    date=day(result.due_date),
                )
            )
        if result.due_date and not result.periods:
            items.append(_("Nothing was paid late as of %(date)s: no interest and no indemnity.", date=day(today)))
        if result.periods:
            items += self._chorus_late_payment_period_texts(result, day, money)
        return Markup("<ul>%s</ul>") % Markup().join(Markup("<li>%s</li>") % escape(item) for item in items)

    def _chorus_late_payment_period_texts(self, result, day, money):
        """The rate, each period with its amount, the indemnity and the claim, in words."""
        items = []
        if result.rate is None:
            items.append(
                _(
                    "No ECB rate is known for the half-year starting on %(date)s: the interest cannot be computed "
                    "until a Chorus Pro administrator enters it (Invoicing > Chorus Pro > ECB Rates).",
                    date=day(result.missing_rate),
                )
            )
        else:
            half_year = late_payment.half_year_start(result.periods[0].first_day)
            items.append(
                _(
                    "Rate: the ECB main refinancing rate on %(half_year)s, %(ecb)s, plus 8 points: %(rate)s a year, "
                    "for the whole lateness, as the interest started to run in that half-year (R2192-31).",
                    half_year=day(half_year),
                    ecb=self._chorus_percent(result.rate - late_payment.RATE_MARGIN),
                    rate=self._chorus_percent(result.rate),
                )
            )
        for period in result.periods:
            params = {
                "amount": money(period.amount),
                "first": day(period.first_day),
                "last": day(period.last_day),
                "days": period.days,
            }
            if period.interest is None:
                items.append(
                    _(
                        "%(amount)s late from %(first)s to %(last)s: %(days)s days, whose interest awaits the ECB "
                        "rate.",
                        **params,
                    )
                )
            elif period.paid:
                items.append(
                    _(
                        "%(amount)s paid on %(last)s, late from %(first)s: %(amount)s x %(rate)s x %(days)s days / "
                        "365 = %(interest)s.",
                        rate=self._chorus_percent(period.rate),
                        interest=money(period.interest),
                        **params,
                    )
                )
            else:
                items.append(
                    _(
                        "%(amount)s still unpaid on %(last)s, late from %(first)s: %(amount)s x %(rate)s x %(days)s "
                        "days / 365 = %(interest)s so far.",
                        rate=self._chorus_percent(period.rate),
                        interest=money(period.interest),
                        **params,
                    )
                )
        items.append(
            _(
                "Fixed recovery indemnity: %(amount)s, once for the invoice (D2192-35).",
                amount=money(result.indemnity),
            )
        )
        if result.claim_due_by:
            items.append(
                _(
                    "The principal was paid on %(paid)s: the interest and the indemnity are payable within 45 days, "
                    "by %(date)s (R2192-36).",
                    paid=day(result.principal_paid_on),
                    date=day(result.claim_due_by),
                )
            )
        claim = self.chorus_interest_claim_id
        if claim and claim.state != "cancel":
            items.append(_("Claimed by invoice %(claim)s.", claim=claim.name or claim.display_name))
        if self.chorus_interest_received:
            items.append(_("Recorded as received."))
        return items

    def _chorus_percent(self, rate):
        return _("%(rate)s %%", rate=formatLang(self.env, float(rate), digits=2))
