"""Play the validator (main contractor, group's representative) on a running sandbox.

    python3 -m chorus_core.sandbox.validator INV/2026/00012 accept
    python3 -m chorus_core.sandbox.validator INV/2026/00012 refuse --reason "Travaux non réceptionnés"
    python3 -m chorus_core.sandbox.validator INV/2026/00012 wrong     # "I am not this invoice's validator"
    python3 -m chorus_core.sandbox.validator INV/2026/00012 late      # the validation delay passes

A subcontractor's (A9) or co-contractor's (A12) invoice waits for its validator (A_VALIDER_1) before
the buyer sees it; this does on the sandbox what the validator does on its side of Chorus Pro,
through the control route ``/sandbox/invoices/validation``. The supplier's Odoo sees it at its next
synchronisation; ``python3 -m chorus_core.sandbox.recipient`` then plays the buyer.
"""

import argparse
import sys

import requests

from .lifecycle import VALIDATOR_DECISIONS
from .recipient import DEFAULT_URL, RecipientError, play


def decide(url, number, decision, reason=None):
    """Apply the validator's ``decision`` to the latest sandbox invoice numbered ``number``."""
    return play(url, number, "validation", f"'{decision}'", decision=decision, motif=reason)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m chorus_core.sandbox.validator", description=__doc__.splitlines()[0]
    )
    parser.add_argument("number", help="the invoice number, as Odoo shows it")
    parser.add_argument("decision", choices=VALIDATOR_DECISIONS, help="what the validator does")
    parser.add_argument("--reason", help="the validator's reason (needed to refuse)")
    parser.add_argument("--url", default=DEFAULT_URL, help=f"the sandbox (default {DEFAULT_URL})")
    args = parser.parse_args(argv)
    try:
        invoice = decide(args.url, args.number, args.decision, args.reason)
    except (RecipientError, requests.RequestException) as error:
        sys.stderr.write(f"{error}\n")
        return 1
    sys.stdout.write(f"{args.number} is now {invoice['statut']} on the sandbox.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
