"""Benchmark of sending to Chorus Pro: ``chorus_send()`` on 20 and 100 invoices against the local sandbox.

Run by ``make bench`` (tag ``chorus_bench``), not by the suite; it asserts nothing and appends its
tables to the file named by CHORUS_BENCH_REPORT. First the "Send to Chorus Pro" wizard opened on 100
invoices (their quick checks; the Factur-X is checked when they are sent). Then two runs of sending:

- PDFs made beforehand (a printed Factur-X made without wkhtmltopdf): what sending adds, the
  pre-flight (Schematron included), the deposit over HTTP and the bookkeeping;
- PDFs included: no PDF yet, so Send & Print's document generation renders every invoice with
  wkhtmltopdf (one report call per batch) before it is deposited.

Memory is the growth of the Odoo process's peak resident set (Linux's VmHWM, reset before each
run): tracemalloc would count Python objects only and, measured here, doubles the time of a run
with PDFs (44.5 s against 20.3 s for 20 invoices).
"""

import logging
import os
import re
import time

from odoo.tests import tagged

from .facturx_common import ChorusFacturxCommon
from .sandbox_common import (
    ChorusSandboxCommon,
    attach_printed_facturx,
    count_wkhtmltopdf_runs,
    print_from_this_server,
    print_in_test_mode,
)

_logger = logging.getLogger(__name__)

BATCHES = (20, 100)
SECONDS_PER_INVOICE_TARGET = 0.5
QUERIES_PER_INVOICE_TARGET = 100
# PDFs included: 100 invoices in under a minute, and as many queries per invoice at 20 as at 100.
PDF_RUN_SECONDS_TARGET = 60
PDF_RUN_TARGET_COUNT = 100
# The wizard opens on a selection of this many invoices in about as long as a form takes.
WIZARD_COUNT = 100
WIZARD_SECONDS_TARGET = 2.0
HEADER = "invoices | sent | deposits |    wall | /invoice | queries/inv |  peak RSS + | wkhtmltopdf runs"


def _rss_kib(field):
    with open("/proc/self/status", encoding="ascii") as status:
        return int(re.search(rf"^{field}:\s+(\d+) kB", status.read(), re.MULTILINE).group(1))


