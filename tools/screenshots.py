"""The pictures of the README and the Apps page (static/description/), from a running `make demo`.

    python3 tools/screenshots.py [--url http://127.0.0.1:8069] [--out static/description]

Logs in as the demo's user, opens each screen (a URL, or an action that the demo's records give,
run in the page like a click would), waits for what it must show and saves a PNG. Chromium is
driven over its DevTools protocol with websocket-client (a test requirement).
"""

import argparse
import base64
import itertools
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

REPO = pathlib.Path(__file__).resolve().parent.parent
WINDOW = (1440, 900)
TIMEOUT = 90  # the first page of a new database also builds its assets


class Browser:
    """One headless Chromium page, driven over the DevTools protocol."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="chorus_screenshots_")
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--window-size={WINDOW[0]},{WINDOW[1]}",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = self._devtools_port()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as answer:
            page = next(target for target in json.load(answer) if target["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=TIMEOUT, suppress_origin=True)
        self.ids = itertools.count(1)
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride", width=WINDOW[0], height=WINDOW[1], deviceScaleFactor=1, mobile=False
        )

    def _devtools_port(self):
        path = pathlib.Path(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if path.exists() and path.read_text().strip():
                return int(path.read_text().split()[0])
            time.sleep(0.1)
        raise RuntimeError("Chromium did not open its DevTools port")

    def call(self, method, **params):
        call_id = next(self.ids)
        self.socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def goto(self, url):
        self.call("Page.navigate", url=url)

    def wait_for(self, selector):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                time.sleep(0.8)  # the last renders and transitions
                return
            time.sleep(0.2)
        raise RuntimeError(f"{selector!r} never appeared")

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def rpc(browser, model, method, args, kwargs=None):
    """``model.method(*args)`` through the page's session, as the web client calls it."""
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
    )
    request = f"{{method: 'POST', headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(body)}}}"
    answer = browser.evaluate(f"fetch('/web/dataset/call_kw', {request}).then(r => r.json())")
    if "error" in answer:
        raise RuntimeError(f"{model}.{method}: {answer['error']['data']['message']}")
    return answer["result"]


def xmlid(browser, name):
    module, record = name.split(".")
    found = rpc(
        browser,
        "ir.model.data",
        "search_read",
        [[("module", "=", module), ("name", "=", record)]],
        {"fields": ["res_id"]},
    )
    if not found:
        raise RuntimeError(f"{name} is not in this database: is it the demo (make demo)?")
    return found[0]["res_id"]


def do_action(browser, action):
    """Run an action dict in the web client, as a button would."""
    browser.evaluate(f"odoo.__WOWL_DEBUG__.root.env.services.action.doAction({json.dumps(action)})")


def open_tab(browser, page_url, tab):
    """A form at ``page_url``, on its notebook page ``tab`` (a click, as a user would)."""
    browser.goto(page_url)
    browser.wait_for(f"a[name={tab}]")
    browser.evaluate(f"document.querySelector('a[name={tab}]').click()")


def demo_invoice(browser, name):
    return xmlid(browser, f"l10n_fr_chorus_pro.{name}")


def find_on_chorus(browser, url):
    """The draft to the town hall not yet known as a public buyer, and its Find on Chorus Pro searched for 'commune'."""
    invoice = demo_invoice(browser, "demo_invoice_find_buyer")
    browser.goto(f"{url}/odoo/customer-invoices/{invoice}")
    browser.wait_for("button[name=action_chorus_find_buyer]")
    wizard = rpc(browser, "account.move", "action_chorus_find_buyer", [[invoice]])["res_id"]
    rpc(browser, "chorus.directory.wizard", "write", [[wizard], {"search_name": "commune"}])
    do_action(browser, rpc(browser, "chorus.directory.wizard", "action_search", [[wizard]]))


