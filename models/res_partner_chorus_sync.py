"""Public buyers refreshed from Chorus Pro: the partner's button and the weekly job."""

import logging
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..chorus_core.errors import ChorusError
from ..chorus_core.limits import FORBIDDEN_SERVICE_CODES
from .chorus_batch import claim_batch, commit_if_allowed

_logger = logging.getLogger(__name__)

# Buyers refreshed per pass of the job; it runs again at once while some remain (ir.cron progress).
CHORUS_SYNC_BATCH = 20
# A buyer tried more recently than this is skipped, so the passes of one weekly run never take it twice.
CHORUS_SYNC_MIN_AGE = timedelta(days=1)


class ResPartner(models.Model):
    _inherit = "res.partner"

    chorus_last_sync = fields.Datetime(
        string="Last Update from Chorus Pro",
        readonly=True,
        copy=False,
        help="When the structure, requirements and services were last read from Chorus Pro.",
    )
    # Last try, successful or not: the weekly job moves on from a buyer Chorus Pro could not answer for.
    chorus_last_sync_attempt = fields.Datetime(
        string="Last Try of an Update from Chorus Pro", readonly=True, copy=False
    )

    def action_chorus_update_from_chorus(self):
        if not self.env.user.has_group("l10n_fr_chorus_pro.group_chorus_sender"):
            raise AccessError(_("Only Chorus Pro senders can update public buyers from Chorus Pro."))
        self.check_access("write")
        for partner in self:
            if not partner.siret:
                raise UserError(
                    _(
                        "Set the SIRET of %(partner)s to update it from Chorus Pro.",
                        partner=partner.display_name,
                    )
                )
            company = partner.company_id or self.env.company
            try:
                with company._chorus_client() as client:
                    buyer = client.lookup_buyer(partner.siret)
            except ChorusError as error:
                raise UserError(company._chorus_error_message(error, siret=partner.siret)) from error
            partner._chorus_apply_buyer(buyer)
        return True

    def action_chorus_find_on_chorus(self):
        """Open "Find on Chorus Pro" to fill this customer from a public structure found by name."""
        self.ensure_one()
        wizard = self.env["chorus.directory.wizard"].create(
            {"partner_id": self.commercial_partner_id.id, "search_name": self.commercial_partner_id.name}
        )
        return wizard._chorus_open()

    def _chorus_apply_buyer(self, buyer):
        """Write what ``lookup_buyer`` answered; services are matched by code.

        Services Chorus Pro no longer returns are archived, not deleted: past invoices keep them.
        FACTURES_PUBLIQUES is never kept active, whoever created it: suppliers must not use it.
        """
        self.ensure_one()
        existing = {
            service.code: service
            for service in self.env["chorus.service"]
            .with_context(active_test=False)
            .search([("partner_id", "=", self.id)])
        }
        commands = []
        returned = set()
        for item in buyer["services"]:
            code = item["code"]
            if not code or code in FORBIDDEN_SERVICE_CODES or code in returned:
                continue
            returned.add(code)
            values = {
                "name": item["name"],
                "active": item["active"],
                "engagement_required": item["engagement_required"],
                "chorus_identifier": str(item["service_id"]),
            }
            if code in existing:
                commands.append(Command.update(existing[code].id, values))
            else:
                commands.append(Command.create({"code": code, **values}))
        commands += [
            Command.update(service.id, {"active": False})
            for code, service in existing.items()
            if code not in returned and service.active
        ]
        now = fields.Datetime.now()
        self.write(
            {
                "chorus_structure_identifier": str(buyer["structure_id"]),
                "chorus_requirement": buyer["requirement"],
                "chorus_payment_not_reported": buyer["payment_status_not_reported"],
                "chorus_service_ids": commands,
                "chorus_last_sync": now,
                "chorus_last_sync_attempt": now,
            }
        )

    @api.model
    def _chorus_sync_due_domain(self, companies):
        """Public buyers of these companies (or shared ones) not tried within CHORUS_SYNC_MIN_AGE."""
        cutoff = fields.Datetime.now() - CHORUS_SYNC_MIN_AGE
        return [
            ("chorus_is_public_buyer", "=", True),
            ("siret", "!=", False),
            ("company_id", "in", [*companies.ids, False]),
            "|",
            ("chorus_last_sync_attempt", "=", False),
            ("chorus_last_sync_attempt", "<", cutoff),
        ]

    @api.model
    def _cron_chorus_update_public_buyers(self, batch_size=CHORUS_SYNC_BATCH):
        """Refresh the public buyers of every company configured for Chorus Pro, one batch per pass.

        A buyer Chorus Pro cannot answer for gets the reason in its chatter and the job goes on
        with the next one; without any configured company, nothing is done.
        """
        companies = self.env["res.company"]._chorus_configured_companies()
        if not companies:
            return
        domain = self._chorus_sync_due_domain(companies)
        # A user or another worker holding a buyer's row keeps it: the batch takes the next free ones.
        partners = claim_batch(self, domain, batch_size)
        if not partners:
            return
        failed = 0
        # Shared buyers (no company) are read with the credentials of the first configured company.
        for company, company_partners in partners.grouped(lambda p: p.company_id or companies[0]).items():
            with company._chorus_client() as client:
                for partner in company_partners:
                    if not partner._chorus_update_in_job(client, company):
                        failed += 1
        # The batch's buyers were just tried: they are out of the domain now.
        remaining = self.search_count(domain)
        _logger.info(
            "Chorus Pro buyers update: %s updated, %s failed, %s remaining",
            len(partners) - failed,
            failed,
            remaining,
        )
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        commit_if_allowed(self.env)

    def _chorus_update_in_job(self, client, company):
        """Update one buyer for the weekly job; on failure, note the reason in its chatter and return False."""
        self.ensure_one()
        self.chorus_last_sync_attempt = fields.Datetime.now()
        try:
            buyer = client.lookup_buyer(self.siret)
        except ChorusError as error:
            _logger.info("Chorus Pro update of partner %s failed: %s", self.id, error.kind)
            self.message_post(
                body=_(
                    "The update from Chorus Pro failed: %(reason)s",
                    reason=company._chorus_error_message(error, siret=self.siret),
                ),
                subtype_xmlid="mail.mt_note",
            )
            return False
        self._chorus_apply_buyer(buyer)
        return True
