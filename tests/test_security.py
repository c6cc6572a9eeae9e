from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ChorusCommon

SECRET_FIELDS = (
    "chorus_client_id",
    "chorus_client_secret",
    "chorus_login",
    "chorus_password",
    # Where the credentials go.
    "chorus_environment",
    "chorus_api_url",
    "chorus_oauth_url",
)


@tagged("post_install", "-at_install")
class TestChorusSecurity(ChorusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sudo().write(
            {
                "chorus_client_id": "piste-id",
                "chorus_client_secret": "piste-secret",
                "chorus_login": "TECH_1_73282932000074@cpro.fr",
                "chorus_password": "tech-password",
            }
        )
        cls.accountant = new_test_user(
            cls.env,
            login="chorus_accountant",
            groups="account.group_account_manager,account.group_account_user",
            company_id=cls.company.id,
        )
        cls.admin = new_test_user(
            cls.env,
            login="chorus_admin",
            groups="base.group_system,account.group_account_manager",
            company_id=cls.company.id,
        )

    def test_accountant_cannot_read_secrets(self):
        company = self.company.with_user(self.accountant)
        for field_name in SECRET_FIELDS:
            with self.assertRaises(AccessError, msg=field_name):
                company.read([field_name])

    def test_accountant_cannot_write_secrets(self):
        company = self.company.with_user(self.accountant)
        for field_name in SECRET_FIELDS:
            with self.assertRaises(AccessError, msg=field_name):
                company.write({field_name: "stolen"})
        self.assertEqual(self.company.chorus_client_secret, "piste-secret")

    def test_accountant_gets_the_environment_label_in_messages(self):
        label = self.company.with_user(self.accountant)._chorus_environment_label()
        self.assertEqual(label, "Qualification (PISTE sandbox)")

    def test_admin_reads_and_writes_secrets(self):
        company = self.company.with_user(self.admin)
        self.assertEqual(company.chorus_client_secret, "piste-secret")
        company.chorus_password = "renewed"
        self.assertEqual(self.company.chorus_password, "renewed")

    def test_secrets_are_password_fields_in_settings(self):
        arch = self.env["res.config.settings"].with_user(self.admin).get_view()["arch"]
        self.assertIn('name="chorus_client_secret" password="True"', arch)
        self.assertIn('name="chorus_password" password="True"', arch)

    def test_accountant_sends_admin_configures(self):
        self.assertTrue(self.accountant.has_group("l10n_fr_chorus_pro.group_chorus_sender"))
        self.assertFalse(self.accountant.has_group("l10n_fr_chorus_pro.group_chorus_manager"))
        self.assertTrue(self.admin.has_group("l10n_fr_chorus_pro.group_chorus_manager"))

    def test_billing_user_cannot_delete_services(self):
        clerk = new_test_user(self.env, login="chorus_clerk", groups="account.group_account_invoice")
        with self.assertRaises(AccessError):
            self.service_finance.with_user(clerk).unlink()
        with self.assertRaises(AccessError):
            self.service_finance.with_user(clerk).write({"name": "x"})
