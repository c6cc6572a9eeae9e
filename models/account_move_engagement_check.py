"""The engagement number checked with Chorus Pro before sending, for buyers that require one.

Chorus Pro rejects an invoice whose engagement number the buyer never issued, weeks after it was sent.
``engagementsJuridiques/v1/rechercher`` tells whether it knows the number as an order to the supplier
(docs/engagement-check.md). The check is part of the send-time pre-flight (with the Factur-X checks),
never of the banner computed at each display of the form: it calls Chorus Pro. Its outcome is kept on the
invoice for the number checked, so the Send dialog, which computes its alerts again at each change, asks
once. A number Chorus Pro does not know blocks the sending; a check that could not be made never does:
the invoice says so and goes.
"""

import logging
from datetime import timedelta

from odoo import _, api, fields, models

from ..chorus_core.errors import ChorusError
from .res_partner import REQUIREMENTS_NEEDING_ENGAGEMENT

_logger = logging.getLogger(__name__)

ENGAGEMENT_CHECKS = [
    ("known", "Known to Chorus Pro"),
    ("unknown", "Unknown to Chorus Pro"),
    ("unchecked", "Not checked"),
]
# One short try: the check must never hold a sending back for long.
CHORUS_ENGAGEMENT_CLIENT_OPTIONS = {"timeout": (3, 10), "max_retries": 0}
# An unknown number, or a check that could not be made, is asked again after this; a known one never is.
CHORUS_ENGAGEMENT_RECHECK = timedelta(minutes=10)


