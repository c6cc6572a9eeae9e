from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..chorus_core.siret import is_valid_siret, normalize

# What a public buyer requires on invoices, as Chorus Pro's structure parameters say.
CHORUS_REQUIREMENTS = [
    ("none", "Nothing"),
    ("engagement", "Engagement number"),
    ("service", "Service code"),
    ("service_or_engagement", "Service code or engagement number"),
    ("service_and_engagement", "Service code and engagement number"),
]
REQUIREMENTS_NEEDING_ENGAGEMENT = ("engagement", "service_and_engagement")
REQUIREMENTS_NEEDING_SERVICE = ("service", "service_and_engagement")


class ResPartner(models.Model):
    _inherit = "res.partner"

    invoice_sending_method = fields.Selection(selection_add=[("chorus_pro", "by Chorus Pro")])
    chorus_is_public_buyer = fields.Boolean(
        string="Chorus Pro Public Buyer",
        help="Invoices to this customer go through Chorus Pro (State, local authority, hospital...).",
    )
    chorus_structure_identifier = fields.Char(
        string="Chorus Structure ID",
        copy=False,
        help="Internal Chorus Pro identifier of the structure (idStructureCPP), filled from Chorus Pro.",
    )
    chorus_requirement = fields.Selection(
        CHORUS_REQUIREMENTS,
        string="Required on Invoices",
        default="none",
        help="What this buyer requires on every invoice, as declared in Chorus Pro.",
    )
    chorus_service_ids = fields.One2many(
        "chorus.service", "partner_id", string="Chorus Services", context={"active_test": False}
    )
    chorus_payment_not_reported = fields.Boolean(
        string="Payment Not Reported by Chorus Pro",
        help="'statutMiseEnPaiementNestPasRemonte': this buyer never reports the payment, so its invoices are "
        "followed until 'Payment ordered' or 'Booked' only. Filled from Chorus Pro.",
    )

    @api.constrains("siret", "chorus_is_public_buyer")
    def _check_chorus_siret(self):
        for partner in self.filtered(lambda p: p.chorus_is_public_buyer and p.siret):
            if not is_valid_siret(partner.siret):
                raise ValidationError(
                    _(
                        "The SIRET %(siret)s of %(partner)s is not valid: a SIRET has 14 digits and passes the "
                        "Luhn check. A 9-digit SIREN is not enough for Chorus Pro.",
                        siret=partner.siret,
                        partner=partner.display_name,
                    )
                )

    @api.onchange("siret")
    def _onchange_siret_strip_spaces(self):
        if self.siret:
            self.siret = normalize(self.siret)

    def _get_suggested_invoice_edi_format(self):
        # Chorus Pro takes Factur-X: the default format of a public buyer, whatever its country says.
        suggested = super()._get_suggested_invoice_edi_format()
        return "facturx" if self.commercial_partner_id.chorus_is_public_buyer else suggested

    @api.model
    def _get_edi_builder(self, invoice_edi_format):
        builder = super()._get_edi_builder(invoice_edi_format)
        if invoice_edi_format == "facturx" and len(self) == 1 and self.commercial_partner_id.chorus_is_public_buyer:
            return self.env["account.edi.xml.cii.chorus"]
        return builder
