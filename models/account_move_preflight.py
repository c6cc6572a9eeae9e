from odoo import _, api, models

from ..chorus_core import limits
from ..chorus_core.siret import is_valid_siret
from ..chorus_core.submission import VALIDATED_FRAMEWORKS
from .res_partner import REQUIREMENTS_NEEDING_ENGAGEMENT, REQUIREMENTS_NEEDING_SERVICE

CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")


class AccountMove(models.Model):
    _inherit = "account.move"

    def chorus_preflight(self):
        """Every reason why this invoice cannot go to Chorus Pro yet, each a sentence saying what to fix.

        An empty list means the invoice is ready. The Factur-X checks run the Schematron worker: for
        those who may send this invoice only.
        """
        self._chorus_check_caller("read")
        return self._chorus_preflight_messages()

    def _chorus_preflight_messages(self, with_facturx=True):
        return [message for _code, message in self._chorus_preflight_problems(with_facturx=with_facturx)]

    def _chorus_preflight_problems(self, with_facturx=True):
        """List of ``(code, message)``; codes are stable, messages are translated.

        The Factur-X checks (``account_move_facturx_preflight.py``) build the XML and run the official
        rules: they come only when every cheap check passed, and not at all without ``with_facturx``.
        """
        self.ensure_one()
        problems = []
        problems += self._chorus_preflight_document()
        problems += self._chorus_preflight_parties()
        problems += self._chorus_preflight_validator()
        problems += self._chorus_preflight_routing()
        problems += self._chorus_preflight_payment()
        problems += self._chorus_preflight_attachments()
        if with_facturx and not problems:
            problems += self._chorus_preflight_facturx()
        return problems

    def _chorus_preflight_document(self):
        problems = []
        if self.state != "posted":
            problems.append(("not_posted", _("Confirm the invoice before sending it to Chorus Pro.")))
        if self.move_type not in CUSTOMER_MOVE_TYPES:
            problems.append(
                ("not_customer_invoice", _("Only customer invoices and credit notes can be sent to Chorus Pro."))
            )
        number_problem = limits.invoice_number_problem(self.name) if self.name and self.name != "/" else None
        if number_problem == "too_long":
            problems.append(
                (
                    "number_too_long",
                    _(
                        "The invoice number %(number)s is longer than %(max)s characters, the Chorus Pro maximum: "
                        "shorten the journal's sequence prefix.",
                        number=self.name,
                        max=limits.INVOICE_NUMBER_MAX,
                    ),
                )
            )
        elif number_problem == "bad_characters":
            problems.append(
                (
                    "number_characters",
                    _(
                        "The invoice number %(number)s contains characters Chorus Pro refuses: use only letters, "
                        "digits and - _ / + in the journal's sequence.",
                        number=self.name,
                    ),
                )
            )
        if not self.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
            problems.append(("no_line", _("Add at least one invoice line.")))
        if not self.invoice_date_due:
            problems.append(("no_due_date", _("Set a due date or payment terms on the invoice.")))
        if self.currency_id.name != "EUR":
            problems.append(
                (
                    "currency",
                    _(
                        "Chorus Pro only accepts invoices in euros; this one is in %(currency)s.",
                        currency=self.currency_id.name,
                    ),
                )
            )
        if self.move_type == "out_refund" and not self.reversed_entry_id:
            problems.append(
                (
                    "refund_without_origin",
                    _("Link this credit note to the invoice it cancels: Chorus Pro needs the original invoice number."),
                )
            )
        return problems

    def _chorus_preflight_parties(self):
        problems = []
        buyer = self.commercial_partner_id
        if not buyer.chorus_is_public_buyer:
            problems.append(
                (
                    "buyer_not_chorus",
                    _(
                        "%(buyer)s is not a Chorus Pro public buyer: tick 'Chorus Pro Public Buyer' in the Chorus Pro "
                        "tab of the customer.",
                        buyer=buyer.display_name,
                    ),
                )
            )
        if not is_valid_siret(buyer.siret):
            problems.append(
                (
                    "buyer_siret",
                    _(
                        "Enter a valid 14-digit SIRET for the customer %(buyer)s (a SIREN is not enough).",
                        buyer=buyer.display_name,
                    ),
                )
            )
        if not is_valid_siret(self.company_id.siret):
            problems.append(
                (
                    "company_siret",
                    _(
                        "Enter a valid 14-digit SIRET for your company %(company)s in the company settings.",
                        company=self.company_id.name,
                    ),
                )
            )
        return problems

    def _chorus_preflight_validator(self):
        """A9 and A12 name their validator, a company with its SIRET; Chorus Pro is asked about it when sending."""
        if self.chorus_billing_framework not in VALIDATED_FRAMEWORKS:
            return []
        validator = self.chorus_validator_id.commercial_partner_id
        if not validator:
            return [
                (
                    "validator_missing",
                    _(
                        "A %(framework)s invoice goes to its validator first (the main contractor, or the group's "
                        "representative), then to the buyer: choose the validator in the Chorus Pro section.",
                        framework=self.chorus_billing_framework,
                    ),
                )
            ]
        if not is_valid_siret(validator.siret):
            return [
                (
                    "validator_siret",
                    _(
                        "Enter a valid 14-digit SIRET for the validator %(validator)s.",
                        validator=validator.display_name,
                    ),
                )
            ]
        if validator == self.commercial_partner_id:
            return [
                (
                    "validator_is_buyer",
                    _(
                        "The validator is the main contractor or the group's representative, not the public buyer "
                        "%(buyer)s: choose the company that validates your invoice.",
                        buyer=validator.display_name,
                    ),
                )
            ]
        return []

    def _chorus_preflight_routing(self):
        problems = []
        buyer = self.commercial_partner_id
        requirement = buyer.chorus_requirement
        service = self._chorus_service_from_reference()
        engagement = self.purchase_order_reference
        if self.buyer_reference:
            if not service:
                problems.append(
                    (
                        "service_unknown",
                        _(
                            "The service code %(code)s is not a service of %(buyer)s: choose one of its services "
                            "(update the buyer from Chorus Pro if the list is old).",
                            code=self.buyer_reference,
                            buyer=buyer.display_name,
                        ),
                    )
                )
            elif not service.active:
                problems.append(
                    (
                        "service_inactive",
                        _(
                            "The service %(code)s of %(buyer)s is no longer active in Chorus Pro: choose another "
                            "service.",
                            code=service.code,
                            buyer=buyer.display_name,
                        ),
                    )
                )
        elif requirement in REQUIREMENTS_NEEDING_SERVICE:
            problems.append(
                (
                    "service_missing",
                    _("%(buyer)s requires a service code: choose the Chorus service.", buyer=buyer.display_name),
                )
            )
        if not engagement:
            if requirement in REQUIREMENTS_NEEDING_ENGAGEMENT:
                problems.append(
                    (
                        "engagement_missing",
                        _(
                            "%(buyer)s requires an engagement number: enter the one on the purchase order "
                            "(Engagement Juridique).",
                            buyer=buyer.display_name,
                        ),
                    )
                )
            elif service.engagement_required:
                problems.append(
                    (
                        "engagement_missing_for_service",
                        _(
                            "The service %(code)s requires an engagement number: enter the one on the purchase order.",
                            code=service.code,
                        ),
                    )
                )
            elif requirement == "service_or_engagement" and not self.buyer_reference:
                problems.append(
                    (
                        "service_or_engagement_missing",
                        _(
                            "%(buyer)s requires a service code or an engagement number: enter at least one.",
                            buyer=buyer.display_name,
                        ),
                    )
                )
        elif len(engagement) > limits.ENGAGEMENT_MAX:
            problems.append(
                (
                    "engagement_too_long",
                    _(
                        "The engagement number has %(length)s characters; Chorus Pro accepts at most %(max)s.",
                        length=len(engagement),
                        max=limits.ENGAGEMENT_MAX,
                    ),
                )
            )
        if self.contract_reference and len(self.contract_reference) > limits.CONTRACT_MAX:
            problems.append(
                (
                    "contract_too_long",
                    _(
                        "The contract number has %(length)s characters; Chorus Pro accepts at most %(max)s.",
                        length=len(self.contract_reference),
                        max=limits.CONTRACT_MAX,
                    ),
                )
            )
        return problems

    def _chorus_preflight_payment(self):
        if self.move_type != "out_invoice" or self.chorus_payment_mode != "transfer":
            return []
        if self.partner_bank_id.acc_type == "iban":
            return []
        return [
            (
                "no_iban",
                _(
                    "Payment by transfer needs your company's IBAN: add an IBAN bank account to %(company)s and "
                    "select it as the invoice's recipient bank.",
                    company=self.company_id.name,
                ),
            )
        ]

    def _chorus_preflight_attachments(self):
        found = limits.attachment_problems((a.name, a.file_size) for a in self.chorus_attachment_ids)
        return [(f"attachment_{problem}", self._chorus_attachment_message(problem, name)) for problem, name in found]

    def _chorus_attachment_message(self, problem, name):
        if problem == "empty":
            return _("The attachment %(name)s is empty.", name=name)
        if problem == "too_big":
            return _("The attachment %(name)s is 10 MB or more: Chorus Pro accepts files under 10 MB.", name=name)
        if problem == "name_too_long":
            return _("Rename the attachment %(name)s: Chorus Pro accepts names of 50 characters at most.", name=name)
        if problem == "bad_extension":
            return _(
                "The attachment %(name)s has a file type Chorus Pro refuses: use PDF, images, office or text files.",
                name=name,
            )
        return _("The attachments weigh more than 120 MB in all: Chorus Pro will refuse them.")

    @api.depends(
        "state",
        "move_type",
        "name",
        "partner_id",
        "buyer_reference",
        "purchase_order_reference",
        "contract_reference",
        "chorus_payment_mode",
        "partner_bank_id",
        "invoice_date_due",
        "currency_id",
        "chorus_attachment_ids",
        "invoice_line_ids",
        "chorus_billing_framework",
        "chorus_validator_id",
    )
    def _compute_chorus_preflight_message(self):
        for move in self:
            if move.move_type not in CUSTOMER_MOVE_TYPES or not move.chorus_is_public_buyer:
                move.chorus_preflight_message = False
                continue
            # A draft is expected to be unposted; the banner is about data to fix.
            # Computed at every display of the form: the XML checks run when the invoice is checked before sending.
            problems = move._chorus_preflight_problems(with_facturx=False)
            messages = [message for code, message in problems if code != "not_posted"]
            move.chorus_preflight_message = "\n".join(messages) or False
