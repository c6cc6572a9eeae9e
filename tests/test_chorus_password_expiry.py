"""The technical password expires 424 days after it is set: administrators get one to-do 30 days before."""

import datetime

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import ChorusCommon

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