def reset_peak_rss():
    """The resident set now (KiB), its peak reset to it (``clear_refs``: 5); None where Linux does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
        return _rss_kib("VmRSS")
    except OSError:
        return None


def peak_rss_growth(start):
    return "n/a" if start is None else f"{(_rss_kib('VmHWM') - start) / 1024:.1f} MB"


@tagged("chorus_bench", "-standard", "post_install", "-at_install")
class BenchChorusSend(ChorusSandboxCommon, ChorusFacturxCommon):
    def _batch(self, count, tag):
        service = self.env["chorus.service"].create(
            {"partner_id": self.buyer.id, "code": f"SERVICE_GENERAL_{tag}_{count}", "name": "Service général"}
        )
        invoices = self.env["account.move"]
        for _index in range(count):
            invoices |= self._chorus_invoice(
                chorus_service_id=service.id, invoice_line_ids=[self._line(120.0), self._line(35.5, self.tax_10)]
            )
        return invoices

    def _measure(self, invoices):
        """One ``chorus_send()`` of ``invoices``: its row of the table and its queries per invoice."""
        count = len(invoices)
        self.sandbox.control.reset_stats()
        self.env.invalidate_all()
        self.wkhtmltopdf.reset_mock()
        queries = self.env.cr.sql_log_count
        rss = reset_peak_rss()
        start = time.perf_counter()
        results = invoices.chorus_send()
        seconds = time.perf_counter() - start
        memory = peak_rss_growth(rss)
        per_query = (self.env.cr.sql_log_count - queries) / count
        sent = sum(result["result"] == "sent" for result in results.values())
        deposits = self.sandbox.control.stats()["calls"].get("factures/v1/deposer/flux", 0)
        row = (
            f"{count:>8} | {sent:>4} | {deposits:>8} | {seconds:>7.1f} s | {seconds / count:>8.3f} s | "
            f"{per_query:>11.0f} | {memory:>11} | {self.wkhtmltopdf.call_count:>16}"
        )
        return row, seconds, per_query

    def _constant_queries(self, per_invoice):
        """Whether an invoice costs as many queries in a batch of 100 as in one of 20 (no query per invoice
        that grows with the batch); the batch's fixed cost (token, report, caches) is spread over fewer in 20."""
        (small, at_small), (large, at_large) = zip(BATCHES, per_invoice, strict=True)
        marginal = (at_large * large - at_small * small) / (large - small)
        fixed = (at_small - marginal) * small
        verdict = "met" if marginal <= at_small else "NOT met"
        return (
            f"  target: queries per invoice not growing from {small} to {large} invoices ({at_small:.1f} and "
            f"{at_large:.1f}: {fixed:.0f} per batch + {marginal:.1f} per invoice): {verdict}"
        )

    def _wizard_opened(self):
        invoices = self._batch(WIZARD_COUNT, "wizard")
        self.env.invalidate_all()
        queries = self.env.cr.sql_log_count
        start = time.perf_counter()
        action = invoices.action_chorus_send()
        seconds = time.perf_counter() - start
        queries = self.env.cr.sql_log_count - queries
        lines = self.env["chorus.send.wizard"].browse(action["res_id"]).line_ids
        ready = len(lines.filtered(lambda line: line.status == "ready"))
        verdict = "met" if seconds <= WIZARD_SECONDS_TARGET else "NOT met"
        return [
            "Opening 'Send to Chorus Pro' (action_chorus_send: the quick checks; the Factur-X is checked when sent)",
            f"{WIZARD_COUNT} invoices: {seconds:.2f} s ({seconds / WIZARD_COUNT * 1000:.1f} ms per invoice), "
            f"{queries} queries ({queries / WIZARD_COUNT:.0f} per invoice), {ready} ready",
            f"  target: open in under {WIZARD_SECONDS_TARGET} s: {verdict}",
        ]

    def _sent_beforehand(self):
        rows, per_invoice = [], []
        for count in BATCHES:
            invoices = self._batch(count, "printed")
            for invoice in invoices:
                attach_printed_facturx(invoice)
            row, seconds, queries = self._measure(invoices)
            per_invoice.append(queries)
            rows.append(row)
            met = seconds / count <= SECONDS_PER_INVOICE_TARGET and queries <= QUERIES_PER_INVOICE_TARGET
            rows.append(
                f"  target <= {SECONDS_PER_INVOICE_TARGET} s and <= {QUERIES_PER_INVOICE_TARGET} queries per invoice: "
                + ("met" if met else "NOT met")
            )
        rows.append(self._constant_queries(per_invoice))
        return ["Sending to Chorus Pro (chorus_send, local sandbox over HTTP, PDFs made beforehand)", HEADER, *rows]

    def _pdfs_included(self):
        print_from_this_server(self.env)
        print_in_test_mode(self)
        self.env = self.env(context=dict(self.env.context, force_report_rendering=True))
        rows, per_invoice = [], []
        for count in BATCHES:
            invoices = self._batch(count, "pdf").with_env(self.env)
            row, seconds, queries = self._measure(invoices)
            per_invoice.append(queries)
            rows.append(row)
            if count == PDF_RUN_TARGET_COUNT:
                verdict = "met" if seconds < PDF_RUN_SECONDS_TARGET else "NOT met"
                rows.append(f"  target: {count} invoices in under {PDF_RUN_SECONDS_TARGET} s: {verdict}")
        rows.append(self._constant_queries(per_invoice))
        return ["Sending to Chorus Pro (chorus_send, local sandbox over HTTP, PDFs included)", HEADER, *rows]

    def test_bench_chorus_send(self):
        self.wkhtmltopdf = count_wkhtmltopdf_runs(self)
        report = "\n".join([*self._wizard_opened(), "", *self._sent_beforehand(), "", *self._pdfs_included()])
        _logger.info("\n%s", report)
        path = os.environ.get("CHORUS_BENCH_REPORT")
        if path:
            with open(path, "a", encoding="utf-8") as output:
                output.write("\n" + report + "\n")
