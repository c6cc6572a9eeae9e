"""Subcontractor (A9) and co-contractor (A12) invoices: their validator, their submission, its correction.

Such an invoice goes to a validator (the main contractor, or the group's representative) before the
buyer sees it. A Factur-X deposit cannot name that validator: the invoice is submitted with
``factures/v1/soumettre`` instead (``chorus_core/submission.py``), its printed PDF uploaded first.
It is reached through the same exactly-once deposit as the Factur-X (``_chorus_deposit_locked``):
the state ``sending`` is committed before the submission, and a lost answer leaves the invoice
awaiting confirmation until the synchronisation finds it by its number (never submitted twice).
"""

import json
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..chorus_core import invoice_statuses, submission
from ..chorus_core.errors import ChorusError
from ..chorus_core.limits import ATTACHMENT_NAME_MAX
from ..chorus_core.siret import normalize
from .account_move_chorus_send import CHORUS_SEND_CLIENT_OPTIONS, chorus_result
from .chorus_batch import commit_if_allowed

_logger = logging.getLogger(__name__)

PDF_MIME_TYPE = "application/pdf"


class AccountMove(models.Model):
    _inherit = "account.move"

    chorus_validator_id = fields.Many2one(
        "res.partner",
        string="Validator",
        copy=True,
        help="For a subcontractor (A9) or co-contractor (A12) invoice: the main contractor, or the group's "
        "representative, who validates the invoice on Chorus Pro before the buyer receives it (its SIRET).",
    )
    chorus_validator_service = fields.Char(
        string="Validator's Service Code",
        copy=True,
        help="The validator's Chorus Pro service that validates the invoice, when it has one.",
    )
    chorus_deposit_fingerprint = fields.Char(
        string="Deposit Certificate Fingerprint",
        copy=False,
        readonly=True,
        help="'empreinteCertificatDepot': the fingerprint of Chorus Pro's deposit certificate of this submission.",
    )
    chorus_submission_answer = fields.Text(
        string="Chorus Pro Submission Answer",
        copy=False,
        readonly=True,
        help="What Chorus Pro answered the submission.",
    )
    chorus_submitted_attachment_id = fields.Many2one(
        "ir.attachment", string="PDF Submitted", copy=False, readonly=True, ondelete="restrict"
    )
    chorus_status_advice = fields.Char(
        string="What To Do", compute="_compute_chorus_status_advice", help="What the Chorus Pro status asks of you."
    )

    @api.depends("chorus_status")
    @api.depends_context("lang")
    def _compute_chorus_status_advice(self):
        for move in self:
            move.chorus_status_advice = invoice_statuses.advice(move.chorus_status, self.env.lang) or False

    def _chorus_validator(self):
        """The company that validates: the validator chosen, or the company of the contact chosen."""
        self.ensure_one()
        return self.chorus_validator_id.commercial_partner_id

    def _chorus_goes_to_a_validator(self):
        """Sent through ``soumettre``: a subcontractor's or co-contractor's invoice, to its validator first."""
        self.ensure_one()
        return self.chorus_billing_framework in submission.VALIDATED_FRAMEWORKS

    # -- the submission -----------------------------------------------------------------------

    def _chorus_submit_locked(self, client, pdf):
        """Submit this invoice (row locked, neither sent nor maybe on its way): look up, upload, submit, record.

        What Chorus Pro must know first (the supplier's structure and bank details, the validator) is
        looked up before anything is stored there; nothing failed before ``soumettre`` reached Chorus Pro.
        """
        try:
            ids, problem = self._chorus_submission_ids(client)
            if problem:
                return chorus_result("not_ready", problem)
            file_name = self._chorus_submission_file_name()
            attachment_id = client.add_attachment(pdf, file_name, PDF_MIME_TYPE)
        except ChorusError as error:
            # Only looked up and uploaded: the invoice was not submitted, it may be sent again as it is.
            return self._chorus_not_submitted(error)
        body = submission.submit_body(
            self._chorus_facturx_invoice(),
            attachment_id=attachment_id,
            validator_siret=normalize(self._chorus_validator().siret),
            validator_service=self.chorus_validator_service or "",
            **ids,
        )
        self.write({"chorus_send_state": "sending", "chorus_send_attempt_date": fields.Datetime.now()})
        commit_if_allowed(self.env)
        try:
            answer = client.submit_invoice(body)
        except ChorusError as error:
            return self._chorus_deposit_failed(error)
        self._chorus_record_submission(answer, file_name, pdf)
        commit_if_allowed(self.env)
        return chorus_result(
            "sent",
            _(
                "Submitted to Chorus Pro (invoice %(identifier)s), for validation by %(validator)s.",
                identifier=answer["identifiantFactureCPP"],
                validator=self._chorus_validator().display_name,
            ),
        )

    def _chorus_submission_file_name(self):
        name = self._chorus_facturx_file_name()
        stem = name.removesuffix(".pdf")[: ATTACHMENT_NAME_MAX - len(".pdf")]
        return f"{stem}.pdf"

    def _chorus_submission_ids(self, client):
        """``({supplier_id, bank_id}, None)`` as ``soumettre`` needs them, or ``(None, problem)`` in plain words.

        The supplier's ``idStructureCPP`` among the structures the technical account invoices for
        (recupererStructuresActivesFournisseur), the ``idCoordonneeBancaire`` of its bank details on
        Chorus Pro for a transfer, and the validator, checked like a buyer: a structure Chorus Pro knows
        and that is active.
        """
        company = self.company_id
        try:
            own = client.own_structure_id(company.siret or "")
        except ChorusError as error:
            if error.kind != "own_structure_not_found":
                raise
            return None, company._chorus_error_message(error, siret=company.siret or "")
        bank_id = None
        if self.chorus_payment_mode == "transfer":
            bank_id, problem = self._chorus_bank_details_id(client.bank_accounts(own))
            if problem:
                return None, problem
        validator = self._chorus_validator()
        found = client.lookup_structure(normalize(validator.siret), private=True)
        if not found or not found["active"]:
            return None, _(
                "Chorus Pro knows no active structure with the SIRET %(siret)s of the validator %(validator)s: check "
                "the validator's SIRET (the main contractor, or the group's representative).",
                siret=validator.siret,
                validator=validator.display_name,
            )
        return {"supplier_id": own, "bank_id": bank_id}, None

    def _chorus_bank_details_id(self, accounts):
        """The ``idCoordonneeBancaire`` of the invoice's bank account among those Chorus Pro holds, or a problem.

        None: none at all, and Chorus Pro is left to apply its own (a production client submits transfers
        without them, docs/subcontractors.md). One account: that one. Several: the one whose IBAN (when
        Chorus Pro gives it) or name matches.
        """
        if not accounts:
            return None, None
        if len(accounts) == 1:
            return accounts[0]["idCoordonneeBancaire"], None
        bank = self.partner_bank_id
        wanted = {"".join((bank.acc_number or "").split()).upper(), (bank.acc_holder_name or "").upper()} - {""}
        for account in accounts:
            names = {
                "".join((account.get("iban") or "").split()).upper(),
                (account.get("nomCoordonneeBancaire") or "").upper(),
            }
            if wanted & names:
                return account["idCoordonneeBancaire"], None
        return None, _(
            "Your company has several bank details on Chorus Pro and none matches the invoice's bank account "
            "%(account)s: name the bank details on Chorus Pro after the IBAN, or keep one.",
            account=bank.display_name or "-",
        )

    def _chorus_not_submitted(self, error):
        self.chorus_send_state = "error"
        message = self.company_id._chorus_error_message(error)
        self.message_post(body=_("Not submitted to Chorus Pro: %(reason)s", reason=message))
        commit_if_allowed(self.env)
        _logger.info("Chorus submission of invoice %s not made (%s)", self.id, error.kind)
        return chorus_result("failed", message)

    def _chorus_record_submission(self, answer, file_name, pdf):
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {"name": file_name, "raw": pdf, "mimetype": PDF_MIME_TYPE, "res_model": self._name, "res_id": self.id}
            )
        )
        recorded = {key: value for key, value in answer.items() if key != "codeRetour"}
        self.write(
            {
                "chorus_send_state": "sent",
                # A refused deposit before it no longer says whether Chorus Pro holds the invoice (_chorus_is_sent).
                "chorus_flux_id": False,
                "chorus_identifier": str(answer["identifiantFactureCPP"]),
                # Its status is read with the next histories (at once by the Refresh button).
                "chorus_sync_pending": "due",
                "chorus_deposit_fingerprint": answer.get("empreinteCertificatDepot") or False,
                "chorus_submission_answer": json.dumps(recorded, ensure_ascii=False, indent=1),
                "chorus_submitted_attachment_id": attachment.id,
            }
        )
        self.message_post(
            body=_(
                "Submitted to Chorus Pro: invoice %(identifier)s, %(status)s. Chorus Pro sends it to the validator "
                "%(validator)s first, then to the buyer. Deposit certificate fingerprint: %(fingerprint)s.",
                identifier=answer["identifiantFactureCPP"],
                status=invoice_statuses.label(answer.get("statutFacture"), self.env.lang),
                validator=self._chorus_validator().display_name,
                fingerprint=answer.get("empreinteCertificatDepot") or "-",
            )
        )
        _logger.info("Invoice %s submitted as Chorus invoice %s", self.id, answer["identifiantFactureCPP"])

    # -- a wrong validator --------------------------------------------------------------------

    def action_chorus_correct_validator(self):
        """Name the validator now on the invoice on Chorus Pro, after its former one said it was not it."""
        self._chorus_check_caller()
        for move in self:
            if move.chorus_status not in invoice_statuses.WRONG_VALIDATOR_STATUSES:
                raise UserError(
                    _("%(invoice)s was not sent back for a wrong validator: nothing to correct.", invoice=move.name)
                )
            # The pre-flight's rules for a validator (chosen, a valid SIRET, not the buyer).
            problems = move._chorus_preflight_validator()
            if problems:
                raise UserError("\n".join(message for _code, message in problems))
            validator = move._chorus_validator()
            company = move.company_id
            try:
                with company._chorus_client(**CHORUS_SEND_CLIENT_OPTIONS) as client:
                    move._chorus_lock_for_refresh()
                    found = client.lookup_structure(normalize(validator.siret), private=True)
                    if not found or not found["active"]:
                        raise UserError(
                            _(
                                "Chorus Pro knows no active structure with the SIRET %(siret)s: check the validator's "
                                "SIRET.",
                                siret=validator.siret,
                            )
                        )
                    client.correct_validator(move.chorus_identifier, normalize(validator.siret))
                    move.message_post(
                        body=_(
                            "Validator corrected on Chorus Pro: the invoice goes to %(validator)s for validation.",
                            validator=validator.display_name,
                        )
                    )
                    # Chorus Pro has it: kept whatever happens next (its new status also comes with the next sync).
                    commit_if_allowed(self.env)
            except ChorusError as error:
                raise UserError(company._chorus_error_message(error)) from error
            try:
                with company._chorus_client(**CHORUS_SEND_CLIENT_OPTIONS) as client:
                    move._chorus_apply_history(company._chorus_invoice_history(client, move.chorus_identifier))
            except ChorusError as error:
                _logger.info(
                    "Chorus history of invoice %s not read after its validator's correction (%s)", move.id, error.kind
                )
        return True
