"""Subcontractors (A9) and co-contractors (A12): submitted with their validator, followed through its circuit.

Over real HTTP on the sandbox in its default step mode, as the platform's timing goes: an invoice moves
on as it is read (DEPOSEE, then to its validator), the validator answers when the test plays it
(``control.validate_invoice``, as ``python3 -m chorus_core.sandbox.validator`` does), the buyer when the
test plays the buyer.
"""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..chorus_core import flux_states
from ..chorus_core.sandbox import fixtures
from .facturx_common import ChorusFacturxCommon
from .sandbox_common import ChorusSandboxCommon, attach_printed_facturx

SUBMIT = "factures/v1/soumettre"
UPLOAD = "transverses/v1/ajouter/fichier"
DEPOSIT = "factures/v1/deposer/flux"


@tagged("post_install", "-at_install")
class TestChorusValidator(ChorusSandboxCommon, ChorusFacturxCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_general = cls.env["chorus.service"].create(
            {"partner_id": cls.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )

        def company(name, siret):
            return cls.env["res.partner"].create({"name": name, "is_company": True, "siret": siret})

        cls.main_contractor = company("Entreprise Générale Bâtiment", fixtures.MAIN_CONTRACTOR_SIRET)
        cls.representative = company("Mandataire du groupement", fixtures.REPRESENTATIVE_SIRET)
        cls.closed_contractor = company("Ancien entrepreneur", fixtures.CLOSED_CONTRACTOR_SIRET)

    def subcontractor_invoice(self, framework="A9", **values):
        values.setdefault("chorus_validator_id", self.main_contractor.id)
        invoice = self._chorus_invoice(
            chorus_service_id=self.service_general.id, chorus_billing_framework=framework, **values
        )
        attach_printed_facturx(invoice)
        return invoice

    def sync_until(self, invoice, status):
        """Synchronise as the scheduled job does until the invoice shows ``status`` (the platform moves it on)."""
        for _run in range(5):
            self.run_sync()
            if invoice.chorus_status == status:
                return
        self.fail(f"{invoice.name} never reached {status}: {invoice.chorus_status}")

    def validator_decides(self, invoice, decision, reason=None):
        self.sandbox.control.validate_invoice(int(invoice.chorus_identifier), decision, reason)

    def history(self, invoice):
        return invoice.chorus_status_history_ids.sorted(lambda line: (line.date, int(line.chorus_id))).mapped("status")

    def calls(self, service):
        return self.api_calls().get(service, 0)

    def test_a9_invoice_from_the_preflight_to_its_validator_then_the_buyer_and_paid(self):
        invoice = self.subcontractor_invoice(chorus_validator_id=False)
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual(result["result"], "not_ready")
        self.assertIn("choose the validator", result["message"])
        # A validator Chorus Pro knows only as closed is refused before anything is stored on Chorus Pro.
        invoice.chorus_validator_id = self.closed_contractor
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual((result["result"], invoice.chorus_send_state), ("not_ready", "to_send"))
        self.assertIn("no active structure with the SIRET 33018729001001", result["message"])
        self.assertEqual((self.calls(UPLOAD), self.calls(SUBMIT)), (0, 0))

        invoice.chorus_validator_id = self.main_contractor
        invoice.chorus_validator_service = "SERVICE_TRAVAUX"
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual((result["result"], invoice.chorus_send_state), ("sent", "sent"))
        self.assertEqual((self.calls(UPLOAD), self.calls(SUBMIT), self.calls(DEPOSIT)), (1, 1, 0))
        submitted = self.sandbox.control.invoices()[-1]
        self.assertEqual(invoice.chorus_identifier, str(submitted["identifiantFactureCPP"]))
        self.assertEqual(
            (submitted["numeroFacture"], submitted["cadreFacturation"], submitted["valideur"]),
            (invoice.name, "A9", fixtures.MAIN_CONTRACTOR_SIRET),
        )
        # Odoo's own figures: the totals the invoice shows.
        self.assertEqual(
            (submitted["montantHT"], submitted["montantTTC"]), (invoice.amount_untaxed, invoice.amount_total)
        )
        self.assertEqual(invoice.chorus_deposit_fingerprint, submitted["empreinteCertificatDepot"])
        self.assertTrue(invoice.chorus_submitted_attachment_id.raw.startswith(b"%PDF"))
        self.assertIn('"statutFacture": "DEPOSEE"', invoice.chorus_submission_answer)
        self.assertIn(submitted["empreinteCertificatDepot"], invoice.message_ids[0].body)
        self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "already_sent")

        self.sync_until(invoice, "A_VALIDER_1")
        self.assertIn("waits for its validator", invoice.with_context(lang="en_US").chorus_status_advice)
        self.validator_decides(invoice, "accept")
        self.sync_until(invoice, "MISE_A_DISPOSITION")
        self.sandbox.control.set_invoice_status(int(invoice.chorus_identifier), "MISE_EN_PAIEMENT")
        self.sync_until(invoice, "MISE_EN_PAIEMENT")
        self.assertEqual(
            self.history(invoice), ["DEPOSEE", "A_VALIDER_1", "VALIDEE_1", "MISE_A_DISPOSITION", "MISE_EN_PAIEMENT"]
        )
        self.assertTrue(invoice.chorus_status_final)
        self.assertEqual(invoice.chorus_status_kind, "paid")
        self.assertEqual(self.calls(SUBMIT), 1)

    def test_an_invoice_whose_deposit_was_refused_then_submitted_is_not_submitted_twice(self):
        # First deposited as a plain supplier's invoice and refused (as _chorus_refuse leaves it), then
        # recognised as a subcontractor's and submitted: the refused deposit no longer says what Chorus Pro holds.
        invoice = self.subcontractor_invoice()
        invoice._chorus_record_flux("CPP0011117000000000000999", None, state=flux_states.REJECTED)
        invoice.chorus_send_state = "error"
        self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "sent")
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual(result["result"], "already_sent")
        self.assertIn(invoice.chorus_identifier, result["message"])
        self.assertEqual(self.calls(SUBMIT), 1)
        self.assertEqual(len(invoice.chorus_flux_ids), 1, "the refused deposit stays in the invoice's deposits")

    def test_a_refusal_by_the_validator_is_told_like_a_rejection_then_a_corrected_invoice_is_sent(self):
        invoice = self.subcontractor_invoice()
        self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "sent")
        self.sync_until(invoice, "A_VALIDER_1")
        self.validator_decides(invoice, "refuse", "Travaux non réceptionnés")
        self.sync_until(invoice, "REFUSEE_1")
        self.assertEqual((invoice.chorus_status_kind, invoice.chorus_status_final), ("rejected", True))
        self.assertEqual(invoice.chorus_status_reason, "Travaux non réceptionnés")
        self.assertIn("refused this invoice on Chorus Pro: Travaux non réceptionnés", invoice.message_ids[0].body)
        self.assertEqual(invoice.activity_ids.summary, "Invoice refused by its validator")
        # A refusal is final: the invoice is not sent again; a credit note cancels it and a new invoice follows.
        self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "already_sent")
        reversal = self.env["account.move.reversal"].with_context(active_model="account.move", active_ids=invoice.ids)
        reversal.create({"journal_id": invoice.journal_id.id, "reason": "Refus du valideur"}).refund_moves()
        corrected = self.subcontractor_invoice(
            invoice_line_ids=[Command.create({"product_id": self.product_a.id, "price_unit": 800.0})]
        )
        self.assertEqual(corrected.chorus_send()[corrected.id]["result"], "sent")
        self.sync_until(corrected, "A_VALIDER_1")
        self.validator_decides(corrected, "accept")
        self.sync_until(corrected, "MISE_A_DISPOSITION")
        self.assertEqual(invoice.chorus_status, "REFUSEE_1")
        self.assertEqual(self.calls(SUBMIT), 2)

    def test_a12_with_a_wrong_validator_is_corrected_from_odoo(self):
        invoice = self.subcontractor_invoice(framework="A12")
        self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "sent")
        with self.assertRaisesRegex(UserError, "nothing to correct"):
            invoice.action_chorus_correct_validator()
        self.sync_until(invoice, "A_VALIDER_1")
        self.validator_decides(invoice, "wrong", "Nous ne sommes pas mandataires de ce groupement")
        self.sync_until(invoice, "ERREUR_COTRAITANT_SUR_VALIDEUR")
        self.assertEqual(invoice.chorus_status_kind, "to_act")
        self.assertEqual(invoice.activity_ids.summary, "Correct the invoice's validator")
        self.assertIn("Correct the validator", invoice.with_context(lang="en_US").chorus_status_advice)
        invoice.chorus_validator_id = self.representative
        invoice.action_chorus_correct_validator()
        self.assertEqual(invoice.chorus_status, "A_VALIDER_1")
        self.assertEqual(self.sandbox.control.invoices()[-1]["valideur"], fixtures.REPRESENTATIVE_SIRET)
        self.assertIn("Validator corrected on Chorus Pro", " ".join(invoice.message_ids.mapped("body")))
        self.validator_decides(invoice, "accept")
        self.sync_until(invoice, "MISE_A_DISPOSITION")
        self.assertEqual(self.api_calls()["factures/v1/corriger/valideur/facture"], 1)
        self.assertEqual(self.calls(SUBMIT), 1)

    def test_a_lost_soumettre_answer_never_submits_twice(self):
        invoice = self.subcontractor_invoice()
        # Chorus Pro takes the submission, its answer never reaches Odoo.
        self.sandbox.control.set_fault(accept_then_504=1, target="/cpro/factures/v1/soumettre")
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual((result["result"], invoice.chorus_send_state), ("awaiting", "awaiting"))
        self.assertFalse(invoice.chorus_identifier)
        self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "awaiting")
        self.assertFalse(self.env["account.move.send"]._is_applicable_to_move("chorus_pro", invoice))
        self.assertEqual(self.calls(SUBMIT), 1)
        # The synchronisation finds it by its number and links it: no second submission.
        self.run_sync()
        submitted = self.sandbox.control.invoices()[-1]
        self.assertEqual(
            (invoice.chorus_send_state, invoice.chorus_identifier), ("sent", str(submitted["identifiantFactureCPP"]))
        )
        self.assertIn("had already received this invoice", " ".join(invoice.message_ids.mapped("body")))
        self.sync_until(invoice, "A_VALIDER_1")
        self.assertEqual(self.calls(SUBMIT), 1)

    def test_send_and_print_submits_it_with_its_validator_too(self):
        invoice = self.subcontractor_invoice()
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        self.assertEqual(wizard.sending_methods, ["chorus_pro"])
        self.assertFalse(wizard.alerts)
        wizard.action_send_and_print()
        self.assertEqual((invoice.chorus_send_state, self.calls(SUBMIT), self.calls(DEPOSIT)), ("sent", 1, 0))
        self.assertEqual(self.sandbox.control.invoices()[-1]["valideur"], fixtures.MAIN_CONTRACTOR_SIRET)
        self.assertTrue(invoice.chorus_deposit_fingerprint)
