"""The technical account's password expires every 424 days: administrators are reminded a month before, and
nothing is sent to Chorus Pro once it has expired."""

import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import format_date

_logger = logging.getLogger(__name__)

# Chorus Pro technical account passwords expire 424 days after they are set.
CHORUS_PASSWORD_VALIDITY = timedelta(days=424)
CHORUS_PASSWORD_REMINDER_NOTICE = timedelta(days=30)


class ResCompany(models.Model):
    _inherit = "res.company"

    chorus_password_set_date = fields.Date(
        string="Technical Password Set On",
        readonly=True,
        copy=False,
        help="When the technical password was last entered here; it expires 424 days later.",
    )
    # Cleared with each new password, so that one password is never reminded twice.
    chorus_password_reminder_date = fields.Date(string="Technical Password Reminder Sent On", readonly=True, copy=False)

    def write(self, vals):
        if "chorus_password" not in vals:
            return super().write(vals)
        # Settings write every field on each save: only a password that changes is a new one.
        changed = self.sudo().filtered(lambda company: company.chorus_password != (vals["chorus_password"] or False))
        result = super().write(vals)
        if changed and vals["chorus_password"]:
            today = fields.Date.context_today(self)
            renewal = {"chorus_password_set_date": today, "chorus_password_reminder_date": False}
            if "chorus_password_expiry_date" not in vals:
                renewal["chorus_password_expiry_date"] = today + CHORUS_PASSWORD_VALIDITY
            super(ResCompany, changed).write(renewal)
        return result

    def _chorus_check_password_valid(self):
        """False while the technical password may be used; once its expiry date has passed, why nothing is sent."""
        self.ensure_one()
        expiry = self.chorus_password_expiry_date
        if not expiry or expiry >= fields.Date.context_today(self):
            return False
        return _(
            "The Chorus Pro technical password of %(company)s expired on %(date)s: no invoice can be sent to "
            "Chorus Pro. The main manager of your structure renews it on the Chorus Pro portal; then an "
            "administrator enters the new password in Settings > Accounting > Chorus Pro.",
            company=self.name,
            date=format_date(self.env, expiry),
        )

    @api.model
    def _cron_chorus_remind_password_expiry(self):
        """One to-do for each Chorus Pro administrator of a company whose technical password expires within 30 days."""
        today = fields.Date.context_today(self)
        companies = self.sudo().search(
            [
                ("chorus_password", "!=", False),
                ("chorus_password_expiry_date", "!=", False),
                ("chorus_password_expiry_date", "<=", today + CHORUS_PASSWORD_REMINDER_NOTICE),
                ("chorus_password_reminder_date", "=", False),
            ]
        )
        for company in companies:
            company._chorus_schedule_password_reminder()
            company.chorus_password_reminder_date = today
        if companies:
            _logger.info("Chorus Pro password expiry: reminders scheduled for companies %s", companies.ids)

    def _chorus_schedule_password_reminder(self):
        self.ensure_one()
        managers = self.env.ref("l10n_fr_chorus_pro.group_chorus_manager").users.filtered(
            lambda user: user.active and not user.share and self in user.company_ids
        )
        note = _(
            "The Chorus Pro technical password of %(company)s expires on %(date)s (every 424 days). The main "
            "manager of your structure renews it on the Chorus Pro portal; then enter the new password in "
            "Settings > Accounting > Chorus Pro, or invoices can no longer be sent.",
            company=self.name,
            date=format_date(self.env, self.chorus_password_expiry_date),
        )
        for user in managers:
            self.partner_id.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.chorus_password_expiry_date,
                summary=_("Renew the Chorus Pro technical password"),
                note=note,
                user_id=user.id,
            )