def shots(browser, url):
    """(file name, what to do, the selector that says it is on screen)."""
    invoices = "/odoo/customer-invoices"
    return [
        (
            "invoice-form-banner.png",
            lambda: browser.goto(f"{url}{invoices}/{demo_invoice(browser, 'demo_invoice_not_ready')}"),
            "[name=chorus_preflight_banner]",
        ),
        (
            "invoice-form-sent.png",
            lambda: browser.goto(f"{url}{invoices}/{demo_invoice(browser, 'demo_invoice_suspended')}"),
            ".o_field_badge, .badge",
        ),
        (
            "send-wizard.png",
            lambda: do_action(
                browser,
                rpc(
                    browser,
                    "account.move",
                    "action_chorus_send",
                    [
                        [
                            demo_invoice(browser, name)
                            for name in (
                                "demo_invoice_ready_commune",
                                "demo_invoice_ready_state",
                                "demo_invoice_not_ready",
                            )
                        ]
                    ],
                ),
            ),
            ".modal .o_form_view",
        ),
        (
            "dashboard.png",
            lambda: browser.goto(f"{url}/odoo/chorus-pro"),
            ".o_list_view, .o_kanban_view",
        ),
        (
            "complete-wizard.png",
            lambda: do_action(
                browser,
                rpc(
                    browser,
                    "account.move",
                    "action_chorus_complete",
                    [[demo_invoice(browser, "demo_invoice_suspended")]],
                ),
            ),
            ".modal .o_form_view",
        ),
        (
            "interest-computation.png",
            lambda: open_tab(
                browser, f"{url}{invoices}/{demo_invoice(browser, 'demo_invoice_paid_late')}", "chorus_payment_delay"
            ),
            "div[name=chorus_receipt_date]",
        ),
        (
            "interest-claim.png",
            lambda: do_action(
                browser,
                rpc(
                    browser,
                    "account.move",
                    "action_chorus_claim_late_interest",
                    [[demo_invoice(browser, "demo_invoice_paid_late")]],
                ),
            ),
            ".o_form_view [name=invoice_line_ids]",
        ),
        (
            "find-on-chorus.png",
            lambda: find_on_chorus(browser, url),
            ".modal .o_data_row",
        ),
        (
            "engagement-check.png",
            lambda: browser.goto(f"{url}{invoices}/{demo_invoice(browser, 'demo_invoice_engagement_typo')}"),
            # The whole sheet from its top: the customer, the number and what Chorus Pro said of it.
            ".o_form_sheet:has(div[name=chorus_engagement_check] .badge)",
        ),
        (
            "subcontractor-invoice.png",
            lambda: open_tab(
                browser, f"{url}{invoices}/{demo_invoice(browser, 'demo_invoice_subcontractor')}", "chorus_status_page"
            ),
            # The tab's own content: its status, its validator and submission, then the circuit's history.
            ".tab-pane.active div[name=chorus_status]",
        ),
        (
            "settings.png",
            lambda: browser.goto(f"{url}/odoo/action-account.action_account_config"),
            "[name=chorus_environment]",
        ),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('DEMO_ODOO_PORT', '8069')}")
    parser.add_argument("--login", default="chorus")
    parser.add_argument("--password", default="chorus")
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "static" / "description")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    browser = Browser(args.chromium)
    try:
        browser.goto(f"{args.url}/web/login")
        browser.wait_for("form.oe_login_form")
        browser.evaluate(
            f"document.querySelector('#login').value = {json.dumps(args.login)};"
            f"document.querySelector('#password').value = {json.dumps(args.password)};"
            "document.querySelector('form.oe_login_form').submit()"
        )
        browser.wait_for(".o_web_client, .o_main_navbar")
        for name, show, selector in shots(browser, args.url):
            show()
            browser.wait_for(selector)
            browser.evaluate(f"document.querySelector({json.dumps(selector)}).scrollIntoView()")
            time.sleep(0.5)
            browser.screenshot(args.out / name)
            print(f"{args.out / name}")
            browser.evaluate("document.querySelectorAll('.modal .btn-close').forEach(b => b.click())")
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
