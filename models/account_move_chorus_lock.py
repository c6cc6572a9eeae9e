"""An invoice Chorus Pro holds is frozen: no Reset to Draft, no Cancel, as Odoo does for the SdI (l10n_it_edi).

Odoo would otherwise show amounts Chorus Pro never received. The ways out are a credit note
(``action_reverse`` stays allowed) or Complete / Re-route on Chorus Pro. After a refused deposit
the invoice is not held anywhere and may be corrected.
"""

from odoo import _, api, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.depends("chorus_send_state", "chorus_flux_id.is_failure")
    def _compute_show_reset_to_draft_button(self):  # pylint: disable=missing-return
        super()._compute_show_reset_to_draft_button()
        for move in self:
            if move.show_reset_to_draft_button and move._chorus_is_frozen():
                move.show_reset_to_draft_button = False

    def button_draft(self):
        # Odoo's Cancel of a posted invoice resets it to draft first: refused here too, with the same words.
        self._chorus_check_not_frozen()
        return super().button_draft()

    def _chorus_is_frozen(self):
        """Chorus Pro holds it, or may be receiving it: what it cannot be deposited for."""
        return not self._chorus_can_deposit()

    def _chorus_check_not_frozen(self):
        frozen = self.filtered(lambda move: move._chorus_is_frozen())
        if frozen:
            raise UserError(
                _(
                    "%(invoices)s cannot be reset to draft or cancelled: Chorus Pro holds it, or may be receiving it, "
                    "and would keep the amounts it received. Issue a credit note instead, or, when the buyer asks "
                    "for it, use Complete on Chorus Pro or Re-route on Chorus Pro.",
                    invoices=", ".join(frozen.mapped("name")),
                )
            )
