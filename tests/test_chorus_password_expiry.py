"""The technical password expires 424 days after it is set: administrators get one to-do 30 days before, and
nothing is sent once it has expired."""

import datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import ChorusCommon
from .facturx_common import ChorusFacturxCommon
from .sandbox_common import ChorusSandboxCommon, attach_printed_facturx

D = datetime.date


@tagged("post_install", "-at_install")
class TestChorusPasswordExpiry(ChorusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="chorus_password_manager",
            groups="l10n_fr_chorus_pro.group_chorus_manager",
            company_id=cls.company.id,
        )
        cls.sender = new_test_user(
            cls.env,
            login="chorus_password_sender",
            groups="l10n_fr_chorus_pro.group_chorus_sender",
            company_id=cls.company.id,
        )

    def reminders(self, user):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.company.partner_id.id),
                ("user_id", "=", user.id),
                ("summary", "=", "Renew the Chorus Pro technical password"),
            ]
        )

    def remind(self, day):
        with freeze_time(day):
            self.env["res.company"]._cron_chorus_remind_password_expiry()

    def test_a_new_password_expires_in_424_days(self):
        with freeze_time("2026-12-02"):
            self.company.sudo().chorus_password = "Nouveau-Mot-2026!"
        # 2 Dec 2026 + 424 days: 29 days to 31 Dec, 365 of 2027 -> 31 Dec 2027, 30 more -> 30 Jan 2028.
        self.assertEqual(self.company.chorus_password_set_date, D(2026, 12, 2))
        self.assertEqual(self.company.chorus_password_expiry_date, D(2028, 1, 30))
        # Saving the settings again with the same password is no new password.
        with freeze_time("2027-03-01"):
            self.company.sudo().chorus_password = "Nouveau-Mot-2026!"
        self.assertEqual(self.company.chorus_password_set_date, D(2026, 12, 2))

    def test_administrators_are_reminded_once_a_month_before_expiry(self):
        with freeze_time("2026-12-02"):
            self.company.sudo().chorus_password = "Nouveau-Mot-2026!"
        # Expires 30 Jan 2028: nothing on 30 Dec 2027 (31 days before), one to-do on 31 Dec 2027.
        self.remind("2027-12-30")
        self.assertFalse(self.reminders(self.manager))
        self.remind("2027-12-31")
        reminder = self.reminders(self.manager)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.date_deadline, D(2028, 1, 30))
        self.assertIn("expires on 01/30/2028", str(reminder.note))
        self.assertFalse(self.reminders(self.sender), "senders do not manage the technical account")
        # The job runs every day: the same password is never reminded twice.
        self.remind("2028-01-01")
        self.assertEqual(len(self.reminders(self.manager)), 1)
        # A new password is reminded again, a month before its own expiry (25 Jan 2028 + 424 = 24 Mar 2029).
        reminder.action_done()
        with freeze_time("2028-01-25"):
            self.company.sudo().chorus_password = "Encore-Nouveau-2028!"
        self.remind("2028-02-01")
        self.assertFalse(self.reminders(self.manager))
        self.remind("2029-02-22")
        self.assertEqual(self.reminders(self.manager).date_deadline, D(2029, 3, 24))

    def test_nothing_is_reminded_without_a_password(self):
        self.company.sudo().write({"chorus_password": False, "chorus_password_expiry_date": "2027-01-10"})
        self.remind("2027-01-01")
        self.assertFalse(self.reminders(self.manager))


@tagged("post_install", "-at_install")
class TestChorusPasswordExpiredSending(ChorusSandboxCommon, ChorusFacturxCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A service the sandbox's buyer has: its invoices are integrated.
        cls.service_general = cls.env["chorus.service"].create(
            {"partner_id": cls.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )

    def expire_password(self, days_ago=1):
        expiry = fields.Date.context_today(self.company) - datetime.timedelta(days=days_ago)
        self.company.sudo().chorus_password_expiry_date = expiry

    def ready_invoice(self):
        invoice = self._chorus_invoice(chorus_service_id=self.service_general.id)
        # The PDF printed beforehand: wkhtmltopdf is tested elsewhere.
        attach_printed_facturx(invoice)
        return invoice

    def assertNotSent(self, invoice):
        self.assertEqual(invoice.chorus_send_state, "to_send")
        self.assertFalse(invoice.chorus_flux_ids)
        self.assertEqual(self.api_calls(), {}, "nothing reaches Chorus Pro, not even the token request")

    def test_an_expired_password_blocks_chorus_send(self):
        self.expire_password()
        invoice = self.ready_invoice()
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual((result["result"], result["flux_id"]), ("failed", False))
        self.assertIn("technical password of", result["message"])
        self.assertIn("main manager of your structure renews it", result["message"])
        self.assertNotSent(invoice)

    def test_the_send_wizard_says_why_before_sending(self):
        self.expire_password()
        invoice = self.ready_invoice()
        wizard = self.env["chorus.send.wizard"].create({"move_ids": [Command.set(invoice.ids)]})
        self.assertEqual(wizard.line_ids.status, "not_ready")
        self.assertIn("expired on", wizard.line_ids.message)
        self.assertEqual(wizard.ready_count, 0)
        wizard.action_send()
        self.assertNotSent(invoice)

    def test_an_expired_password_blocks_send_and_print(self):
        self.expire_password()
        invoice = self.ready_invoice()
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        self.assertEqual(wizard.sending_methods, ["chorus_pro"])
        alert = wizard.alerts["l10n_fr_chorus_pro_password_expired"]
        self.assertEqual(alert["level"], "danger")
        self.assertIn("expired on", alert["message"])
        with self.assertRaisesRegex(UserError, "expired on"):
            wizard.action_send_and_print()
        self.assertNotSent(invoice)

    def test_the_background_job_does_not_send_with_an_expired_password(self):
        # Queued by Send & Print while the password was valid; the job runs after it expired.
        invoice = self.ready_invoice()
        wizard = (
            self.env["account.move.send.batch.wizard"]
            .with_context(active_model="account.move", active_ids=(invoice | self.ready_invoice()).ids)
            .create({})
        )
        wizard.action_send_and_print()
        self.expire_password()
        self.env["account.move"]._cron_account_move_send()
        self.assertEqual(self.api_calls(), {})
        self.assertFalse(invoice.chorus_flux_ids)
        # As every failed sending of the job: the state says so and the chatter why.
        self.assertEqual(invoice.chorus_send_state, "error")
        self.assertIn("expired on", invoice.message_ids[0].body)

    def test_a_password_expiring_today_still_sends(self):
        self.expire_password(days_ago=0)
        invoice = self.ready_invoice()
        self.assertEqual(invoice.chorus_send()[invoice.id]["result"], "sent")
        self.assertEqual(invoice.chorus_send_state, "sent")
        self.assertEqual(self.api_calls().get("factures/v1/deposer/flux"), 1)
