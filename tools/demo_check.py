"""The demo works end to end: `make demo` serves its login page and prints its URL (both delays are printed), the
printed login works, and a ready demo invoice sent over JSON-RPC with ``chorus_send()`` is deposited on the
demo's sandbox.

Run by tools/run_demo_test.sh (``make test`` when Odoo is importable) against a demo it started on
ports of its own; exits non-zero with the reason on any failure.
"""

import argparse
import re
import sys
import time

import requests

LOGIN_PAGE_TARGET = 120  # seconds from `make demo` to its login page, on a fresh database
TIMEOUT = 30
READY_LINE = "Chorus Pro demo: "  # tools/demo_server.py prints the URL once the bootstrap is done
PRINTED_LOGIN = re.compile(r"Login: (\S+)\s+Password: (\S+)")


class DemoError(Exception):
    pass


class JsonRpc:
    def __init__(self, url):
        self.url = url
        self.session = requests.Session()
        self.ids = 0

    def call(self, path, params):
        self.ids += 1
        body = {"jsonrpc": "2.0", "method": "call", "params": params, "id": self.ids}
        answer = self.session.post(f"{self.url}{path}", json=body, timeout=TIMEOUT)
        answer.raise_for_status()
        payload = answer.json()
        if "error" in payload:
            raise DemoError(f"{path}: {payload['error']['data']['message']}")
        return payload["result"]

    def model(self, model, method, *args, **kwargs):
        return self.call("/web/dataset/call_kw", {"model": model, "method": method, "args": args, "kwargs": kwargs})


def wait_for_login_page(url, started, limit):
    while time.monotonic() - started < limit:
        try:
            if requests.get(f"{url}/web/login", timeout=TIMEOUT).status_code == 200:
                return time.monotonic() - started
        except (requests.ConnectionError, requests.Timeout):  # not up yet, or building its assets
            pass
        time.sleep(1)
    raise DemoError(f"no login page at {url}/web/login after {limit} s")


def wait_for_ready_line(output, started, limit):
    while time.monotonic() - started < limit:
        with open(output, encoding="utf-8", errors="replace") as printed:
            if READY_LINE in printed.read():
                return time.monotonic() - started
        time.sleep(0.5)
    raise DemoError(f"make demo printed no URL after {limit} s")


def printed_login(output):
    """The login and password the demo printed with its URL."""
    with open(output, encoding="utf-8", errors="replace") as printed:
        found = PRINTED_LOGIN.search(printed.read())
    if not found:
        raise DemoError("make demo printed no login")
    return found.groups()


def verdict(seconds):
    # A figure to read, not a failure: speed targets are not timed tests.
    return "met" if seconds <= LOGIN_PAGE_TARGET else "NOT met on this run"


def demo_record(rpc, name):
    found = rpc.model(
        "ir.model.data", "search_read", [("module", "=", "l10n_fr_chorus_pro"), ("name", "=", name)], fields=["res_id"]
    )
    if not found:
        raise DemoError(f"the demo record l10n_fr_chorus_pro.{name} is missing: demo data not loaded?")
    return found[0]["res_id"]


def check(url, sandbox_url, db, login, password):
    rpc = JsonRpc(url)
    user = rpc.call("/web/session/authenticate", {"db": db, "login": login, "password": password})
    if not user.get("uid"):
        raise DemoError(f"the printed login {login} / {password} does not work")
    invoice_id = demo_record(rpc, "demo_invoice_ready_region")
    [invoice] = rpc.model("account.move", "read", [invoice_id], ["name"])
    result = rpc.model("account.move", "chorus_send", [invoice_id])[str(invoice_id)]
    if result["result"] != "sent":
        raise DemoError(f"chorus_send() of {invoice['name']}: {result}")
    [flux] = rpc.model("chorus.flux", "read", [result["flux_id"]], ["name"])
    deposited = requests.get(f"{sandbox_url}/sandbox/fluxes", timeout=TIMEOUT).json()["fluxes"]
    numbers = [entry["numeroFluxDepot"] for entry in deposited if entry["numeroFluxDepot"] == flux["name"]]
    if not numbers:
        raise DemoError(f"the deposit {flux['name']} of {invoice['name']} is not on the sandbox")
    return invoice["name"], numbers


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--sandbox-url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", help="default: the login the demo printed")
    parser.add_argument("--password", help="default: the password the demo printed")
    parser.add_argument("--started", type=float, help="time.monotonic() when the demo was started")
    parser.add_argument("--output", required=True, help="the file make demo prints to")
    args = parser.parse_args(argv)
    started = args.started or time.monotonic()
    try:
        login = wait_for_login_page(args.url, started, LOGIN_PAGE_TARGET * 3)
        ready = wait_for_ready_line(args.output, started, LOGIN_PAGE_TARGET * 3)
        print(
            f"demo: login page {login:.0f} s after make demo started (target {LOGIN_PAGE_TARGET} s: {verdict(login)}), "
            f"invoices sent and URL printed after {ready:.0f} s ({verdict(ready)})"
        )
        login, password = printed_login(args.output)
        name, numbers = check(args.url, args.sandbox_url, args.db, args.login or login, args.password or password)
    except (DemoError, requests.RequestException) as error:
        print(f"demo: FAILED: {error}", file=sys.stderr)
        return 1
    print(f"demo: {name} sent with chorus_send() over JSON-RPC, deposited on the sandbox as {', '.join(numbers)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
