"""Send & Print: our Factur-X in the invoice PDF, and the "by Chorus Pro" sending method.

The method plugs in as Peppol's does (``account_peppol/models/account_move_send.py``): alerts
from the pre-flight, the deposit after the PDFs are rendered (one report call for a batch, even
where wkhtmltopdf prints one document per run), and the same exactly-once deposit
(``account.move._chorus_deposit_once``) as ``chorus_send()``.
"""

import logging

from odoo import _, api, models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from ..chorus_core import report_batch
from ..chorus_core.errors import ChorusConfigError
from ..chorus_core.facturx.pdf import extract_facturx_xml
from .account_move_chorus_send import CHORUS_SEND_CLIENT_OPTIONS, SENDER_GROUP, chorus_result
from .account_move_preflight import CUSTOMER_MOVE_TYPES
from .ir_actions_report import ONE_DOCUMENT_BATCH, ReportBatchNotSplittable

_logger = logging.getLogger(__name__)

CHORUS_BUILDER = "account.edi.xml.cii.chorus"
CHORUS_METHOD = "chorus_pro"


def _wkhtmltopdf_prints_several_documents():
    try:
        binary = _get_wkhtmltopdf_bin()
    except OSError:
        return True  # no binary: Odoo's own rendering says so
    return report_batch.binary_prints_several_documents(binary)


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    # -- our Factur-X in the PDF ----------------------------------------------------------------

    @api.model
    def _prepare_invoice_pdf_report(self, invoices_data):
        """A batch of Chorus invoices in one report call, also where wkhtmltopdf prints one document per run.

        There Odoo cannot split a batch: it is printed as one document (``ir_actions_report.py``),
        and invoice by invoice when some invoice takes more than a page.
        """
        if (
            len(invoices_data) < 2
            or _wkhtmltopdf_prints_several_documents()
            or not all(CHORUS_METHOD in data.get("sending_methods", ()) for data in invoices_data.values())
        ):
            return super()._prepare_invoice_pdf_report(invoices_data)
        one_document = self.with_context(**{ONE_DOCUMENT_BATCH: True})
        try:
            return super(AccountMoveSend, one_document)._prepare_invoice_pdf_report(invoices_data)
        except ReportBatchNotSplittable:
            _logger.info("%s invoices printed one by one: one of them takes more than a page", len(invoices_data))
        for invoice, invoice_data in invoices_data.items():
            super()._prepare_invoice_pdf_report({invoice: invoice_data})

    @api.model
    def _hook_invoice_document_after_pdf_report_render(self, invoice, invoice_data):
        """The PDF of a Chorus invoice becomes our Factur-X PDF/A-3, after Odoo's own processing.

        Odoo embeds a ``factur-x.xml`` in every invoice PDF here: ours when our builder made the
        invoice's XML (a Chorus buyer in Factur-X), else its own. Our embedding rebuilds the
        attached files from scratch, so the PDF ends with one ``factur-x.xml``, ours, and the
        Chorus attachments, with the Factur-X PDF/A-3 metadata.
        """
        super()._hook_invoice_document_after_pdf_report_render(invoice, invoice_data)
        if not invoice._chorus_facturx_in_report():
            return
        pdf_values = (
            (not self.env.context.get("custom_template_facturx") and invoice.invoice_pdf_report_id)
            or invoice_data.get("pdf_attachment_values")
            or invoice_data.get("proforma_pdf_attachment_values")
        )
        # In tests the report renders as HTML unless real PDFs are asked for.
        if not pdf_values or not pdf_values["raw"].startswith(b"%PDF"):
            return
        options = invoice_data.get("ubl_cii_xml_options") or {}
        xml = None
        if options.get("builder") is not None and options["builder"]._name == CHORUS_BUILDER:
            xml = invoice_data["ubl_cii_xml_attachment_values"]["raw"]
        pdf_values["raw"] = invoice._chorus_facturx_embed(pdf_values["raw"], xml)

    # -- the "by Chorus Pro" sending method -----------------------------------------------------

    @api.model
    def _get_default_sending_method(self, move):
        method = super()._get_default_sending_method(move)
        partner = move.partner_id.with_company(move.company_id)
        if not partner.invoice_sending_method and move.commercial_partner_id.chorus_is_public_buyer:
            return CHORUS_METHOD
        return method

    @api.model
    def _is_applicable_to_company(self, method, company):
        if method == CHORUS_METHOD:
            return company.country_code == "FR"
        return super()._is_applicable_to_company(method, company)

    @api.model
    def _is_applicable_to_move(self, method, move, **move_data):
        if method == CHORUS_METHOD:
            return (
                self._is_applicable_to_company(method, move.company_id)
                and move.state == "posted"
                and move.move_type in CUSTOMER_MOVE_TYPES
                and move.commercial_partner_id.chorus_is_public_buyer
                and move._chorus_can_deposit()
            )
        return super()._is_applicable_to_move(method, move, **move_data)

    @api.model
    def _get_alerts(self, moves, moves_data):
        alerts = super()._get_alerts(moves, moves_data)
        chorus_moves = moves.filtered(lambda move: CHORUS_METHOD in moves_data[move]["sending_methods"])
        if not chorus_moves:
            return alerts
        if not self.env.su and not self.env.user.has_group(SENDER_GROUP):
            alerts["l10n_fr_chorus_pro_not_sender"] = {
                "level": "danger",
                "message": _("Only members of the group 'Chorus Pro / Send invoices' can send invoices to Chorus Pro."),
            }
            return alerts
        to_deposit = chorus_moves.filtered(lambda move: self._is_applicable_to_move(CHORUS_METHOD, move))
        expired = [reason for company in to_deposit.company_id if (reason := company._chorus_check_password_valid())]
        if expired:
            alerts["l10n_fr_chorus_pro_password_expired"] = {"level": "danger", "message": "\n".join(expired)}
            return alerts
        # One invoice gets the whole pre-flight; a batch the quick checks (its Factur-X is checked when sent).
        with_facturx = len(chorus_moves) == 1
        lines = []
        not_ready = moves.browse()
        for move in chorus_moves.filtered(lambda m: self._is_applicable_to_move(CHORUS_METHOD, m)):
            problems = [message for _code, message in move._chorus_preflight_problems(with_facturx=with_facturx)]
            if problems:
                not_ready |= move
                lines += [
                    self.env._("%(invoice)s: %(problem)s", invoice=move.name, problem=problem) for problem in problems
                ]
        if lines:
            alerts["l10n_fr_chorus_pro_not_ready"] = {
                "level": "danger",
                "message": "\n".join([_("Not ready for Chorus Pro:"), *lines]),
                "action_text": _("View Invoice(s)"),
                "action": not_ready._get_records_action(name=_("Invoices not ready for Chorus Pro")),
            }
        return alerts

    @api.model
    def _hook_invoice_document_before_pdf_report_render(self, invoice, invoice_data):
        # Every deposit passes here (chorus_send() too, through _chorus_send_ready), before any PDF is made.
        super()._hook_invoice_document_before_pdf_report_render(invoice, invoice_data)
        if (
            invoice_data.get("error")
            or CHORUS_METHOD not in invoice_data["sending_methods"]
            or not self._is_applicable_to_move(CHORUS_METHOD, invoice, **invoice_data)
        ):
            return
        if expired := invoice.company_id._chorus_check_password_valid():
            invoice_data["error"] = expired

    @api.model
    def _hook_if_errors(self, moves_data, allow_raising=True):
        # As Peppol: the state says something went wrong; a "sending" stays so that it is reconciled.
        failed = self.env["account.move"]
        for move, move_data in moves_data.items():
            if CHORUS_METHOD in move_data["sending_methods"] and move_data.get("blocking_error"):
                failed |= move
        failed.filtered(lambda move: move.chorus_send_state in ("to_send", "error", False)).write(
            {"chorus_send_state": "error"}
        )
        return super()._hook_if_errors(moves_data, allow_raising=allow_raising)

    @api.model
    def _call_web_service_after_invoice_pdf_render(self, invoices_data):
        result = super()._call_web_service_after_invoice_pdf_render(invoices_data)
        to_send = {
            invoice: invoice_data
            for invoice, invoice_data in invoices_data.items()
            if CHORUS_METHOD in invoice_data["sending_methods"]
            and self._is_applicable_to_move(CHORUS_METHOD, invoice, **invoice_data)
        }
        for company, invoices in self.env["account.move"].concat(*to_send).grouped("company_id").items():
            self._chorus_deposit_company({invoice: to_send[invoice] for invoice in invoices}, company)
        return result

    @api.model
    def _chorus_deposit_company(self, invoices_data, company):
        """Deposit each invoice of one company with one client; results and errors go into its data."""
        try:
            client = company._chorus_client(**CHORUS_SEND_CLIENT_OPTIONS)
        except ChorusConfigError as error:
            message = company._chorus_error_message(error)
            for invoice_data in invoices_data.values():
                invoice_data["chorus_result"] = chorus_result("failed", message)
                invoice_data["error"] = message
            return
        with client:
            for invoice, invoice_data in invoices_data.items():
                result = self._chorus_deposit_invoice(client, invoice, invoice_data)
                invoice_data["chorus_result"] = result
                if result["result"] != "sent":
                    invoice_data["error"] = result["message"]

    @api.model
    def _chorus_deposit_invoice(self, client, invoice, invoice_data):
        if not invoice_data.get("chorus_preflight_done"):
            problems = invoice._chorus_preflight_messages()
            if problems:
                return chorus_result("not_ready", "\n".join([_("Not ready for Chorus Pro:"), *problems]))
        pdf = self._chorus_facturx_pdf(invoice, invoice_data)
        if not pdf:
            return chorus_result("failed", _("The PDF of %(invoice)s could not be made.", invoice=invoice.name))
        return invoice._chorus_deposit_once(client, pdf)

    @api.model
    def _chorus_facturx_pdf(self, invoice, invoice_data):
        """The Factur-X PDF to deposit: the one just rendered, or the invoice's PDF if it holds today's XML."""
        if values := invoice_data.get("pdf_attachment_values"):
            pdf = values["raw"]
        else:
            pdf = invoice.invoice_pdf_report_id.raw or b""
            xml = (invoice_data.get("ubl_cii_xml_attachment_values") or {}).get("raw") or invoice.chorus_facturx_xml()
            # Printed before a correction (a refused deposit) or before Chorus Pro: made again.
            if not pdf.startswith(b"%PDF") or extract_facturx_xml(pdf) != xml:
                pdf = invoice.chorus_facturx_pdf()
        return pdf if pdf.startswith(b"%PDF") else None

    @api.model
    def _chorus_send_ready(self, moves):
        """Deposit invoices that passed the pre-flight through Send & Print's document generation.

        Their missing PDFs are rendered in one report call per batch, then each is deposited; the
        PDF is kept as the invoice's PDF as Send & Print does. Returns ``{move_id: chorus_result}``.
        """
        moves_data = {
            move.sudo(): {
                **self._get_default_sending_settings(move, sending_methods={CHORUS_METHOD}),
                "chorus_preflight_done": True,
            }
            for move in moves
        }
        self._generate_invoice_documents(moves_data)
        results = {}
        for move, move_data in moves_data.items():
            result = move_data.get("chorus_result")
            if result is None:
                # Stopped before the deposit (the XML or the PDF could not be made).
                result = chorus_result("failed", self._format_error_text(move_data.get("error") or ""))
            results[move.id] = result
        return results
