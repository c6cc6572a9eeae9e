from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.l10n_fr_chorus_pro.chorus_core.sandbox import fixtures

from ..models.chorus_batch import claim_batch
from .common import BUYER_SIRET
from .sandbox_common import ChorusSandboxCommon

UNKNOWN_SIRET = "55500001000002"  # valid Luhn, no Chorus structure
BUYER_SERVICE_SIRET = "12345678200028"  # requires a service code
STATE_SIRET = "11000201100044"
# structures/v1 calls of one lookup_buyer: search, details, services, details of each active service.
LOOKUP_CALLS_051 = {
    "structures/v1/rechercher": 1,
    "structures/v1/consulter": 1,
    "structures/v1/rechercher/services": 1,
    "structures/v1/consulter/service": 2,
}


@tagged("post_install", "-at_install")
class TestChorusPartnerSync(ChorusSandboxCommon):
    def setUp(self):
        super().setUp()
        # These tests count what the weekly job does: other public buyers and other companies configured for
        # Chorus Pro (demo data, other tests' commits) are left out of it, in this test's transaction only.
        self.env["res.partner"].search([("chorus_is_public_buyer", "=", True), ("id", "!=", self.buyer.id)]).write(
            {"chorus_is_public_buyer": False}
        )
        (self.env["res.company"].sudo().search([]) - self.company).write({"chorus_client_id": False})

    def _services(self, partner):
        services = self.env["chorus.service"].with_context(active_test=False).search([("partner_id", "=", partner.id)])
        return {service.code: service for service in services}

    def _buyer(self, siret, name="Public buyer"):
        return self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "chorus_is_public_buyer": True,
                "siret": siret,
            }
        )

    def _run_cron(self):
        self.env.ref("l10n_fr_chorus_pro.ir_cron_chorus_update_public_buyers").method_direct_trigger()

    def test_update_fills_structure_requirement_and_services(self):
        self.buyer.action_chorus_update_from_chorus()
        self.assertEqual(self.buyer.chorus_structure_identifier, "26000051")
        self.assertEqual(self.buyer.chorus_requirement, "none")
        self.assertTrue(self.buyer.chorus_last_sync)
        services = self._services(self.buyer)
        self.assertTrue(services["SERVICE_GENERAL"].active)
        self.assertEqual(services["SERVICE_GENERAL"].name, "Service général")
        self.assertEqual(services["SERVICE_GENERAL"].chorus_identifier, "36005101")
        self.assertFalse(services["SERVICE_GENERAL"].engagement_required)
        self.assertTrue(services["SERVICE_EJ_OBL"].engagement_required)
        self.assertFalse(services["SERVICE_FERME"].active, "an inactive Chorus service is archived")
        self.assertNotIn("FACTURES_PUBLIQUES", services)
        # Local services Chorus Pro does not know are archived, not deleted (invoices may use them).
        self.assertFalse(self.service_finance.active)
        self.assertFalse(self.service_works.active)
        self.assertEqual(self.api_calls("structures/"), LOOKUP_CALLS_051)

    def test_requirement_and_engagement_of_a_buyer_requiring_a_service(self):
        buyer = self._buyer(BUYER_SERVICE_SIRET)
        public = self.env["chorus.service"].create({"partner_id": buyer.id, "code": "FACTURES_PUBLIQUES"})
        buyer.action_chorus_update_from_chorus()
        self.assertEqual(buyer.chorus_requirement, "service")
        services = self._services(buyer)
        self.assertEqual(
            {code for code, service in services.items() if service.active},
            {"SERVICE_DEST_SERV_OBL", "SERVICE_SERV_EJ_OBL"},
        )
        self.assertTrue(services["SERVICE_SERV_EJ_OBL"].engagement_required)
        self.assertFalse(public.active, "FACTURES_PUBLIQUES is never kept active")

    def test_refresh_updates_in_place_and_archives_removed_services(self):
        self.buyer.action_chorus_update_from_chorus()
        general = self._services(self.buyer)["SERVICE_GENERAL"]
        changed = dict(fixtures.BUYERS[BUYER_SIRET])
        changed["services"] = [s for s in changed["services"] if s["codeService"] != "SERVICE_EJ_OBL"]
        changed["parametres"] = {
            **changed["parametres"],
            "numeroEJDoitEtreRenseigne": True,
        }
        with patch.dict(fixtures.BUYERS, {BUYER_SIRET: changed}):
            self.buyer.action_chorus_update_from_chorus()
        services = self._services(self.buyer)
        self.assertEqual(
            services["SERVICE_GENERAL"],
            general,
            "existing services are updated, not recreated",
        )
        self.assertTrue(general.active)
        self.assertFalse(services["SERVICE_EJ_OBL"].active)
        self.assertEqual(self.buyer.chorus_requirement, "engagement")

    def test_archived_service_comes_back_when_chorus_returns_it(self):
        self.buyer.action_chorus_update_from_chorus()
        general = self._services(self.buyer)["SERVICE_GENERAL"]
        general.active = False
        self.buyer.action_chorus_update_from_chorus()
        self.assertTrue(general.active)

    def test_unknown_siret_is_a_clear_message(self):
        buyer = self._buyer(UNKNOWN_SIRET)
        with self.assertRaisesRegex(UserError, f"knows no structure with the SIRET {UNKNOWN_SIRET}"):
            buyer.action_chorus_update_from_chorus()
        self.assertFalse(buyer.chorus_last_sync)

    def test_api_error_is_a_user_error_without_secret(self):
        self.company.sudo().chorus_client_secret = "wrong-secret-789"
        with self.assertRaises(UserError) as caught:
            self.buyer.action_chorus_update_from_chorus()
        self.assertIn("PISTE refused the application credentials", str(caught.exception))
        self.assertNoSecret(str(caught.exception), secrets=("wrong-secret-789", fixtures.TECH_PASSWORD))

    def test_buyer_without_siret(self):
        buyer = self._buyer(False)
        with self.assertRaisesRegex(UserError, "Set the SIRET"):
            buyer.action_chorus_update_from_chorus()
        self.assertEqual(self.api_calls(), {})

    def test_sender_updates_without_reading_the_secrets(self):
        sender = new_test_user(
            self.env,
            login="chorus_sync_sender",
            groups="account.group_account_invoice,l10n_fr_chorus_pro.group_chorus_sender,base.group_partner_manager",
            company_id=self.company.id,
        )
        self.buyer.with_user(sender).action_chorus_update_from_chorus()
        self.assertEqual(self.buyer.chorus_structure_identifier, "26000051")

    def test_only_senders_update_from_chorus(self):
        clerk = new_test_user(
            self.env,
            login="chorus_sync_clerk",
            groups="base.group_user,base.group_partner_manager",
        )
        with self.assertRaises(AccessError):
            self.buyer.with_user(clerk).action_chorus_update_from_chorus()

    def test_button_and_last_update_on_the_form(self):
        sender = new_test_user(self.env, login="chorus_form_sender", groups="account.group_account_user")
        form = self.env.ref("base.view_partner_form")
        arch = self.env["res.partner"].with_user(sender).get_view(form.id)["arch"]
        self.assertIn('name="action_chorus_update_from_chorus"', arch)
        self.assertIn('name="chorus_last_sync"', arch)

    # The weekly job -----------------------------------------------------------------

    def test_cron_updates_buyers_and_survives_a_failing_one(self):
        state = self._buyer(STATE_SIRET, "Etat")
        unknown = self._buyer(UNKNOWN_SIRET, "Inconnu")
        with self.capture_module_logs() as logs:
            self._run_cron()
        self.assertEqual(self.buyer.chorus_structure_identifier, "26000051")
        self.assertEqual(state.chorus_requirement, "service")
        self.assertIn("SFACETAT", self._services(state))
        self.assertFalse(unknown.chorus_last_sync)
        self.assertTrue(unknown.chorus_last_sync_attempt)
        note = unknown.message_ids[0]
        self.assertIn(f"knows no structure with the SIRET {UNKNOWN_SIRET}", note.body)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertNoSecret("\n".join(logs))
        calls = self.api_calls("structures/v1/rechercher")
        self.assertEqual(
            calls,
            {"structures/v1/rechercher": 3, "structures/v1/rechercher/services": 2},
        )
        # Tried this week: the next pass leaves them all alone.
        self.sandbox.control.reset_stats()
        self._run_cron()
        self.assertEqual(self.api_calls(), {})

    def test_cron_works_in_bounded_batches(self):
        self._buyer(STATE_SIRET)
        self._buyer(BUYER_SERVICE_SIRET)
        cron = self.env.ref("l10n_fr_chorus_pro.ir_cron_chorus_update_public_buyers")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        partners = self.env["res.partner"]
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0, "done": 0})
        partners.with_context(ir_cron_progress_id=progress.id)._cron_chorus_update_public_buyers(batch_size=2)
        self.assertEqual(self.api_calls("structures/v1/consulter")["structures/v1/consulter"], 2)
        # ir.cron runs the job again at once while its progress says work remains: no trigger on top.
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        partners.with_context(ir_cron_progress_id=progress.id)._cron_chorus_update_public_buyers(batch_size=2)
        self.assertEqual(self.api_calls("structures/v1/consulter")["structures/v1/consulter"], 3)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers)

    def test_cron_batch_passes_over_rows_another_worker_holds(self):
        # Two buyers of the test's own, committed so that other connections see them; each worker is a cursor
        # of its own, and no lock here waits (the other worker locks a row nobody holds, the batch skips it).
        with self.registry.cursor() as cr:
            partners = api.Environment(cr, SUPERUSER_ID, {})["res.partner"].create(
                [{"name": "Acheteur verrouillé"}, {"name": "Acheteur libre"}]
            )
            held, free = partners.ids
        try:
            with self.registry.cursor() as worker, self.registry.cursor() as other:
                other.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE NOWAIT", [held])
                claimed = claim_batch(
                    api.Environment(worker, SUPERUSER_ID, {})["res.partner"], [("id", "in", partners.ids)], 10
                )
                self.assertEqual(claimed.ids, [free])
                other.rollback()
                worker.rollback()
        finally:
            with self.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["res.partner"].browse([held, free]).unlink()

    def test_cron_does_nothing_without_credentials(self):
        self.company.sudo().write({"chorus_client_id": False, "chorus_client_secret": False})
        self._run_cron()
        self.assertFalse(self.buyer.chorus_last_sync_attempt)
        self.assertEqual(self.api_calls(), {})

    def test_cron_skips_buyers_of_unconfigured_companies(self):
        other_company = self.env["res.company"].create({"name": "Sans Chorus"})
        other = self._buyer(STATE_SIRET)
        other.company_id = other_company
        self._run_cron()
        self.assertTrue(self.buyer.chorus_last_sync)
        self.assertFalse(other.sudo().chorus_last_sync_attempt)

    def test_cron_is_shipped_active_and_weekly(self):
        cron = self.env.ref("l10n_fr_chorus_pro.ir_cron_chorus_update_public_buyers")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "weeks"))
