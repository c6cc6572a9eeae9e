"""What kind of public buyer a partner is, which sets the legal delay it has to pay in."""

from odoo import api, fields, models

from ..chorus_core import late_payment
from ..chorus_core.buyer_kind import guess_buyer_kind


class ResPartner(models.Model):
    _inherit = "res.partner"

    chorus_buyer_kind = fields.Selection(
        late_payment.SELECTION,
        string="Kind of Public Buyer",
        compute="_compute_chorus_buyer_kind",
        store=True,
        readonly=False,
        help="Sets the legal payment delay (Code de la commande publique, R2192-10 and R2192-11): 30 days for "
        "the State, its administrative public bodies and local authorities, 50 days for public health "
        "establishments and the army health service, 60 days for public companies. Guessed from the "
        "buyer's name when it becomes a public buyer; correct it when the guess is wrong.",
    )
    chorus_legal_payment_delay = fields.Integer(
        string="Legal Payment Delay (days)", compute="_compute_chorus_legal_payment_delay"
    )

    # Not on the name: renaming a buyer must not undo a kind the user chose.
    @api.depends("chorus_is_public_buyer")
    def _compute_chorus_buyer_kind(self):
        for partner in self:
            if partner.chorus_is_public_buyer and not partner.chorus_buyer_kind:
                partner.chorus_buyer_kind = guess_buyer_kind(partner.name)
            else:
                partner.chorus_buyer_kind = partner.chorus_buyer_kind

    @api.depends("chorus_buyer_kind")
    def _compute_chorus_legal_payment_delay(self):
        for partner in self:
            partner.chorus_legal_payment_delay = late_payment.legal_delay(
                partner.chorus_buyer_kind or late_payment.STATE
            )
