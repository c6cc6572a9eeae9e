import io
import zipfile
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..chorus_core import flux_states, status_sync
from .facturx_common import ChorusFacturxCommon
from .sandbox_common import ChorusSandboxCommon, attach_printed_facturx

HISTORY = "factures/v1/consulter/historique"
SEARCH = "factures/v1/rechercher/fournisseur"
REPORT = "transverses/v1/consulterCRDetaille"
NOT_REPORTING_BUYER = "12345678200077"
# One instant for several passages: Chorus Pro dates them to the millisecond, Odoo to the second.
SAME_SECOND = "2026-11-02T10:00:00.000+01:00"


@tagged("post_install", "-at_install")
class TestChorusSync(ChorusSandboxCommon, ChorusFacturxCommon):
    """The synchronisation against the local sandbox over HTTP, driven through its control routes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_general = cls.env["chorus.service"].create(
            {"partner_id": cls.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )
        cls.salesperson = new_test_user(
            cls.env, login="chorus_sync_sales", groups="account.group_account_invoice", company_id=cls.company.id
        )

    # -- helpers ------------------------------------------------------------------------------

    def in_flight(self, count=1, buyer=None, **seed):
        """Invoices Chorus Pro holds (seeded there under their numbers, made available), known in Odoo by their
        identifier."""
        invoices = self.env["account.move"].concat(
            *(self._chorus_invoice(partner=buyer, invoice_user_id=self.salesperson.id) for _index in range(count))
        )
        seeded = self.sandbox.control.seed_invoices(
            count, buyer=(buyer or self.buyer).siret, numbers=invoices.mapped("name"), **seed
        )
        for invoice, identifier in zip(invoices, seeded["identifiantsFactureCPP"], strict=True):
            invoice.write({"chorus_send_state": "sent", "chorus_identifier": str(identifier)})
        return invoices

    def set_status(self, invoice, status, motif=None):
        self.sandbox.control.set_invoice_status(int(invoice.chorus_identifier), status, motif)

    def calls(self):
        calls = self.api_calls()
        self.sandbox.control.reset_stats()
        return {service: calls.get(service, 0) for service in (SEARCH, HISTORY, REPORT)}

    def activities(self, invoice):
        return invoice.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )

    def sent_invoice(self, **values):
        values.setdefault("chorus_service_id", self.service_general.id)
        invoice = self._chorus_invoice(invoice_user_id=self.salesperson.id, **values)
        attach_printed_facturx(invoice)
        self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "sent")
        return invoice

    def chorus_pro_processes_deposits(self):
        """The time Chorus Pro takes (minutes to hours) has passed: its deposits are processed."""
        self.sandbox.control.process()

    # -- the life cycle -----------------------------------------------------------------------

    def test_life_cycle_from_made_available_to_paid_answered_from_odoo(self):
        self.life_cycle(first_calls={SEARCH: 1, HISTORY: 1, REPORT: 0})

    def test_life_cycle_where_chorus_pro_refuses_the_search_by_date(self):
        self.sandbox.control.configure(refuse_period_search=True)
        # A run read everything before: the next one searches by date of status change.
        self.company.sudo().write(
            {"chorus_sync_since": "2026-12-01 10:00:00", "chorus_sync_scope": self.company._chorus_sync_current_scope()}
        )
        with self.assertLogs("odoo.addons.l10n_fr_chorus_pro", "WARNING") as logs:
            # The refused search, then one search per invoice in flight (this one has no deposit of Odoo's).
            self.life_cycle(first_calls={SEARCH: 2, HISTORY: 1, REPORT: 0})
        self.assertEqual(sum("search by date of status change was refused" in line for line in logs.output), 1)
        self.assertTrue(self.company.chorus_sync_search_per_deposit)

    def test_life_cycle_where_chorus_pro_refuses_the_paged_history(self):
        self.sandbox.control.configure(refuse_paged_history=True)
        with self.assertLogs("odoo.addons.l10n_fr_chorus_pro", "WARNING") as logs:
            # The refused paged history, then the history asked by invoice alone.
            self.life_cycle(first_calls={SEARCH: 1, HISTORY: 2, REPORT: 0})
        self.assertEqual(sum("paged status history was refused" in line for line in logs.output), 1)
        self.assertTrue(self.company.chorus_sync_history_unpaged)

    def life_cycle(self, first_calls):
        invoice = self.in_flight()
        self.run_sync()
        # First reading: no status yet, its history is read directly.
        self.assertEqual(invoice.chorus_status, "MISE_A_DISPOSITION")
        self.assertEqual(invoice.chorus_status_kind, "in_progress")
        self.assertEqual(set(invoice.chorus_status_history_ids.mapped("status")), {"MISE_A_DISPOSITION", "DEPOSEE"})
        self.assertTrue(self.company.chorus_sync_since)
        self.assertEqual(self.calls(), first_calls)

        self.set_status(invoice, "SUSPENDUE", "Bon de commande manquant")
        self.run_sync()
        self.assertEqual(
            (invoice.chorus_status, invoice.chorus_status_reason), ("SUSPENDUE", "Bon de commande manquant")
        )
        self.assertEqual(invoice.chorus_status_kind, "to_act")
        self.assertIn("suspended", invoice.message_ids[0].body)
        self.assertIn("Bon de commande manquant", invoice.message_ids[0].body)
        activity = self.activities(invoice)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertEqual(self.calls(), {SEARCH: 1, HISTORY: 1, REPORT: 0})
        # Nothing changed: the search finds it again (overlap) but no history is read, nothing is said twice.
        messages = len(invoice.message_ids)
        self.run_sync()
        self.assertEqual(self.calls(), {SEARCH: 1, HISTORY: 0, REPORT: 0})
        self.assertEqual((len(invoice.message_ids), len(self.activities(invoice))), (messages, 1))

        # Completed from Odoo: the next sync brings Chorus Pro's new status.
        invoice.chorus_complete("Bon de commande joint.")
        self.run_sync()
        self.assertEqual(invoice.chorus_status, "COMPLETEE")
        self.assertFalse(invoice.chorus_status_reason)

        self.set_status(invoice, "A_RECYCLER", "Service destinataire erroné")
        self.run_sync()
        self.assertEqual(invoice.chorus_status, "A_RECYCLER")
        self.assertIn("Service destinataire erroné", invoice.message_ids[0].body)
        self.assertEqual(len(self.activities(invoice)), 2)
        # Re-routed from Odoo to the buyer's right service: back with the buyer.
        invoice.chorus_recycle(buyer_reference="SERVICE_GENERAL")
        self.run_sync()
        self.assertEqual(invoice.chorus_service_id.code, "SERVICE_GENERAL")
        # Chorus Pro routes it again (DEPOSEE), then makes it available to that service, not at once.
        self.assertEqual(invoice.chorus_status, "DEPOSEE")
        self.run_sync()
        self.assertEqual(invoice.chorus_status, "MISE_A_DISPOSITION")
        # Made available a second time, after the recycling.
        self.assertEqual(invoice.chorus_status_history_ids.mapped("status").count("MISE_A_DISPOSITION"), 2)

        for status in ("MISE_A_DISPOSITION", "SERVICE_FAIT", "MANDATEE", "MISE_EN_PAIEMENT"):
            self.set_status(invoice, status)
            self.run_sync()
            self.assertEqual(invoice.chorus_status, status)
        self.assertTrue(invoice.chorus_status_final)
        self.assertEqual(invoice.chorus_status_kind, "paid")
        paid = invoice.chorus_status_history_ids.filtered(lambda line: line.status == "MISE_EN_PAIEMENT")
        self.assertEqual(len(paid), 1)
        self.assertEqual(paid.date, invoice.chorus_status_date)
        # Final: not polled any more, whatever Chorus Pro says.
        self.calls()
        self.set_status(invoice, "SUPPRIMEE")
        self.run_sync()
        self.assertEqual(self.calls()[HISTORY], 0)
        self.assertEqual(invoice.chorus_status, "MISE_EN_PAIEMENT")

    # -- passages within one second: told apart by Chorus Pro's line id ------------------------

    def passages(self, invoice, *statuses):
        for status, motif in statuses:
            self.sandbox.control.advance_invoices(
                status, ids=[int(invoice.chorus_identifier)], motif=motif, at=SAME_SECOND
            )

    def history(self, invoice):
        return invoice.chorus_status_history_ids.sorted("id").mapped(lambda line: (line.status, bool(line.chorus_id)))

    def test_two_passages_through_a_status_within_one_second_are_two_lines(self):
        invoice = self.in_flight(at=SAME_SECOND)
        self.passages(invoice, ("A_RECYCLER", "Service erroné"), ("MISE_A_DISPOSITION", None))
        self.run_sync()
        self.assertEqual(
            self.history(invoice),
            [("DEPOSEE", True), ("MISE_A_DISPOSITION", True), ("A_RECYCLER", True), ("MISE_A_DISPOSITION", True)],
        )
        self.assertEqual(len(set(invoice.chorus_status_history_ids.mapped("chorus_id"))), 4)
        self.assertEqual(len(set(invoice.chorus_status_history_ids.mapped("date"))), 1)
        self.assertEqual(invoice.chorus_status, "MISE_A_DISPOSITION")
        self.assertFalse(self.activities(invoice))
        # Read again: every line is known by its id, nothing is recorded twice.
        invoice.action_chorus_refresh_status()
        self.assertEqual(len(invoice.chorus_status_history_ids), 4)

    def test_suspended_again_within_the_same_second_is_said_again(self):
        invoice = self.in_flight(status="SUSPENDUE", motif="RIB manquant", at=SAME_SECOND)
        self.run_sync()
        self.assertEqual(len(self.activities(invoice)), 1)
        self.passages(invoice, ("COMPLETEE", None), ("SUSPENDUE", "RIB illisible"))
        invoice.action_chorus_refresh_status()
        self.assertEqual((invoice.chorus_status, invoice.chorus_status_reason), ("SUSPENDUE", "RIB illisible"))
        self.assertIn("RIB illisible", invoice.message_ids[0].body)
        self.assertEqual(len(self.activities(invoice)), 2)
        invoice.action_chorus_refresh_status()
        self.assertEqual(len(self.activities(invoice)), 2)

    def test_lines_recorded_before_the_line_ids_take_them_and_are_not_duplicated(self):
        invoice = self.in_flight(at=SAME_SECOND)
        self.passages(invoice, ("A_RECYCLER", "Service erroné"), ("MISE_A_DISPOSITION", None))
        # What a synchronisation without line ids left: the two passages through MISE_A_DISPOSITION as one line.
        moment = status_sync.utc_naive(SAME_SECOND)
        old_lines = self.env["chorus.status.history"].create(
            [
                {"move_id": invoice.id, "status": status, "date": moment}
                for status in ("DEPOSEE", "MISE_A_DISPOSITION", "A_RECYCLER")
            ]
        )
        invoice.write({"chorus_status": "MISE_A_DISPOSITION", "chorus_status_date": moment})
        invoice.action_chorus_refresh_status()
        self.assertEqual(
            self.history(invoice),
            [("DEPOSEE", True), ("MISE_A_DISPOSITION", True), ("A_RECYCLER", True), ("MISE_A_DISPOSITION", True)],
        )
        self.assertTrue(all(old_lines.mapped("chorus_id")))
        self.assertFalse(self.activities(invoice))
        ids = invoice.chorus_status_history_ids.mapped("chorus_id")
        invoice.action_chorus_refresh_status()
        self.assertEqual(invoice.chorus_status_history_ids.mapped("chorus_id"), ids)

    def test_rejected_with_its_reason(self):
        invoice = self.in_flight()
        self.run_sync()
        self.set_status(invoice, "REJETEE", "Facture en double")
        self.run_sync()
        self.assertEqual((invoice.chorus_status, invoice.chorus_status_reason), ("REJETEE", "Facture en double"))
        self.assertTrue(invoice.chorus_status_final)
        self.assertEqual(invoice.chorus_status_kind, "rejected")
        self.assertIn("credit note", invoice.message_ids[0].body)
        self.assertEqual(len(self.activities(invoice)), 1)

    def test_a_buyer_that_does_not_report_payments_is_followed_until_mandated(self):
        buyer = self.env["res.partner"].create(
            {"name": "Sans remontée", "is_company": True, "chorus_is_public_buyer": True, "siret": NOT_REPORTING_BUYER}
        )
        buyer.action_chorus_update_from_chorus()
        self.assertTrue(buyer.chorus_payment_not_reported)
        invoice = self.in_flight(buyer=buyer, service="SERVICE_GENERAL")
        self.run_sync()
        self.set_status(invoice, "MANDATEE")
        self.run_sync()
        self.assertTrue(invoice.chorus_status_final)
        self.assertEqual(invoice.chorus_status_kind, "paid")
        self.calls()
        self.set_status(invoice, "COMPTABILISEE")
        self.run_sync()
        self.assertEqual((invoice.chorus_status, self.calls()[HISTORY]), ("MANDATEE", 0))

    def test_calls_grow_with_the_changes_not_with_the_invoices_in_flight(self):
        invoices = self.in_flight(30)
        self.run_sync(batch_size=7)
        self.assertEqual(set(invoices.mapped("chorus_status")), {"MISE_A_DISPOSITION"})
        self.calls()
        self.sandbox.control.advance_invoices(
            "SERVICE_FAIT", ids=[int(i) for i in invoices[:3].mapped("chorus_identifier")]
        )
        self.run_sync(batch_size=7)
        self.assertEqual(self.calls(), {SEARCH: 1, HISTORY: 3, REPORT: 0})
        self.assertEqual(invoices[:3].mapped("chorus_status"), ["SERVICE_FAIT"] * 3)

    # -- deposits -----------------------------------------------------------------------------

    def test_deposit_integrated_then_identifier_and_status(self):
        invoice = self.sent_invoice()
        self.assertFalse(invoice.chorus_identifier)
        # Not processed yet: the sync reads its report and waits.
        self.run_sync()
        self.assertIn(invoice.chorus_flux_id.state, flux_states.PENDING_STATES)
        self.assertFalse(invoice.chorus_identifier)
        self.chorus_pro_processes_deposits()
        self.run_sync()
        self.assertEqual(invoice.chorus_flux_id.state, flux_states.INTEGRATED)
        self.assertTrue(invoice.chorus_identifier)
        self.assertEqual(invoice.chorus_status, "MISE_A_DISPOSITION")

    def test_rejected_deposit_tells_the_invoice_why(self):
        # FINANCES is unknown to the sandbox's buyer: the deposit is accepted, then the flux rejected.
        invoice = self.sent_invoice(chorus_service_id=self.service_finance.id)
        self.chorus_pro_processes_deposits()
        self.run_sync()
        self.assertEqual(invoice.chorus_flux_id.state, flux_states.REJECTED)
        self.assertEqual(invoice.chorus_send_state, "error")
        self.assertIn("FINANCES", invoice.message_ids[0].body)
        self.assertIn("send it again", invoice.message_ids[0].body)
        self.assertEqual(len(self.activities(invoice)), 1)
        self.assertFalse(invoice.chorus_identifier)

    def test_partially_integrated_deposit(self):
        good = self._chorus_invoice(chorus_service_id=self.service_general.id, invoice_user_id=self.salesperson.id)
        bad = self._chorus_invoice(chorus_service_id=self.service_finance.id, invoice_user_id=self.salesperson.id)
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as members:
            for invoice in good | bad:
                members.writestr(f"{invoice.id}.pdf", attach_printed_facturx(invoice).raw)
        with self.company._chorus_client() as client:
            number = client.deposit_flux(archive.getvalue(), "lot.zip")["numeroFluxDepot"]
        flux = self.env["chorus.flux"].create(
            {"name": number, "move_ids": [(6, 0, (good | bad).ids)], "company_id": self.company.id}
        )
        (good | bad).write({"chorus_send_state": "sent", "chorus_flux_id": flux.id})
        self.chorus_pro_processes_deposits()
        self.run_sync()
        self.assertEqual(flux.state, flux_states.PARTIALLY_INTEGRATED)
        self.assertIn(bad.name, flux.error_message)
        self.assertEqual((bad.chorus_send_state, bool(bad.chorus_identifier)), ("error", False))
        self.assertIn("FINANCES", bad.message_ids[0].body)
        self.assertEqual(len(self.activities(bad)), 1)
        self.assertEqual((good.chorus_send_state, good.chorus_status), ("sent", "MISE_A_DISPOSITION"))
        self.assertFalse(self.activities(good))

    # -- failures -----------------------------------------------------------------------------

    def test_an_api_failure_mid_run_loses_nothing_and_the_next_run_finishes(self):
        invoices = self.in_flight(4)
        self.run_sync()
        since = self.company.chorus_sync_since
        self.sandbox.control.advance_invoices(
            "SERVICE_FAIT", ids=[int(i) for i in invoices.mapped("chorus_identifier")]
        )
        self.assertEqual(self.env["account.move"]._cron_chorus_sync(batch_size=2), 2)
        # Chorus Pro fails from the third history on: the history asked page by page, then by invoice alone (an
        # outage, not a refusal of the paged request).
        self.sandbox.control.set_fault(http_500=2)
        with self.assertLogs("odoo.addons.l10n_fr_chorus_pro.models.account_move_chorus_sync", "WARNING") as logs:
            self.assertEqual(self.env["account.move"]._cron_chorus_sync(batch_size=2), 0)
        self.assertEqual(len(logs.output), 1)
        self.assertEqual(invoices.mapped("chorus_status"), ["SERVICE_FAIT"] * 2 + ["MISE_A_DISPOSITION"] * 2)
        self.assertEqual(self.company.chorus_sync_since, since)  # the next run asks again from there
        self.assertFalse(self.company.chorus_sync_history_unpaged)
        self.calls()
        self.run_sync()
        self.assertEqual(invoices.mapped("chorus_status"), ["SERVICE_FAIT"] * 4)
        self.assertEqual(self.calls()[HISTORY], 2)
        self.assertFalse(self.company.chorus_sync_run_started)
        self.calls()
        self.run_sync()
        self.assertEqual(self.calls()[HISTORY], 0)

    def test_an_unexpected_failure_in_one_company_leaves_the_others_alone(self):
        invoice = self.in_flight()
        other = self.env["res.company"].create({"name": "Autre société", "country_id": self.env.ref("base.fr").id})
        other.sudo().write(
            {
                field: self.company.sudo()[field]
                for field in ("chorus_environment", "chorus_api_url", "chorus_oauth_url")
            }
            | {field: self.company.sudo()[field] for field in ("chorus_client_id", "chorus_client_secret")}
            | {field: self.company.sudo()[field] for field in ("chorus_login", "chorus_password")}
        )
        model = type(self.env["account.move"])
        open_run = model._chorus_sync_open

        def open_run_failing_for_the_other(moves, company, client):
            if company == other:
                raise RuntimeError("unexpected")
            return open_run(moves, company, client)

        logger = "odoo.addons.l10n_fr_chorus_pro.models.chorus_batch"
        with patch.object(model, "_chorus_sync_open", open_run_failing_for_the_other), self.assertLogs(logger) as logs:
            self.run_sync()
        self.assertEqual(invoice.chorus_status, "MISE_A_DISPOSITION")
        self.assertEqual(len(logs.output), 1)
        self.assertIn(f"company {other.id} failed", logs.output[0])

    # -- the buttons --------------------------------------------------------------------------

    def test_refresh_button_on_the_invoice_and_the_deposit(self):
        invoice = self.sent_invoice()
        self.chorus_pro_processes_deposits()
        invoice.action_chorus_refresh_status()
        self.assertEqual(invoice.chorus_status, "MISE_A_DISPOSITION")
        self.set_status(invoice, "SUSPENDUE", "Pièce manquante")
        invoice.chorus_flux_id.action_chorus_refresh()
        self.assertEqual(invoice.chorus_status, "SUSPENDUE")
        clerk = new_test_user(self.env, login="chorus_sync_clerk", groups="account.group_account_invoice")
        with self.assertRaises(AccessError):
            invoice.with_user(clerk).action_chorus_refresh_status()
