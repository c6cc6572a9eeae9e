from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.l10n_fr_chorus_pro.chorus_core.sandbox import fixtures

from .sandbox_common import ChorusSandboxCommon


@tagged("post_install", "-at_install")
class TestChorusConnection(ChorusSandboxCommon):
    def _test_connection(self):
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        with self.capture_module_logs() as logs:
            action = settings.action_chorus_test_connection()
        self.assertEqual(action["tag"], "display_notification")
        self.assertNoSecret(action["params"]["message"])
        self.assertNoSecret("\n".join(logs))
        return action["params"]

    def test_success_names_the_environment_and_the_structure(self):
        notification = self._test_connection()
        self.assertEqual(notification["type"], "success")
        self.assertIn("Custom (local sandbox)", notification["message"])
        self.assertIn("SANDBOX FOURNISSEUR SAS", notification["message"])
        self.assertIn(str(fixtures.SUPPLIER_ID_STRUCTURE_CPP), notification["message"])
        self.assertEqual(self.api_calls(), {"token": 1, "structures/v1/rechercher": 1})

    def test_wrong_secret_points_to_the_piste_credentials(self):
        self.company.sudo().chorus_client_secret = "wrong-secret-123"
        notification = self._test_connection()
        self.assertEqual(notification["type"], "danger")
        self.assertIn("PISTE refused the application credentials", notification["message"])
        self.assertIn("Settings > Accounting > Chorus Pro", notification["message"])
        self.assertNotIn("wrong-secret-123", notification["message"])
        self.assertEqual(self.api_calls(), {"token": 1})

    def test_wrong_technical_password(self):
        self.company.sudo().chorus_password = "wrong-password-456"
        notification = self._test_connection()
        self.assertEqual(notification["type"], "danger")
        self.assertIn("refused the technical account", notification["message"])
        self.assertNotIn("wrong-password-456", notification["message"])

    def test_unsubscribed_api_names_it(self):
        self.sandbox.control.unsubscribe("structures")
        notification = self._test_connection()
        self.assertEqual(notification["type"], "danger")
        self.assertIn(
            "subscribe your PISTE application to the structures API",
            notification["message"],
        )
        self.assertIn("Custom (local sandbox)", notification["message"])

    def test_unknown_company_siret_is_a_warning(self):
        self.company.siret = "55500001000002"
        notification = self._test_connection()
        self.assertEqual(notification["type"], "warning")
        self.assertIn("knows no structure with your SIRET 55500001000002", notification["message"])

    def test_company_without_siret_only_gets_a_token(self):
        self.company.siret = False
        notification = self._test_connection()
        self.assertEqual(notification["type"], "warning")
        self.assertIn("Set the SIRET of your company", notification["message"])
        self.assertEqual(self.api_calls(), {"token": 1})

    def test_incomplete_settings_say_what_to_fill(self):
        self.company.sudo().chorus_password = False
        notification = self._test_connection()
        self.assertEqual(notification["type"], "danger")
        self.assertIn("not fully configured", notification["message"])
        self.assertEqual(self.api_calls(), {})

    def test_server_error_says_try_later(self):
        self.sandbox.control.set_fault(http_500=1)
        notification = self._test_connection()
        self.assertEqual(notification["type"], "danger")
        self.assertIn("try again later", notification["message"])

    def test_only_administrators_test_the_connection(self):
        accountant = new_test_user(
            self.env,
            login="chorus_settings_accountant",
            groups="account.group_account_manager",
            company_id=self.company.id,
        )
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        with self.assertRaises(AccessError):
            settings.with_user(accountant).action_chorus_test_connection()

    def test_button_is_in_the_settings_for_administrators(self):
        admin = new_test_user(
            self.env,
            login="chorus_settings_admin",
            groups="base.group_system,account.group_account_manager",
        )
        arch = self.env["res.config.settings"].with_user(admin).get_view()["arch"]
        self.assertIn('name="action_chorus_test_connection"', arch)
