"""Answering Chorus Pro about an invoice it sent back: complete a suspended one, re-route one to recycle.

``chorus_complete(comment, attachments)`` (completerFacture) and ``chorus_recycle(...)``
(recyclerFacture) are the public entry points; the wizards of ``wizards/`` call them. Both
check everything Odoo knows before the call (status, comment, attachments, the buyer's rules
on the new routing, through the pre-flight's own checks), then answer Chorus Pro once with the
sending's short timeouts.
"""

import logging

from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..chorus_core import invoice_statuses, limits
from ..chorus_core.client import COMPLETE_COMMENT_MAX
from ..chorus_core.errors import ChorusError
from .account_move_chorus_send import CHORUS_SEND_CLIENT_OPTIONS

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    # -- public API ---------------------------------------------------------------------------

    def chorus_complete(self, comment, attachments=None):
        """Complete this SUSPENDUE invoice on Chorus Pro with ``comment`` and ``attachments``.

        ``attachments``: ``ir.attachment`` records or ids, each within Chorus Pro's limits. The
        answer of completerFacture carries no status: the new one (COMPLETEE) comes with the next
        status update.
        """
        self._chorus_check_caller()
        self.ensure_one()
        self._chorus_check_answerable(invoice_statuses.ACTION_COMPLETE)
        comment = (comment or "").strip()
        attachments = self._chorus_answer_attachments(attachments)
        attachments.check_access("read")
        self._chorus_check_completion(comment, attachments)
        with self._chorus_answer_client() as client:
            try:
                pieces = [
                    (client.add_attachment(attachment.raw, attachment.name, attachment.mimetype), attachment.name)
                    for attachment in attachments
                ]
                client.complete_invoice(self.chorus_identifier, comment, pieces)
            except ChorusError as error:
                raise self._chorus_answer_error(_("%(invoice)s was not completed", invoice=self.name), error) from error
        body = Markup("<p>%s</p><blockquote>%s</blockquote><p>%s</p>") % (
            _("Completed on Chorus Pro with this comment:"),
            comment,
            _("Chorus Pro will show its new status (Completed) at the next status update."),
        )
        if attachments:
            body += Markup("<p>%s</p>") % _("Attachments sent: %(names)s.", names=", ".join(attachments.mapped("name")))
        # no_new_invoice: files posted on an invoice are not to be read as a new invoice (as Send & Print posts them).
        self.with_context(no_new_invoice=True).message_post(body=body, attachment_ids=attachments.ids)
        _logger.info("Invoice %s completed on Chorus Pro (%s attachments)", self.id, len(attachments))
        return True

    def chorus_recycle(self, buyer_reference=None, purchase_order_reference=None):
        """Re-route this A_RECYCLER invoice on Chorus Pro to a new service code and/or engagement number.

        An empty value keeps the invoice's own. The new routing must follow the buyer's rules (the
        pre-flight's checks); once Chorus Pro took it, the invoice holds the new values and the
        status Chorus Pro answered.
        """
        self._chorus_check_caller()
        self.ensure_one()
        self._chorus_check_answerable(invoice_statuses.ACTION_RECYCLE)
        new_service_code = (buyer_reference or "").strip()
        new_engagement = (purchase_order_reference or "").strip()
        if not (new_service_code or new_engagement):
            raise UserError(
                _(
                    "Enter a new service code or a new engagement number (or both) to re-route %(invoice)s.",
                    invoice=self.name,
                )
            )
        routing = self.new(
            {
                "buyer_reference": new_service_code or self.buyer_reference,
                "purchase_order_reference": new_engagement or self.purchase_order_reference,
            },
            origin=self,
        )
        if problems := [message for _code, message in routing._chorus_preflight_routing()]:
            raise UserError("\n".join([_("%(invoice)s cannot be re-routed so:", invoice=self.name), *problems]))
        service = routing._chorus_service_from_reference()
        with self._chorus_answer_client() as client:
            try:
                answer = client.recycle_invoice(
                    self.chorus_identifier,
                    service_code=routing.buyer_reference or None,
                    engagement=routing.purchase_order_reference or None,
                )
            except ChorusError as error:
                raise self._chorus_answer_error(_("%(invoice)s was not re-routed", invoice=self.name), error) from error
        before = (self.buyer_reference, self.purchase_order_reference)
        values = {"purchase_order_reference": routing.purchase_order_reference}
        if service:
            values["chorus_service_id"] = service.id
        values["buyer_reference"] = routing.buyer_reference
        status = answer.get("statutFacture")
        if status in invoice_statuses.BY_CODE:
            values.update(chorus_status=status, chorus_status_date=fields.Datetime.now(), chorus_status_reason=False)
        self.write(values)
        self.message_post(body=self._chorus_recycled_message(before, status))
        _logger.info("Invoice %s re-routed on Chorus Pro (status %s)", self.id, status)
        return True

    def action_chorus_complete(self):
        """Open the "Complete on Chorus Pro" wizard on this suspended invoice."""
        return self._chorus_open_answer_wizard(
            "chorus.complete.wizard", invoice_statuses.ACTION_COMPLETE, _("Complete on Chorus Pro")
        )

    def action_chorus_recycle(self):
        """Open the "Re-route on Chorus Pro" wizard on this invoice to recycle."""
        return self._chorus_open_answer_wizard(
            "chorus.recycle.wizard", invoice_statuses.ACTION_RECYCLE, _("Re-route on Chorus Pro")
        )

    # -- checks -------------------------------------------------------------------------------

    def _chorus_open_answer_wizard(self, wizard_model, action, title):
        self._chorus_check_caller()
        self.ensure_one()
        self._chorus_check_answerable(action)
        wizard = self.env[wizard_model].create({"move_id": self.id, "company_id": self.company_id.id})
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": wizard_model,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _chorus_check_answerable(self, action):
        """The invoice is known on Chorus Pro and its status asks for ``action`` (complete or recycle)."""
        status = self.chorus_status
        if invoice_statuses.action(status) != action:
            shown = invoice_statuses.label(status, self.env.lang) if status else _("not known")
            if action == invoice_statuses.ACTION_COMPLETE:
                message = _(
                    "Only a suspended invoice can be completed on Chorus Pro; the Chorus Pro status of %(invoice)s is "
                    "%(status)s.",
                    invoice=self.name,
                    status=shown,
                )
            else:
                message = _(
                    "Only an invoice to recycle can be re-routed on Chorus Pro; the Chorus Pro status of %(invoice)s "
                    "is %(status)s.",
                    invoice=self.name,
                    status=shown,
                )
            raise UserError(message)
        if not self.chorus_identifier:
            raise UserError(
                _(
                    "%(invoice)s has no Chorus Pro invoice identifier yet: update its Chorus Pro status first.",
                    invoice=self.name,
                )
            )

    def _chorus_answer_attachments(self, attachments):
        if isinstance(attachments, models.BaseModel):
            return attachments
        return self.env["ir.attachment"].browse(attachments or [])

    def _chorus_check_completion(self, comment, attachments):
        problems = []
        if not comment:
            problems.append(_("Write a comment for the buyer: say what you add or correct."))
        elif len(comment) > COMPLETE_COMMENT_MAX:
            problems.append(
                _(
                    "The comment has %(length)s characters; Chorus Pro accepts at most %(max)s.",
                    length=len(comment),
                    max=COMPLETE_COMMENT_MAX,
                )
            )
        found = limits.attachment_problems((attachment.name, attachment.file_size) for attachment in attachments)
        problems += [self._chorus_attachment_message(problem, name) for problem, name in found]
        if problems:
            raise UserError("\n".join([_("%(invoice)s cannot be completed yet:", invoice=self.name), *problems]))

    # -- the call -----------------------------------------------------------------------------

    def _chorus_answer_client(self):
        try:
            return self.company_id._chorus_client(**CHORUS_SEND_CLIENT_OPTIONS)
        except ChorusError as error:
            raise UserError(self.company_id._chorus_error_message(error)) from error

    def _chorus_answer_error(self, what, error):
        _logger.info("Chorus answer about invoice %s failed (%s)", self.id, error.kind)
        return UserError(_("%(what)s: %(reason)s", what=what, reason=self.company_id._chorus_error_message(error)))

    def _chorus_recycled_message(self, before, status):
        (service_before, engagement_before), none = before, _("none")
        lines = [_("Re-routed on Chorus Pro:")]
        if service_before != self.buyer_reference:
            lines.append(
                _(
                    "service code %(before)s → %(after)s",
                    before=service_before or none,
                    after=self.buyer_reference or none,
                )
            )
        if engagement_before != self.purchase_order_reference:
            lines.append(
                _(
                    "engagement number %(before)s → %(after)s",
                    before=engagement_before or none,
                    after=self.purchase_order_reference or none,
                )
            )
        if status:
            lines.append(
                _(
                    "Chorus Pro status: %(status)s; it goes back to the buyer.",
                    status=invoice_statuses.label(status, self.env.lang),
                )
            )
        else:
            lines.append(_("Chorus Pro will show its new status at the next status update."))
        return Markup("<br/>").join(lines)
