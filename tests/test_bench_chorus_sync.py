"""Benchmark of the synchronisation: 10,000 invoices in flight on the local sandbox, 1 % of them changed.

Run by ``make bench`` (tag ``chorus_bench``), not by the suite; it appends its table to the file
named by CHORUS_BENCH_REPORT. The invoices are seeded on the sandbox by its control route (an hour
ago, as if the last run had read them) and their Odoo rows inserted by SQL from one real invoice
(a fixture: 10,000 ORM invoices would take minutes to make and measure nothing of the sync).
"""

import datetime
import logging
import os
import time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from ..chorus_core import status_sync
from .sandbox_common import ChorusSandboxCommon

_logger = logging.getLogger(__name__)

IN_FLIGHT = 10_000
CHANGED = 0.01
INVOICES_PER_CALL_TARGET = 50
SECONDS_TARGET = 60
# Columns the fixture sets itself; every other one is copied from the real invoice.
OWN_COLUMNS = ("id", "name", "chorus_identifier", "chorus_status", "chorus_status_date", "chorus_send_state")


@tagged("chorus_bench", "-standard", "post_install", "-at_install")
class BenchChorusSync(ChorusSandboxCommon):
    def _in_flight(self, count, moment):
        seeded = self.sandbox.control.seed_invoices(count, buyer=self.buyer.siret, at=moment.isoformat())
        template = self._chorus_invoice()
        self.env.flush_all()
        self.env.cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'account_move'")
        copied = [SQL.identifier(row[0]) for row in self.env.cr.fetchall() if row[0] not in OWN_COLUMNS]
        self.env.cr.execute(
            SQL(
                """INSERT INTO account_move (name, chorus_identifier, chorus_status, chorus_status_date,
                                             chorus_send_state, %(columns)s)
                   SELECT seeded.number, seeded.identifier, 'MISE_A_DISPOSITION', %(date)s, 'sent', %(template_columns)s
                     FROM account_move template,
                          unnest(%(numbers)s::varchar[], %(identifiers)s::varchar[]) AS seeded(number, identifier)
                    WHERE template.id = %(template)s""",
                columns=SQL(", ").join(copied),
                template_columns=SQL(", ").join(SQL("template.%s", column) for column in copied),
                date=status_sync.utc_naive(moment.isoformat()),
                numbers=seeded["numerosFacture"],
                identifiers=[str(identifier) for identifier in seeded["identifiantsFactureCPP"]],
                template=template.id,
            )
        )
        self.env.invalidate_all()

    def test_bench_chorus_sync(self):
        an_hour_ago = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(hours=1)
        self._in_flight(IN_FLIGHT, an_hour_ago)
        reports = [self._measure("search by date of status change")]
        # Where Chorus Pro refuses that search: one search per invoice in flight, as production clients do.
        self.sandbox.control.configure(refuse_period_search=True)
        reports.append(self._measure("fallback: Chorus Pro refuses the search by date, one search per invoice"))
        report = "\n".join(reports)
        _logger.info("\n%s", report)
        path = os.environ.get("CHORUS_BENCH_REPORT")
        if path:
            with open(path, "a", encoding="utf-8") as output:
                output.write("\n" + report + "\n")

    def _measure(self, mode):
        """One synchronisation after 1 % of the invoices changed, the last run having read all the others."""
        self.company.sudo().write(
            {"chorus_sync_since": fields.Datetime.now(), "chorus_sync_scope": self.company._chorus_sync_current_scope()}
        )
        changed = self.sandbox.control.advance_invoices("SERVICE_FAIT", fraction=CHANGED)["identifiantsFactureCPP"]
        self.sandbox.control.reset_stats()
        queries = self.env.cr.sql_log_count
        start = time.perf_counter()
        passes = 1
        while self.env["account.move"]._cron_chorus_sync():
            passes += 1
        seconds = time.perf_counter() - start
        queries = self.env.cr.sql_log_count - queries
        calls = {
            service: count
            for service, count in self.sandbox.control.stats()["calls"].items()
            if service.startswith(("factures/", "transverses/"))
        }
        updated = self.env["account.move"].search_count(
            [
                ("chorus_identifier", "in", [str(identifier) for identifier in changed]),
                ("chorus_status", "=", "SERVICE_FAIT"),
            ]
        )
        total_calls = sum(calls.values())
        met = (
            total_calls <= IN_FLIGHT / INVOICES_PER_CALL_TARGET and seconds < SECONDS_TARGET and updated == len(changed)
        )
        return "\n".join(
            [
                f"Chorus Pro synchronisation ({mode}): {IN_FLIGHT} invoices in flight, {len(changed)} changed "
                f"({passes} passes of the job, local sandbox over HTTP)",
                *(f"  {service}: {count} calls" for service, count in sorted(calls.items())),
                f"  API calls: {total_calls} (target <= {IN_FLIGHT // INVOICES_PER_CALL_TARGET}); "
                f"SQL queries: {queries}; wall: {seconds:.1f} s (target < {SECONDS_TARGET} s); "
                f"invoices updated: {updated}/{len(changed)}",
                f"  targets: {'met' if met else 'NOT met'}",
            ]
        )
