"""Claiming the late-payment interest and recovery indemnities a public buyer did not pay.

The interest and the indemnity are paid within 45 days of the payment of the principal (Code de la
commande publique, R2192-36). Past that day and not received, the dashboard lists them ("Interest
to claim"); **Claim late-payment interest** makes one draft customer invoice to the buyer, one line
of interest and one of indemnity per late invoice, without VAT: these sums repair the damage of the
late payment and are not the consideration of a supply (CGI art. 256; BOI-TVA-BASE-10-10-10 on
moratory interest; CJCE 18 July 2007, C-277/05, on indemnities). The claimed invoices point to it,
so none is claimed twice; the claim is then sent through Chorus Pro like any invoice, and its
payment records the sums as received.
"""

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date, formatLang

# A billing user may claim, as they may invoice.
CLAIM_GROUP = "account.group_account_invoice"
PAID_STATES = ("paid", "in_payment")


class AccountMove(models.Model):
    _inherit = "account.move"

    chorus_interest_claim_id = fields.Many2one(
        "account.move",
        string="Late-Payment Interest Claim",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The invoice that claims this invoice's late-payment interest and recovery indemnity from the buyer.",
    )
    chorus_interest_claimed_ids = fields.One2many(
        "account.move",
        "chorus_interest_claim_id",
        string="Invoices Claimed For",
        readonly=True,
        help="The late invoices whose interest and indemnity this invoice claims.",
    )
    chorus_interest_received = fields.Boolean(
        string="Interest Received",
        compute="_compute_chorus_interest_received",
        store=True,
        readonly=False,
        copy=False,
        help="The buyer paid the late-payment interest and the indemnity: set when the claim invoice is paid; tick "
        "it by hand when the buyer paid them without a claim.",
    )
    chorus_interest_claimable = fields.Boolean(
        string="Interest Can Be Claimed", compute="_compute_chorus_interest_claimable"
    )

    @api.depends("chorus_interest_claim_id.payment_state", "chorus_interest_claim_id.chorus_payment_date")
    def _compute_chorus_interest_received(self):
        for move in self:
            claim = move.chorus_interest_claim_id
            if claim and (claim.payment_state in PAID_STATES or claim.chorus_payment_date):
                move.chorus_interest_received = True
            else:
                move.chorus_interest_received = move.chorus_interest_received

    @api.depends(
        "chorus_late_amount_due",
        "chorus_interest_due_by",
        "chorus_late_payment_warning",
        "chorus_interest_received",
        "chorus_interest_claim_id.state",
    )
    def _compute_chorus_interest_claimable(self):
        for move in self:
            move.chorus_interest_claimable = move._chorus_interest_claimable()

    def _chorus_interest_claimable(self):
        """Paid late, principal paid, the rate known, neither received nor claimed by a live claim."""
        self.ensure_one()
        claim = self.chorus_interest_claim_id
        return (
            self.move_type == "out_invoice"
            and self.state == "posted"
            and self.chorus_late_amount_due > 0
            and bool(self.chorus_interest_due_by)
            and not self.chorus_late_payment_warning
            and not self.chorus_interest_received
            and (not claim or claim.state == "cancel")
        )

    @api.model
    def _chorus_interest_to_claim_domain(self):
        """Invoices whose interest and indemnity are past their 45 days (R2192-36), not received, not claimed."""
        today = fields.Date.context_today(self)
        return [
            ("chorus_late_amount_due", ">", 0),
            ("chorus_interest_due_by", "<", today),
            ("chorus_interest_received", "=", False),
            "|",
            ("chorus_interest_claim_id", "=", False),
            ("chorus_interest_claim_id.state", "=", "cancel"),
        ]

    def action_chorus_claim_late_interest(self):
        """One draft invoice to the buyer claiming the interest and indemnities of these late invoices."""
        if not self.env.su and not self.env.user.has_group(CLAIM_GROUP):
            raise AccessError(_("Only billing users can claim late-payment interest."))
        if not self:
            raise UserError(_("Select the late invoices whose interest you want to claim."))
        # Two users claiming the same invoices: the second is told at once, not kept waiting.
        if busy := self.filtered(lambda move: not move._chorus_try_lock_row()):
            raise UserError(
                _(
                    "%(invoices)s is being changed by another user: try again in a minute.",
                    invoices=", ".join(busy.mapped("name")),
                )
            )
        self.invalidate_recordset(["chorus_interest_claim_id", "chorus_interest_received"])
        not_claimable = self.filtered(lambda move: not move._chorus_interest_claimable())
        if not_claimable:
            raise UserError(
                _(
                    "Nothing can be claimed on %(invoices)s: an invoice is claimed once it was paid late, its "
                    "principal paid and the ECB rate of its interest known, and only if its interest was neither "
                    "received nor claimed already.",
                    invoices=", ".join(not_claimable.mapped("name")),
                )
            )
        if len(self.commercial_partner_id) > 1 or len(self.company_id) > 1:
            raise UserError(
                _("A claim is made to one buyer: select the late invoices of one buyer and one company at a time.")
            )
        claim = self.create(self._chorus_interest_claim_values())
        self.chorus_interest_claim_id = claim
        claim.message_post(
            body=Markup("%s")
            % _("Claims the late-payment interest of %(invoices)s.", invoices=", ".join(self.mapped("name")))
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": claim.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _chorus_interest_claim_values(self):
        """The claim invoice's values, written in the buyer's language."""
        buyer = self.commercial_partner_id
        env = self.with_context(lang=buyer.lang or self.env.lang).env
        first = self.sorted("name")[0]
        services = self.chorus_service_id
        engagements = set(self.mapped("purchase_order_reference"))
        lines = []
        for move in self.sorted("name"):
            if move.chorus_late_interest:
                lines.append(
                    Command.create(
                        {
                            "name": env._(
                                "Late-payment interest on invoice %(invoice)s: %(days)s days late, at %(rate)s %% a "
                                "year (Code de la commande publique, L2192-13 and R2192-31)",
                                invoice=move.name,
                                days=move.chorus_days_late,
                                rate=formatLang(env, move.chorus_late_interest_rate, digits=2),
                            ),
                            "quantity": 1,
                            "price_unit": move.chorus_late_interest,
                            "tax_ids": [Command.clear()],
                        }
                    )
                )
            lines.append(
                Command.create(
                    {
                        "name": env._(
                            "Fixed recovery indemnity for invoice %(invoice)s (Code de la commande publique, D2192-35)",
                            invoice=move.name,
                        ),
                        "quantity": 1,
                        "price_unit": move.chorus_recovery_indemnity,
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        note = env._(
            "Late-payment interest and fixed recovery indemnities owed by law for the invoices %(invoices)s, paid "
            "after their payment delay (Code de la commande publique, L2192-13; rate: R2192-31; indemnity of 40 EUR: "
            "D2192-35), payable within 45 days of the payment of the principal (R2192-36), the last of which was "
            "due on %(date)s. Not subject to VAT: these sums repair the damage of the late payment and are not the "
            "consideration of a supply (CGI art. 256; BOI-TVA-BASE-10-10-10).",
            invoices=", ".join(self.sorted("name").mapped("name")),
            date=format_date(env, max(self.mapped("chorus_interest_due_by"))),
        )
        return {
            "move_type": "out_invoice",
            "company_id": first.company_id.id,
            "journal_id": first.journal_id.id,
            "partner_id": (self.partner_id if len(self.partner_id) == 1 else buyer).id,
            "partner_bank_id": first.partner_bank_id.id,
            "currency_id": first.company_currency_id.id,
            "chorus_service_id": services.id if len(services) == 1 and all(self.mapped("chorus_service_id")) else False,
            "purchase_order_reference": engagements.pop() if len(engagements) == 1 else False,
            "invoice_origin": ", ".join(self.sorted("name").mapped("name")),
            "narration": note,
            "invoice_line_ids": lines,
        }
