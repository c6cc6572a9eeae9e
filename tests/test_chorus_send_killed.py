"""A real Odoo process killed (SIGKILL) in the middle of a batch: every invoice reaches Chorus Pro exactly once.

The sender runs in ``odoo shell``, a process of its own on the test database; the sandbox holds each
deposit a moment before processing it, so the process is killed while the sandbox still works on
what it received, as happens when a server is stopped during a send.
"""

import os
import signal
import subprocess
import sys
import time

from odoo.tests import tagged
from odoo.tools import config

from ..models.account_move_chorus_send import ADVISORY_LOCK_NAMESPACE
from ..models.res_company import ALLOW_CUSTOM_OPTION
from .committed_common import ChorusCommittedCommon
from .sandbox_common import attach_printed_facturx

DEPOSIT = "factures/v1/deposer/flux"
INVOICES = 4
# The sandbox holds each deposit this long before recording it: the second one is in its hands when the
# process is killed. Nothing here depends on it being long or short: the test waits for events.
DEPOSIT_HOLD = 2.0
# Longest wait for one event (Odoo loading in the sender, the sandbox, PostgreSQL ending the dead session).
EVENT_TIMEOUT = 180
# The sender is a server of its own: it gets the option allowing the sandbox's custom environment, as the tests do.
SENDER_SCRIPT = """
odoo.tools.config["{option}"] = True
moves = env(context={{"allowed_company_ids": [{company}]}})["account.move"].browse({ids})
moves.chorus_send()
"""


@tagged("post_install", "-at_install")
class TestChorusSendKilled(ChorusCommittedCommon):
    def setUp(self):
        super().setUp()
        # The platform's timing: nothing is processed until the test lets that time pass (see
        # test_chorus_exactly_once.py for why not the sandbox's default step mode).
        self.sandbox.control.configure(flux_mode="manual")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            for _index in range(INVOICES):
                # Their Factur-X PDFs already made: the sender renders nothing.
                attach_printed_facturx(self._commit_invoice(env))

    def _sender(self):
        command = [
            sys.executable,
            "-m",
            "odoo",
            "shell",
            "--no-http",
            "--log-level=warn",
            f"--database={self.env.cr.dbname}",
            f"--addons-path={config['addons_path']}",
            f"--data-dir={config['data_dir']}",
        ]
        command += [f"--{key}={config[key]}" for key in ("db_host", "db_port", "db_user", "db_password") if config[key]]
        script = SENDER_SCRIPT.format(option=ALLOW_CUSTOM_OPTION, company=self.company_id, ids=self.invoice_ids)
        sender = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        sender.stdin.write(script.encode())
        sender.stdin.close()
        return sender

    def _wait_for(self, condition, what, sender=None):
        deadline = time.monotonic() + EVENT_TIMEOUT
        while not condition():
            if sender is not None and sender.poll() is not None:
                self.fail(f"the sender ended before {what}:\n{sender.stdout.read().decode(errors='replace')[-3000:]}")
            if time.monotonic() > deadline:
                self.fail(f"no {what} within {EVENT_TIMEOUT} s")
            time.sleep(0.1)

    def _deposits_received(self):
        return self.sandbox.control.stats()["calls"].get(DEPOSIT, 0)

    def _senders_locks(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = %s"
                " AND objid::bigint = ANY(%s)",
                [ADVISORY_LOCK_NAMESPACE, self.invoice_ids],
            )
            return cr.fetchone()[0]

    def _sync(self):
        for _attempt in range(20):
            with self.registry.cursor() as cr:
                if not self._env(cr)["account.move"]._cron_chorus_sync():
                    return
        self.fail("the synchronisation never finished")

    def test_a_sender_killed_mid_batch_deposits_each_invoice_once(self):
        self.sandbox.control.set_fault(delay=DEPOSIT_HOLD, target=f"/cpro/{DEPOSIT}")
        sender = self._sender()
        try:
            # Killed once the sandbox has received its second deposit, before answering it.
            self._wait_for(lambda: self._deposits_received() >= 2, "second deposit", sender)
            os.killpg(sender.pid, signal.SIGKILL)
        finally:
            sender.kill()
            sender.wait()
        # The sandbox still records what it received; PostgreSQL ends the dead process's session and its locks.
        self._wait_for(lambda: len(self.sandbox.control.fluxes()) == 2, "second deposit recorded")
        self._wait_for(lambda: self._senders_locks() == 0, "end of the killed sender's session")
        self.sandbox.control.clear_faults()

        # The same invoices sent again, before Chorus Pro has processed anything.
        with self.registry.cursor() as cr:
            results = self._env(cr)["account.move"].browse(self.invoice_ids).chorus_send()
        outcomes = [results[invoice_id]["result"] for invoice_id in self.invoice_ids]
        self.assertEqual(outcomes, ["already_sent", "awaiting", "sent", "sent"])
        self.assertEqual(self._deposits_received(), 4)

        # Chorus Pro processes its deposits, then the synchronisation runs.
        self.sandbox.control.process()
        self._sync()
        fluxes = self.sandbox.control.fluxes()
        invoices_on_chorus = self.sandbox.control.invoices()
        with self.registry.cursor() as cr:
            invoices = self._env(cr)["account.move"].browse(self.invoice_ids)
            self.assertEqual(
                sorted(item["numeroFacture"] for item in invoices_on_chorus), sorted(invoices.mapped("name"))
            )
            self.assertEqual({flux["etat"] for flux in fluxes}, {"IN_INTEGRE"})
            deposit_of = {item["numeroFacture"]: item["numeroFluxDepot"] for item in invoices_on_chorus}
            for invoice in invoices:
                self.assertEqual(invoice.chorus_send_state, "sent", invoice.name)
                self.assertEqual(invoice.chorus_flux_id.name, deposit_of[invoice.name], invoice.name)
                self.assertEqual(len(invoice.chorus_flux_ids), 1, invoice.name)
                self.assertEqual(invoice.chorus_status, "MISE_A_DISPOSITION", invoice.name)
