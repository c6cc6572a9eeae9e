from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..chorus_core import invoice_statuses
from .sandbox_common import ChorusSandboxCommon

COMPLETE = "factures/v1/completer"
RECYCLE = "factures/v1/recycler"
UPLOAD = "transverses/v1/ajouter/fichier"


@tagged("post_install", "-at_install")
class TestChorusAnswer(ChorusSandboxCommon):
    """Completing a suspended invoice and re-routing one to recycle, from Odoo, against the sandbox over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The sandbox's buyer 12345678200051 (cls.buyer) and three of its services.
        service = cls.env["chorus.service"]
        cls.service_general = service.create(
            {"partner_id": cls.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )
        cls.service_ej = service.create(
            {"partner_id": cls.buyer.id, "code": "SERVICE_EJ_OBL", "name": "Service EJ", "engagement_required": True}
        )
        cls.service_shut = service.create(
            {"partner_id": cls.buyer.id, "code": "SERVICE_FERME", "name": "Service fermé", "active": False}
        )
        cls.clerk = new_test_user(
            cls.env, login="chorus_answer_clerk", groups="account.group_account_invoice", company_id=cls.company.id
        )

    def setUp(self):
        super().setUp()
        # A re-routed invoice goes back to the buyer at once, as Chorus Pro does within minutes.
        self.sandbox.control.configure(flux_mode="immediate")

    def _invoice_on_chorus(self, status, motif=None, **values):
        """A posted invoice the sandbox holds in ``status``, as the status sync would have recorded it."""
        values.setdefault("chorus_service_id", self.service_general.id)
        invoice = self._chorus_invoice(**values)
        seeded = self.sandbox.control.seed_invoices(
            1,
            status,
            motif=motif,
            service=invoice.buyer_reference,
            engagement=invoice.purchase_order_reference or None,
        )
        invoice.write(
            {
                "chorus_identifier": str(seeded["identifiantsFactureCPP"][0]),
                "chorus_status": status,
                "chorus_status_reason": motif,
            }
        )
        self.sandbox.control.reset_stats()
        return invoice

    def _on_chorus(self, invoice):
        """What the sandbox holds for ``invoice``: its current status and details, read with the client."""
        with self.company._chorus_client() as client:
            history = client.invoice_history(invoice.chorus_identifier)
            details = client.invoice_details(invoice.chorus_identifier)["facture"]
        return history, details

    def _upload(self, name="rib.pdf", raw=b"%PDF-1.4 RIB du fournisseur"):
        """A file dropped in the wizard (many2many_binary uploads it before the wizard is saved)."""
        return self.env["ir.attachment"].create({"name": name, "raw": raw, "res_model": "chorus.complete.wizard"})

    def _last_message(self, invoice):
        return invoice.message_ids.filtered(lambda message: message.body)[:1]

    # -- complete ---------------------------------------------------------------------------------

    def test_suspended_invoice_completed_from_the_wizard_with_an_attachment(self):
        invoice = self._invoice_on_chorus("SUSPENDUE", motif="RIB manquant")
        action = invoice.action_chorus_complete()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.suspension_reason, "RIB manquant")
        rib = self._upload()
        wizard.write({"comment": "Voici le RIB demandé.", "attachment_ids": [Command.set(rib.ids)]})
        self.assertEqual(wizard.action_complete(), {"type": "ir.actions.act_window_close"})

        history, details = self._on_chorus(invoice)
        self.assertEqual(history["statutCourantCode"], invoice_statuses.COMPLETEE)
        latest = history["historiquesDesStatuts"]["histoStatut"][0]
        self.assertEqual(latest["histoStatutCommentaire"], "Voici le RIB demandé.")
        pieces = details["listeDesPiecesJointes"]["pieceJointe"]
        self.assertEqual([piece["pieceJointeDesignation"] for piece in pieces], ["rib.pdf"])
        (received,) = self.sandbox.control.attachments()
        self.assertEqual((received["pieceJointeNom"], received["taille"]), ("rib.pdf", len(rib.raw)))
        self.assertEqual(self.api_calls("factures/v1/completer"), {COMPLETE: 1})

        message = self._last_message(invoice)
        self.assertIn("Completed on Chorus Pro", message.body)
        self.assertIn("Voici le RIB demandé.", message.body)
        self.assertIn("rib.pdf", message.body)
        self.assertIn("next status update", message.body)
        self.assertEqual(message.attachment_ids, rib)
        # Posted files are not read as a new invoice to import.
        self.assertNotIn("not updated from the attachment", "".join(invoice.message_ids.mapped("body")))
        # The file now belongs to the invoice; the status itself comes with the next sync.
        self.assertEqual((rib.res_model, rib.res_id), ("account.move", invoice.id))
        self.assertEqual(invoice.chorus_status, "SUSPENDUE")

    def test_completion_input_is_checked_before_calling_chorus(self):
        invoice = self._invoice_on_chorus("SUSPENDUE", motif="Bon de livraison ?")
        with self.assertRaisesRegex(UserError, "Write a comment"):
            invoice.chorus_complete("   ")
        with self.assertRaisesRegex(UserError, "2001 characters; Chorus Pro accepts at most 2000"):
            invoice.chorus_complete("x" * 2001)
        with self.assertRaisesRegex(UserError, "file type Chorus Pro refuses"):
            invoice.chorus_complete("BL joint", self._upload("bl.exe", b"MZ"))
        with self.assertRaisesRegex(UserError, "is empty"):
            invoice.chorus_complete("BL joint", self._upload("bl.pdf", b""))
        self.assertEqual(self.api_calls("factures"), {})
        self.assertEqual(self.api_calls("transverses"), {})

    def test_only_a_suspended_invoice_can_be_completed(self):
        invoice = self._invoice_on_chorus("MISE_A_DISPOSITION")
        with self.assertRaisesRegex(UserError, "Only a suspended invoice can be completed"):
            invoice.chorus_complete("RIB joint")
        with self.assertRaisesRegex(UserError, "Only a suspended invoice can be completed"):
            invoice.action_chorus_complete()
        invoice.chorus_status = "SUSPENDUE"
        invoice.chorus_identifier = False
        with self.assertRaisesRegex(UserError, "no Chorus Pro invoice identifier yet"):
            invoice.chorus_complete("RIB joint")
        self.assertEqual(self.api_calls("factures"), {})

    def test_chorus_refusal_reads_as_a_clear_error(self):
        # Odoo still says suspended while the buyer has taken it back: Chorus Pro refuses, nothing is recorded.
        invoice = self._invoice_on_chorus("SUSPENDUE", motif="RIB manquant")
        self.sandbox.control.set_invoice_status(int(invoice.chorus_identifier), "MISE_A_DISPOSITION")
        messages = len(invoice.message_ids)
        with self.assertRaisesRegex(UserError, r"was not completed: Chorus Pro refused the request.*GDP_MSG_11.033"):
            invoice.chorus_complete("RIB joint")
        self.assertEqual(len(invoice.message_ids), messages)

    # -- re-route ---------------------------------------------------------------------------------

    def test_invoice_to_recycle_rerouted_from_the_wizard(self):
        invoice = self._invoice_on_chorus("A_RECYCLER", purchase_order_reference=False)
        action = invoice.action_chorus_recycle()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual((wizard.current_service_code, wizard.current_engagement), ("SERVICE_GENERAL", False))
        wizard.write({"service_id": self.service_ej.id, "engagement": " EJ-2026-0077 "})
        wizard.action_recycle()

        history, details = self._on_chorus(invoice)
        self.assertEqual(details["destinataire"]["codeServiceExecutant"], "SERVICE_EJ_OBL")
        self.assertEqual(details["references"]["numeroBonCommande"], "EJ-2026-0077")
        self.assertEqual(
            [entry["histoStatutCode"] for entry in history["historiquesDesStatuts"]["histoStatut"][:3]],
            ["MISE_A_DISPOSITION", "DEPOSEE", "A_RECYCLER"],
        )
        self.assertEqual(self.api_calls("factures/v1/recycler"), {RECYCLE: 1})

        self.assertEqual(invoice.chorus_service_id, self.service_ej)
        self.assertEqual(invoice.buyer_reference, "SERVICE_EJ_OBL")
        self.assertEqual(invoice.purchase_order_reference, "EJ-2026-0077")
        # The status Chorus Pro answered, at once.
        self.assertEqual(invoice.chorus_status, "DEPOSEE")
        self.assertFalse(invoice.chorus_status_reason)
        body = self._last_message(invoice).body
        self.assertIn("Re-routed on Chorus Pro", body)
        self.assertIn("service code SERVICE_GENERAL → SERVICE_EJ_OBL", body)
        self.assertIn("engagement number none → EJ-2026-0077", body)
        self.assertIn("Chorus Pro status: Submitted", body)

    def test_new_engagement_alone_keeps_the_service(self):
        invoice = self._invoice_on_chorus("A_RECYCLER")
        invoice.chorus_recycle(purchase_order_reference="EJ-2026-0099")
        _history, details = self._on_chorus(invoice)
        self.assertEqual(details["destinataire"]["codeServiceExecutant"], "SERVICE_GENERAL")
        self.assertEqual(details["references"]["numeroBonCommande"], "EJ-2026-0099")
        self.assertEqual(
            (invoice.buyer_reference, invoice.purchase_order_reference), ("SERVICE_GENERAL", "EJ-2026-0099")
        )

    def test_new_routing_is_checked_against_the_buyer_rules_first(self):
        invoice = self._invoice_on_chorus("A_RECYCLER", purchase_order_reference=False)
        with self.assertRaisesRegex(UserError, "Enter a new service code or a new engagement number"):
            invoice.chorus_recycle()
        with self.assertRaisesRegex(UserError, "INCONNU is not a service of Commune de Testville"):
            invoice.chorus_recycle(buyer_reference="INCONNU")
        with self.assertRaisesRegex(UserError, "SERVICE_FERME of Commune de Testville is no longer active"):
            invoice.chorus_recycle(buyer_reference="SERVICE_FERME")
        with self.assertRaisesRegex(UserError, "The service SERVICE_EJ_OBL requires an engagement number"):
            invoice.chorus_recycle(buyer_reference="SERVICE_EJ_OBL")
        with self.assertRaisesRegex(UserError, "51 characters; Chorus Pro accepts at most 50"):
            invoice.chorus_recycle(purchase_order_reference="E" * 51)
        self.buyer.chorus_requirement = "service_and_engagement"
        with self.assertRaisesRegex(UserError, "requires an engagement number"):
            invoice.chorus_recycle(buyer_reference="SERVICE_GENERAL")
        self.assertEqual(self.api_calls("factures"), {})
        self.assertEqual(invoice.buyer_reference, "SERVICE_GENERAL")

    def test_only_an_invoice_to_recycle_can_be_rerouted(self):
        invoice = self._invoice_on_chorus("SUSPENDUE", motif="RIB manquant")
        with self.assertRaisesRegex(UserError, "Only an invoice to recycle can be re-routed"):
            invoice.chorus_recycle(purchase_order_reference="EJ-1")
        with self.assertRaisesRegex(UserError, "Only an invoice to recycle can be re-routed"):
            invoice.action_chorus_recycle()
        self.assertEqual(self.api_calls("factures"), {})

    def test_service_unknown_to_chorus_is_refused_and_nothing_changes(self):
        # Odoo's list of services is older than Chorus Pro's: FINANCES is gone there.
        invoice = self._invoice_on_chorus("A_RECYCLER")
        with self.assertRaisesRegex(UserError, r"was not re-routed: Chorus Pro refused the request.*FINANCES"):
            invoice.chorus_recycle(buyer_reference="FINANCES")
        self.assertEqual((invoice.buyer_reference, invoice.chorus_status), ("SERVICE_GENERAL", "A_RECYCLER"))
        _history, details = self._on_chorus(invoice)
        self.assertEqual(details["statutFacture"], "A_RECYCLER")

    # -- who may answer ---------------------------------------------------------------------------

    def test_only_senders_may_answer(self):
        suspended = self._invoice_on_chorus("SUSPENDUE", motif="RIB manquant").with_user(self.clerk)
        to_recycle = self._invoice_on_chorus("A_RECYCLER").with_user(self.clerk)
        for call in (
            lambda: suspended.chorus_complete("RIB joint"),
            suspended.action_chorus_complete,
            lambda: to_recycle.chorus_recycle(purchase_order_reference="EJ-1"),
            to_recycle.action_chorus_recycle,
            lambda: self.env["chorus.recycle.wizard"].with_user(self.clerk).create({"move_id": to_recycle.id}),
        ):
            with self.assertRaises(AccessError):
                call()
        self.assertEqual(self.api_calls("factures"), {})

    def test_buttons_shown_to_senders_only_on_the_status_that_asks_for_them(self):
        def buttons(user):
            arch = self.env["account.move"].with_user(user).get_view(view_type="form")["arch"]
            return {name: name in arch for name in ("action_chorus_complete", "action_chorus_recycle")}

        self.assertEqual(buttons(self.env.user), {"action_chorus_complete": True, "action_chorus_recycle": True})
        self.assertEqual(buttons(self.clerk), {"action_chorus_complete": False, "action_chorus_recycle": False})
        view = self.env.ref("l10n_fr_chorus_pro.view_move_form_chorus_answer")
        self.assertIn("invisible=\"chorus_status != 'SUSPENDUE'\"", view.arch_db)
        self.assertIn("invisible=\"chorus_status != 'A_RECYCLER'\"", view.arch_db)
