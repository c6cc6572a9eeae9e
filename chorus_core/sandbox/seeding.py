"""Benchmark data for the control routes: many integrated invoices at once, and bulk status changes.

Seeded invoices skip the deposit (no flux, no PDF): they are created integrated, with their
history, for one supplier, as if Chorus Pro had processed a flux of each long ago. The scheduled
sync of the Odoo side can then be measured against thousands of invoices in flight.
"""

import datetime
import math

from .. import invoice_statuses, limits
from . import fixtures, lifecycle, validation
from .state import iso, now

MAX_SEED = 100_000
PREFIX_MAX = 10
DEFAULT_BUYER = "12345678200051"


def _account(login):
    account = fixtures.TECH_ACCOUNTS.get(login)
    if account is None:
        raise ValueError(f"unknown technical account {login}")
    return account


def _moment(at):
    """An ISO date-time with offset (Chorus's way) from ``at``, or now."""
    if not at:
        return iso(now())
    try:
        moment = datetime.datetime.fromisoformat(str(at).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"at must be an ISO date-time, not {at!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now().tzinfo)
    return iso(moment)


def _check_status(status, motif):
    if status not in invoice_statuses.BY_CODE:
        raise ValueError(f"unknown invoice status {status!r}")
    if status in lifecycle.REASON_REQUIRED and not (motif or "").strip():
        raise ValueError(f"motif is mandatory for the status {status}")


def seed(
    state,
    count,
    status=lifecycle.MISE_A_DISPOSITION,
    *,
    login=fixtures.TECH_LOGIN,
    buyer=DEFAULT_BUYER,
    service=None,
    engagement=None,
    amount=120.0,
    date_depot=None,
    at=None,
    motif=None,
    prefix="SEED",
    numbers=None,
):
    """Create ``count`` integrated invoices of the account's supplier, in ``status``.

    Each gets the history DEPOSEE, MISE_A_DISPOSITION (then ``status``) at ``at`` (default now),
    the number ``<prefix>-<id>`` (or the next of ``numbers``, the supplier's own invoice numbers),
    ``amount`` including VAT (net = amount / 1.2) and ``date_depot`` (``YYYY-MM-DD``, default
    today) as deposit and invoice date.
    """
    count = int(count)
    if not 0 < count <= MAX_SEED:
        raise ValueError(f"count must be between 1 and {MAX_SEED}")
    _check_status(status, motif)
    supplier = _account(login)["supplier_siret"]
    errors = validation.routing_errors(buyer, service, engagement)
    if errors:
        raise ValueError(" | ".join(errors))
    # <prefix>-<id> stays within BT-1's 20 characters up to id 999 999 999.
    if len(prefix) > PREFIX_MAX or not limits.INVOICE_NUMBER_PATTERN.match(prefix):
        raise ValueError(f"prefix must be at most {PREFIX_MAX} letters, digits or - _ / +")
    if numbers is not None and (
        len(numbers) != count or any(limits.invoice_number_problem(number) for number in numbers)
    ):
        raise ValueError(f"numbers must be {count} invoice numbers of Chorus Pro's form")
    moment = _moment(at)
    day = date_depot or moment[:10]
    datetime.date.fromisoformat(day)  # ValueError on a bad date
    ttc = round(float(amount), 2)
    net = round(ttc / 1.2, 2)
    steps = [lifecycle.DEPOSEE, lifecycle.MISE_A_DISPOSITION, status]
    steps = [code for index, code in enumerate(steps) if code not in steps[:index]]
    if status == lifecycle.DEPOSEE:
        steps = [lifecycle.DEPOSEE]
    ids, given = [], []
    invoices = state.invoices
    for _ in range(count):
        identifier = state.next_id("invoice")
        number = numbers[len(ids)] if numbers else f"{prefix}-{identifier}"
        invoice = {
            "identifiantFactureCPP": identifier,
            "numeroFacture": number,
            "numeroFluxDepot": None,
            "supplier_siret": supplier,
            "buyer_siret": buyer,
            "codeServiceExecutant": service,
            "numeroBonCommande": engagement,
            "numeroMarche": None,
            "numeroFactureOrigine": None,
            "typeFacture": "FACTURE",
            "cadreFacturation": validation.DEFAULT_FRAMEWORK,
            "dateFacture": day,
            "dateDepot": day,
            "devise": "EUR",
            "montantHT": net,
            "montantTVA": round(ttc - net, 2),
            "montantTTC": ttc,
            "montantAPayer": ttc,
            "statut": None,
            "history": [],
            "seeded": True,
        }
        invoices[str(identifier)] = invoice
        for code in steps:
            lifecycle.set_status(state, invoice, code, motif if code == status else None, moment)
        ids.append(identifier)
        given.append(number)
    return {"count": count, "identifiantsFactureCPP": ids, "numerosFacture": given}


def advance(state, status, *, ids=None, fraction=None, motif=None, at=None, login=None, from_statuses=None):
    """Move the invoices ``ids``, or a ``fraction`` (0 < f <= 1) of those in flight, to ``status`` at once.

    ``fraction`` picks, evenly spread over the ids, ``round(n x fraction)`` (at least one) of the
    n invoices not in a final status, of the supplier of ``login`` when given, in one of
    ``from_statuses`` when given. Like the status control route, ``ids`` may name any invoice,
    even one in a final status. ``at`` backdates the change (default now).
    """
    _check_status(status, motif)
    if (ids is None) == (fraction is None):
        raise ValueError("give either ids or fraction")
    if ids is not None:
        chosen = [state.invoice(identifier) for identifier in ids]
        unknown = [identifier for identifier, invoice in zip(ids, chosen, strict=True) if invoice is None]
        if unknown:
            raise ValueError(f"unknown invoices {unknown[:10]}")
    else:
        fraction = float(fraction)
        if not 0 < fraction <= 1:
            raise ValueError("fraction must be more than 0 and at most 1")
        supplier = _account(login)["supplier_siret"] if login else None
        candidates = sorted(
            (
                invoice
                for invoice in state.invoices.values()
                if not invoice_statuses.is_final(invoice["statut"])
                and (supplier is None or invoice["supplier_siret"] == supplier)
                and (not from_statuses or invoice["statut"] in from_statuses)
            ),
            key=lambda invoice: invoice["identifiantFactureCPP"],
        )
        wanted = min(len(candidates), max(1, round(len(candidates) * fraction))) if candidates else 0
        chosen = [candidates[math.floor(index * len(candidates) / wanted)] for index in range(wanted)]
    moment = _moment(at)
    for invoice in chosen:
        lifecycle.set_status(state, invoice, status, motif or None, moment)
    return {
        "count": len(chosen),
        "statut": status,
        "identifiantsFactureCPP": [invoice["identifiantFactureCPP"] for invoice in chosen],
    }
