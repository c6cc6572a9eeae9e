from odoo import api, fields, models

from ..chorus_core.limits import FORBIDDEN_SERVICE_CODES

# Cadre de facturation (BT-23): the short code goes into Factur-X.
CHORUS_BILLING_FRAMEWORKS = [
    ("A1", "A1 - Invoice"),
    ("A2", "A2 - Invoice already paid"),
    ("A9", "A9 - Subcontractor invoice"),
    ("A12", "A12 - Co-contractor invoice"),
]
CHORUS_PAYMENT_MODES = [
    ("transfer", "Credit transfer"),
    ("direct_debit", "Direct debit"),
    ("cheque", "Cheque"),
    ("other", "Other"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    # buyer_reference (BT-10) comes from l10n_fr_facturx_chorus_pro; choosing a service fills it.
    buyer_reference = fields.Char(compute="_compute_buyer_reference", store=True, readonly=False, precompute=True)
    chorus_is_public_buyer = fields.Boolean(related="commercial_partner_id.chorus_is_public_buyer")
    chorus_service_id = fields.Many2one(
        "chorus.service",
        string="Chorus Service",
        copy=True,
        # FACTURES_PUBLIQUES is reserved to invoicing between public entities.
        domain="[('partner_id', '=', commercial_partner_id), ('code', '!=', 'FACTURES_PUBLIQUES')]",
        help="Service of the public buyer that receives the invoice; its code is the Service code (BT-10).",
    )
    chorus_billing_framework = fields.Selection(
        CHORUS_BILLING_FRAMEWORKS,
        string="Billing Framework",
        default="A1",
        help="'Cadre de facturation' in Chorus Pro (BT-23). A1 for a usual supplier invoice.",
    )
    chorus_payment_mode = fields.Selection(
        CHORUS_PAYMENT_MODES,
        string="Payment Means",
        default="transfer",
        help="How the public buyer pays this invoice (BT-81). A transfer needs the company's IBAN on the invoice.",
    )
    chorus_attachment_ids = fields.Many2many(
        "ir.attachment",
        "account_move_chorus_attachment_rel",
        "move_id",
        "attachment_id",
        string="Chorus Attachments",
        copy=False,
        help="Documents sent to Chorus Pro with the invoice (each under 10 MB, 120 MB in all).",
    )
    chorus_preflight_message = fields.Text(compute="_compute_chorus_preflight_message")

    @api.depends("chorus_service_id")
    def _compute_buyer_reference(self):
        for move in self.filtered("chorus_service_id"):
            move.buyer_reference = move.chorus_service_id.code

    @api.onchange("partner_id")
    def _onchange_partner_reset_chorus_service(self):
        if self.chorus_service_id and self.chorus_service_id.partner_id != self.commercial_partner_id:
            self.chorus_service_id = False

    def _chorus_service_from_reference(self):
        """The buyer's service whose code is this invoice's service code, active or not."""
        self.ensure_one()
        if not self.buyer_reference:
            return self.env["chorus.service"]
        return self.commercial_partner_id.with_context(active_test=False).chorus_service_ids.filtered(
            lambda s: s.code == self.buyer_reference and s.code not in FORBIDDEN_SERVICE_CODES
        )[:1]

    def action_chorus_find_buyer(self):
        """The customer is a public buyer not marked as one yet: find it on Chorus Pro and fill it."""
        self.ensure_one()
        return self.commercial_partner_id.action_chorus_find_on_chorus()
