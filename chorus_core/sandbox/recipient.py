"""Play the public buyer on a running sandbox: move one invoice, found by its number, to a status.

    python3 -m chorus_core.sandbox.recipient INV/2026/00010 SUSPENDUE --reason "RIB manquant"
    python3 -m chorus_core.sandbox.recipient --list

What a buyer does on its side of Chorus Pro (take in, suspend, reject, send back for recycling,
certify the service, mandate, pay), through the sandbox's control route ``/sandbox/invoices/status``;
the supplier's Odoo sees it at its next synchronisation.
"""

import argparse
import sys

import requests

from ..invoice_statuses import BY_CODE

DEFAULT_URL = "http://127.0.0.1:8089"
TIMEOUT = 10


class RecipientError(Exception):
    """What the user must fix: an unknown invoice number, a refused status."""


def sandbox_invoices(url):
    answer = requests.get(f"{url}/sandbox/invoices", timeout=TIMEOUT)
    answer.raise_for_status()
    return answer.json()["invoices"]


def play(url, number, route, what, **fields):
    """Post ``fields`` for the latest sandbox invoice numbered ``number`` (the supplier's own number) to the
    control route ``/sandbox/invoices/<route>``; ``what`` names the move in the error."""
    found = [invoice for invoice in sandbox_invoices(url) if invoice["numeroFacture"] == number]
    if not found:
        raise RecipientError(f"The sandbox holds no invoice numbered {number}: send it from Odoo first.")
    body = {"identifiantFactureCPP": found[-1]["identifiantFactureCPP"], **fields}  # its latest deposit
    answer = requests.post(f"{url}/sandbox/invoices/{route}", json=body, timeout=TIMEOUT)
    if answer.status_code >= 400:
        raise RecipientError(f"The sandbox refused {what} for {number}: {answer.text}")
    return answer.json()


def set_status(url, number, status, reason=None):
    """Move the sandbox's invoice numbered ``number`` to ``status``, as its buyer would."""
    return play(url, number, "status", status, statut=status, motif=reason)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m chorus_core.sandbox.recipient", description=__doc__.splitlines()[0]
    )
    parser.add_argument("number", nargs="?", help="the invoice number, as Odoo shows it")
    parser.add_argument("status", nargs="?", type=str.upper, help="a Chorus Pro status code, e.g. MISE_EN_PAIEMENT")
    parser.add_argument("--reason", help="the buyer's reason (needed for SUSPENDUE and REJETEE)")
    parser.add_argument("--url", default=DEFAULT_URL, help=f"the sandbox (default {DEFAULT_URL})")
    parser.add_argument("--list", action="store_true", help="list the sandbox's invoices and their status")
    args = parser.parse_args(argv)
    try:
        if args.list or not args.number:
            for invoice in sandbox_invoices(args.url):
                line = f"{invoice['numeroFacture']:<20} {invoice['statut']:<30} id {invoice['identifiantFactureCPP']}"
                sys.stdout.write(line + "\n")
            return 0
        if args.status not in BY_CODE:
            parser.error(f"unknown status {args.status}; one of: {', '.join(sorted(BY_CODE))}")
        invoice = set_status(args.url, args.number, args.status, args.reason)
    except (RecipientError, requests.RequestException) as error:
        sys.stderr.write(f"{error}\n")
        return 1
    sys.stdout.write(f"{args.number} is now {invoice['statut']} on the sandbox.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