class AccountMove(models.Model):
    _inherit = "account.move"

    chorus_engagement_checked = fields.Char(string="Engagement Number Checked", readonly=True, copy=False)
    chorus_engagement_check_result = fields.Selection(
        ENGAGEMENT_CHECKS, string="Engagement Check Result", readonly=True, copy=False
    )
    chorus_engagement_check_date = fields.Datetime(string="Engagement Checked On", readonly=True, copy=False)
    chorus_engagement_check = fields.Selection(
        ENGAGEMENT_CHECKS,
        string="Engagement Check",
        compute="_compute_chorus_engagement_check",
        help="What Chorus Pro said of this engagement number when the invoice was last checked before sending.",
    )

    @api.depends("purchase_order_reference", "chorus_engagement_checked", "chorus_engagement_check_result")
    def _compute_chorus_engagement_check(self):
        for move in self:
            current = (move.purchase_order_reference or "").strip()
            same = current and move.chorus_engagement_checked == current
            move.chorus_engagement_check = move.chorus_engagement_check_result if same else False

    def _chorus_preflight_problems(self, with_facturx=True):
        problems = super()._chorus_preflight_problems(with_facturx=with_facturx)
        if with_facturx and not problems:
            problems += self._chorus_preflight_engagement()
        return problems

    def action_chorus_check_engagement(self):
        """Ask Chorus Pro now whether it knows this invoice's engagement number, and say what it answered."""
        self._chorus_check_caller("read")
        self.ensure_one()
        engagement = (self.purchase_order_reference or "").strip()
        if not engagement:
            return self._chorus_engagement_notification("warning", _("Enter the engagement number first."))
        if self._chorus_goes_to_a_validator():
            return self._chorus_engagement_notification(
                "warning",
                _(
                    "The engagement number of a subcontractor's or co-contractor's invoice is the buyer's order to "
                    "the main contractor or the group: Chorus Pro cannot check it against your structure."
                ),
            )
        result, reason = self._chorus_ask_engagement(engagement)
        self._chorus_keep_engagement_check(engagement, result, reason)
        if result == "known":
            return self._chorus_engagement_notification(
                "success", _("Chorus Pro knows the engagement number %(number)s.", number=engagement)
            )
        if result == "unknown":
            return self._chorus_engagement_notification("danger", self._chorus_engagement_unknown_message(engagement))
        return self._chorus_engagement_notification("warning", self._chorus_engagement_unchecked_message(reason))

    def _chorus_preflight_engagement(self):
        """``[(code, message)]`` when Chorus Pro does not know the engagement number a buyer requires."""
        self.ensure_one()
        engagement = (self.purchase_order_reference or "").strip()
        if not engagement or not self.company_id.chorus_check_engagement or not self._chorus_engagement_needed():
            return []
        if self._chorus_goes_to_a_validator():
            # The buyer's order went to the main contractor or the group: not found under our own structure.
            return []
        result = self._chorus_engagement_kept_result(engagement)
        if result is None:
            result, reason = self._chorus_ask_engagement(engagement)
            self._chorus_keep_engagement_check(engagement, result, reason)
        if result == "unknown":
            return [("engagement_unknown", self._chorus_engagement_unknown_message(engagement))]
        return []

    def _chorus_engagement_needed(self):
        """Whether this invoice's buyer or service requires the engagement number (or takes it for a service)."""
        requirement = self.commercial_partner_id.chorus_requirement
        if requirement in REQUIREMENTS_NEEDING_ENGAGEMENT:
            return True
        if requirement == "service_or_engagement" and not self.buyer_reference:
            return True
        return bool(self._chorus_service_from_reference().engagement_required)

    def _chorus_engagement_kept_result(self, engagement):
        """The outcome kept for this number, or None when it must be asked (again)."""
        if self.chorus_engagement_checked != engagement or not self.chorus_engagement_check_result:
            return None
        if self.chorus_engagement_check_result == "known":
            return "known"
        if self.chorus_engagement_check_date and fields.Datetime.now() - self.chorus_engagement_check_date < (
            CHORUS_ENGAGEMENT_RECHECK
        ):
            return self.chorus_engagement_check_result
        return None

    def _chorus_ask_engagement(self, engagement):
        """``(result, reason)``: ``known``, ``unknown``, or ``unchecked`` with why Chorus Pro could not say."""
        company = self.company_id
        try:
            with company._chorus_client(**CHORUS_ENGAGEMENT_CLIENT_OPTIONS) as client:
                own = client.own_structure_id(company.siret or "")
                known = client.engagement_exists(own, engagement)
        except ChorusError as error:
            _logger.info("Engagement number of invoice %s not checked: %s", self.id, error.kind)
            return "unchecked", company._chorus_error_message(error, siret=company.siret or "")
        return ("known" if known else "unknown"), ""

    def _chorus_keep_engagement_check(self, engagement, result, reason):
        """Keep the outcome on the invoice; a check not made is noted once per number in the chatter."""
        noted = self.chorus_engagement_checked == engagement and self.chorus_engagement_check_result == "unchecked"
        self.sudo().write(
            {
                "chorus_engagement_checked": engagement,
                "chorus_engagement_check_result": result,
                "chorus_engagement_check_date": fields.Datetime.now(),
            }
        )
        if result == "unchecked" and not noted:
            self.sudo().message_post(
                body=self._chorus_engagement_unchecked_message(reason), subtype_xmlid="mail.mt_note"
            )

    def _chorus_engagement_unknown_message(self, engagement):
        return _(
            "Chorus Pro knows no order with the engagement number %(number)s made to your company: compare it with "
            "the purchase order of %(buyer)s (every letter, digit and dash) or ask the buyer for the right one. "
            "Chorus Pro would reject the invoice.",
            number=engagement,
            buyer=self.commercial_partner_id.display_name,
        )

    def _chorus_engagement_unchecked_message(self, reason):
        return _(
            "The engagement number was not checked with Chorus Pro, which could not say whether it knows it "
            "(%(reason)s). The invoice is not held back for it.",
            reason=reason,
        )

    def _chorus_engagement_notification(self, kind, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": kind, "title": _("Engagement number"), "message": message, "sticky": kind != "success"},
        }


class ResCompany(models.Model):
    _inherit = "res.company"

    chorus_check_engagement = fields.Boolean(
        string="Check Engagement Numbers with Chorus Pro",
        default=True,
        help="Before sending an invoice to a buyer that requires an engagement number, ask Chorus Pro whether it "
        "knows it. Needs the PISTE application subscribed to the 'Engagements juridiques' API; where Chorus Pro "
        "cannot answer, the invoice says the check was not made and is sent all the same.",
    )
