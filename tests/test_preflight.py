import base64

from odoo import Command
from odoo.tests import Form, tagged

from .common import ChorusCommon


@tagged("post_install", "-at_install")
class TestChorusPreflight(ChorusCommon):
    def test_ready_invoice_has_no_problem(self):
        invoice = self._chorus_invoice()
        self.assertEqual(invoice.chorus_preflight(), [])
        self.assertFalse(invoice.chorus_preflight_message)

    def test_draft_invoice_must_be_posted(self):
        invoice = self._chorus_invoice(post=False)
        self.assertProblem(invoice, "not_posted")
        # The banner speaks of data to fix, not of the draft state.
        self.assertFalse(invoice.chorus_preflight_message)

    def test_vendor_bill_is_refused(self):
        bill = self._chorus_invoice(move_type="in_invoice", partner_bank_id=False)
        self.assertProblem(bill, "not_customer_invoice")

    def test_buyer_not_flagged_as_chorus_buyer(self):
        self.buyer.chorus_is_public_buyer = False
        self.assertProblem(self._chorus_invoice(), "buyer_not_chorus")

    def test_buyer_without_siret(self):
        self.buyer.siret = False
        invoice = self._chorus_invoice()
        self.assertProblem(invoice, "buyer_siret")
        self.assertIn("SIRET", invoice.chorus_preflight_message)

    def test_company_without_valid_siret(self):
        self.company.siret = "73282932000075"
        self.assertProblem(self._chorus_invoice(), "company_siret")

    def test_engagement_required_by_buyer(self):
        self.buyer.chorus_requirement = "engagement"
        self.assertProblem(self._chorus_invoice(purchase_order_reference=False), "engagement_missing")
        self.assertNoProblem(self._chorus_invoice(), "engagement_missing")

    def test_engagement_required_by_both_requirement(self):
        self.buyer.chorus_requirement = "service_and_engagement"
        invoice = self._chorus_invoice(purchase_order_reference=False, chorus_service_id=False)
        self.assertProblem(invoice, "engagement_missing")
        self.assertProblem(invoice, "service_missing")

    def test_engagement_required_by_service(self):
        invoice = self._chorus_invoice(chorus_service_id=self.service_works.id, purchase_order_reference=False)
        self.assertProblem(invoice, "engagement_missing_for_service")
        self.assertNoProblem(self._chorus_invoice(purchase_order_reference=False), "engagement_missing_for_service")

    def test_service_or_engagement_required(self):
        self.buyer.chorus_requirement = "service_or_engagement"
        neither = self._chorus_invoice(chorus_service_id=False, purchase_order_reference=False)
        self.assertProblem(neither, "service_or_engagement_missing")
        self.assertEqual(self._chorus_invoice(chorus_service_id=False).chorus_preflight(), [])
        self.assertEqual(self._chorus_invoice(purchase_order_reference=False).chorus_preflight(), [])

    def test_engagement_longer_than_50_characters(self):
        self.assertProblem(self._chorus_invoice(purchase_order_reference="E" * 51), "engagement_too_long")
        self.assertNoProblem(self._chorus_invoice(purchase_order_reference="E" * 50), "engagement_too_long")

    def test_service_code_required_by_buyer(self):
        self.buyer.chorus_requirement = "service"
        self.assertProblem(self._chorus_invoice(chorus_service_id=False), "service_missing")

    def test_unknown_service_code(self):
        invoice = self._chorus_invoice(chorus_service_id=False, buyer_reference="INCONNU")
        self.assertProblem(invoice, "service_unknown")
        self.assertIn("INCONNU", "\n".join(invoice.chorus_preflight()))

    def test_inactive_service_code(self):
        invoice = self._chorus_invoice(chorus_service_id=False, buyer_reference="ANCIEN")
        self.assertProblem(invoice, "service_inactive")

    def test_reserved_public_service_is_unknown_to_suppliers(self):
        self.env["chorus.service"].create({"partner_id": self.buyer.id, "code": "FACTURES_PUBLIQUES"})
        invoice = self._chorus_invoice(chorus_service_id=False, buyer_reference="FACTURES_PUBLIQUES")
        self.assertProblem(invoice, "service_unknown")

    def test_choosing_a_service_sets_the_service_code(self):
        invoice = self._chorus_invoice(post=False)
        self.assertEqual(invoice.buyer_reference, "FINANCES")
        invoice.chorus_service_id = self.service_works
        self.assertEqual(invoice.buyer_reference, "TRAVAUX")

    def test_invoice_number_too_long(self):
        invoice = self._chorus_invoice()
        invoice.name = "FAC/2026/" + "1" * 12
        self.assertProblem(invoice, "number_too_long")

    def test_invoice_number_with_refused_characters(self):
        invoice = self._chorus_invoice()
        self.assertNoProblem(invoice, "number_characters")
        invoice.name = "FAC 2026#1"
        self.assertProblem(invoice, "number_characters")

    def test_invoice_without_line(self):
        invoice = self._chorus_invoice(post=False, invoice_line_ids=[])
        self.assertProblem(invoice, "no_line")

    def test_invoice_without_due_date(self):
        invoice = self._chorus_invoice()
        invoice.invoice_date_due = False
        self.assertProblem(invoice, "no_due_date")

    def test_currency_other_than_euro(self):
        usd = self.setup_other_currency("USD")
        invoice = self._chorus_invoice(currency_id=usd.id)
        self.assertProblem(invoice, "currency")

    def test_credit_note_without_origin(self):
        refund = self._chorus_invoice(move_type="out_refund")
        self.assertProblem(refund, "refund_without_origin")

    def test_credit_note_from_reversal_has_its_origin(self):
        invoice = self._chorus_invoice()
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Erreur"})
        )
        refund = self.env["account.move"].browse(wizard.reverse_moves()["res_id"])
        refund.action_post()
        self.assertEqual(refund.chorus_preflight(), [])

    def test_transfer_without_company_iban(self):
        invoice = self._chorus_invoice(partner_bank_id=False)
        self.assertProblem(invoice, "no_iban")
        self.assertNoProblem(self._chorus_invoice(partner_bank_id=False, chorus_payment_mode="cheque"), "no_iban")

    def _attachment(self, name, size):
        return self.env["ir.attachment"].create({"name": name, "raw": b"x" * size})

    def test_attachment_limits_per_file(self):
        invoice = self._chorus_invoice()
        invoice.chorus_attachment_ids = [
            Command.set(
                (
                    self._attachment("bordereau.pdf", 2048)
                    | self._attachment("vide.pdf", 0)
                    | self._attachment("plan.pdf", 10 * 1024 * 1024)
                    | self._attachment("n" * 47 + ".pdf", 10)
                    | self._attachment("macro.exe", 10)
                ).ids
            )
        ]
        codes = [code for code, _message in invoice._chorus_preflight_problems()]
        self.assertEqual(
            sorted(codes),
            ["attachment_bad_extension", "attachment_empty", "attachment_name_too_long", "attachment_too_big"],
        )
        self.assertIn("macro.exe", "\n".join(invoice.chorus_preflight()))

    def test_attachments_total_over_120_mb(self):
        invoice = self._chorus_invoice()
        chunk = base64.b64encode(b"x" * (9 * 1024 * 1024 + 512 * 1024))
        attachments = self.env["ir.attachment"].create([{"name": f"annexe{i}.pdf", "datas": chunk} for i in range(13)])
        invoice.chorus_attachment_ids = [Command.set(attachments.ids)]
        self.assertProblem(invoice, "attachment_total_too_big")
        self.assertNoProblem(invoice, "attachment_too_big")

    def test_banner_lists_problems_while_editing(self):
        self.buyer.chorus_requirement = "engagement"
        with Form(self.env["account.move"].with_context(default_move_type="out_invoice")) as move_form:
            move_form.partner_id = self.buyer
            with move_form.invoice_line_ids.new() as line:
                line.product_id = self.product_a
            self.assertIn("engagement number", move_form.chorus_preflight_message)
            move_form.purchase_order_reference = "EJ-1"
            self.assertNotIn("engagement number", move_form.chorus_preflight_message or "")

    def test_problems_are_told_in_french_to_french_users(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["l10n_fr_chorus_pro"], ["fr_FR"], overwrite=True)
        self.buyer.chorus_requirement = "engagement"
        invoice = self._chorus_invoice(purchase_order_reference=False).with_context(lang="fr_FR")
        self.assertIn("exige un numéro d'engagement", "\n".join(invoice.chorus_preflight()))
