import contextlib
import io
import logging
import threading
import time
from unittest.mock import patch

from reportlab.pdfgen import canvas

from odoo.tests.common import HOST
from odoo.tools import config

from odoo.addons.base.models import ir_actions_report
from odoo.addons.l10n_fr_chorus_pro.chorus_core.auth import clear_token_cache
from odoo.addons.l10n_fr_chorus_pro.chorus_core.sandbox import SandboxServer, fixtures

from .common import ChorusCommon, allow_custom_environment

# As Odoo's HttpCase: how long a test waits for the request threads still using its cursor.
REQUEST_THREADS_TIMEOUT = 10
SANDBOX_SECRETS = (
    fixtures.CLIENT_ID,
    fixtures.CLIENT_SECRET,
    fixtures.TECH_LOGIN,
    fixtures.TECH_PASSWORD,
)


def attach_printed_facturx(invoice):
    """Give ``invoice`` a printed Factur-X PDF made without wkhtmltopdf (which a test server may not reach)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 770, invoice.name)
    page.save()
    attachment = invoice.env["ir.attachment"].create(
        {
            "name": f"{invoice.name.replace('/', '_')}.pdf",
            "raw": invoice._chorus_facturx_embed(buffer.getvalue()),
            "mimetype": "application/pdf",
            "res_model": "account.move",
            "res_id": invoice.id,
            "res_field": "invoice_pdf_report_file",
        }
    )
    # As Send & Print does when it links a PDF: the invoice reads its PDF again.
    invoice.invalidate_recordset(["invoice_pdf_report_id", "invoice_pdf_report_file"])
    return attachment


def print_from_this_server(env):
    """wkhtmltopdf loads the report's styles from the report URL: make it this test server.

    The base URL of the test database is the port of whoever built its template, maybe another
    Odoo's, or nobody's.
    """
    env["ir.config_parameter"].sudo().set_param("report.url", f"http://{HOST}:{config['http_port']}")


def print_in_test_mode(test):
    """Let wkhtmltopdf load the report's styles from the test server, which then shares the test's cursor.

    A request thread may still be closing its use of that cursor after wkhtmltopdf has read its answer
    and exited; the test goes on only once those threads are done (Odoo's HttpCase waits for them too,
    at the end of each test), else both use the cursor at once and mix up their queries.
    """
    test.registry.enter_test_mode(test.cr)
    test.addCleanup(test.registry.leave_test_mode)
    base = ir_actions_report.IrActionsReport
    run = base._run_wkhtmltopdf

    def run_then_wait_for_requests(*args, **kwargs):
        try:
            return run(*args, **kwargs)
        finally:
            _wait_for_request_threads()

    test.startPatcher(patch.object(base, "_run_wkhtmltopdf", run_then_wait_for_requests))
    test.addCleanup(_wait_for_request_threads)


def _wait_for_request_threads():
    deadline = time.monotonic() + REQUEST_THREADS_TIMEOUT
    for thread in threading.enumerate():
        if thread.name.startswith("odoo.service.http.request."):
            thread.join(max(0.0, deadline - time.monotonic()))


def count_wkhtmltopdf_runs(test):
    """The mock that sees every run of wkhtmltopdf (Odoo's own method) until the end of ``test``."""
    base = ir_actions_report.IrActionsReport
    return test.startPatcher(patch.object(base, "_run_wkhtmltopdf", autospec=True, side_effect=base._run_wkhtmltopdf))


class SandboxRequestsMixin:
    """Lets the client's (connect, read) timeouts through Odoo's test HTTP guard."""

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's test handler compares the timeout with a number; the client sends (connect, read), as
        # requests allows.
        if isinstance(kw.get("timeout"), tuple):
            kw["timeout"] = max(kw["timeout"])
        return super()._request_handler(s, r, **kw)


class ChorusSandboxCommon(SandboxRequestsMixin, ChorusCommon):
    """ChorusCommon whose company talks to a local sandbox (custom environment, sandbox credentials)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        allow_custom_environment(cls)
        cls.sandbox = cls.enterClassContext(SandboxServer(port=0))
        cls.company.siret = fixtures.SUPPLIER_SIRET
        cls.company.sudo().write(
            {
                "chorus_environment": "custom",
                "chorus_api_url": cls.sandbox.base_url,
                "chorus_oauth_url": cls.sandbox.oauth_url,
                "chorus_client_id": fixtures.CLIENT_ID,
                "chorus_client_secret": fixtures.CLIENT_SECRET,
                "chorus_login": fixtures.TECH_LOGIN,
                "chorus_password": fixtures.TECH_PASSWORD,
            }
        )

    def setUp(self):
        super().setUp()
        self.sandbox.control.reset()
        # Each test gets its own token, so the counts of calls do not depend on the order of the tests.
        clear_token_cache()

    def run_sync(self, **options):
        """The sync job as ir.cron runs it: passes while invoices remain to refresh."""
        for _attempt in range(20):
            if not self.env["account.move"]._cron_chorus_sync(**options):
                return
        self.fail("the synchronisation never finished")

    def api_calls(self, prefix=""):
        """Calls the sandbox answered since the last reset, by service, optionally only under ``prefix``."""
        calls = self.sandbox.control.stats()["calls"]
        return {service: count for service, count in calls.items() if service.startswith(prefix)}

    @contextlib.contextmanager
    def capture_module_logs(self):
        """Every record logged by the add-on (client included), down to DEBUG, as formatted lines."""
        lines = []

        class Collector(logging.Handler):
            def emit(self, record):
                lines.append(self.format(record))

        logger = logging.getLogger("odoo.addons.l10n_fr_chorus_pro")
        handler = Collector(logging.DEBUG)
        previous = logger.level, logger.propagate
        logger.addHandler(handler)
        # DEBUG lines are for this check only, not for the test log.
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        try:
            yield lines
        finally:
            logger.removeHandler(handler)
            logger.level, logger.propagate = previous

    def assertNoSecret(self, text, secrets=SANDBOX_SECRETS):
        for secret in secrets:
            self.assertNotIn(secret, text)
