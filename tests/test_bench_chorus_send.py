"""Benchmark of sending to Chorus Pro: ``chorus_send()`` on 20 and 100 invoices against the local sandbox.

Run by ``make bench`` (tag ``chorus_bench``), not by the suite; it asserts nothing and appends its
table to the file named by CHORUS_BENCH_REPORT. Each invoice already has its printed Factur-X (made
without wkhtmltopdf: the report's own speed is in the Factur-X bench), so this measures what sending
adds: the pre-flight (Schematron included), the deposit over HTTP and the bookkeeping.
"""

import logging
import os
import time
import tracemalloc

from odoo.tests import tagged

from .facturx_common import ChorusFacturxCommon
from .sandbox_common import ChorusSandboxCommon, attach_printed_facturx

_logger = logging.getLogger(__name__)

BATCHES = (20, 100)
SECONDS_PER_INVOICE_TARGET = 0.5
QUERIES_PER_INVOICE_TARGET = 100


@tagged("chorus_bench", "-standard", "post_install", "-at_install")
class BenchChorusSend(ChorusSandboxCommon, ChorusFacturxCommon):
    def _batch(self, count):
        service = self.env["chorus.service"].create(
            {"partner_id": self.buyer.id, "code": f"SERVICE_GENERAL_{count}", "name": "Service général"}
        )
        invoices = self.env["account.move"]
        for _index in range(count):
            invoices |= self._chorus_invoice(
                chorus_service_id=service.id, invoice_line_ids=[self._line(120.0), self._line(35.5, self.tax_10)]
            )
        for invoice in invoices:
            attach_printed_facturx(invoice)
        return invoices

    def test_bench_chorus_send(self):
        rows = []
        for count in BATCHES:
            invoices = self._batch(count)
            self.sandbox.control.reset_stats()
            self.env.invalidate_all()
            queries = self.env.cr.sql_log_count
            tracemalloc.start()
            start = time.perf_counter()
            results = invoices.chorus_send()
            seconds = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            queries = self.env.cr.sql_log_count - queries
            sent = sum(result["result"] == "sent" for result in results.values())
            deposits = self.sandbox.control.stats()["calls"].get("factures/v1/deposer/flux", 0)
            per_invoice = seconds / count
            rows.append(
                f"{count:>8} | {sent:>4} | {deposits:>8} | {seconds:>7.1f} s | {per_invoice:>8.3f} s | "
                f"{queries / count:>11.0f} | {peak / 1024 / 1024:>7.1f} MB"
            )
            rows.append(
                f"  target <= {SECONDS_PER_INVOICE_TARGET} s and <= {QUERIES_PER_INVOICE_TARGET} queries per invoice: "
                + (
                    "met"
                    if per_invoice <= SECONDS_PER_INVOICE_TARGET and queries / count <= QUERIES_PER_INVOICE_TARGET
                    else "NOT met"
                )
            )
        report = "\n".join(
            [
                "Sending to Chorus Pro (chorus_send, local sandbox over HTTP, PDFs made beforehand)",
                "invoices | sent | deposits |    wall | /invoice | queries/inv | peak Python",
                *rows,
            ]
        )
        _logger.info("\n%s", report)
        path = os.environ.get("CHORUS_BENCH_REPORT")
        if path:
            with open(path, "a", encoding="utf-8") as output:
                output.write("\n" + report + "\n")
