"""What the status synchronisation reads from Chorus Pro, as plain data (chorus-pro-api.md §3.3, §3.4, §3.6).

The Odoo side keeps its dates as naive UTC datetimes to the second; Chorus writes ISO-8601 with
milliseconds and an offset. Everything here speaks the Odoo way: ``utc_naive`` converts.
"""

import datetime

from . import invoice_statuses
from .errors import ChorusBusinessError, ChorusTransportError

# Searches by date of the current status start this much before the last successful run: the clocks of
# Chorus Pro and of the Odoo server may differ, and a status written while we searched must not be missed.
OVERLAP = datetime.timedelta(minutes=10)
# Statuses that ask the supplier to act (complete, re-route, re-issue): a message and an activity each time.
NOTIFIED_STATUSES = tuple(
    status.code for status in invoice_statuses.STATUSES if status.action != invoice_statuses.ACTION_NONE
)


def utc_naive(value):
    """A Chorus date-time (``2026-12-01T10:00:00.000+01:00``) as a naive UTC datetime to the second, or None.

    A value without an offset is taken as UTC; a plain date as its midnight UTC.
    """
    if not value:
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def search_window_start(last_run):
    """The aware ``periodeDateHeureEtatCourantDu`` of a search for changes since ``last_run`` (naive UTC)."""
    return last_run.replace(tzinfo=datetime.timezone.utc) - OVERLAP


def refuses_request_shape(error):
    """Whether a ChorusError says Chorus Pro does not take a request of this shape, rather than being out of reach.

    A 400, a business refusal of the criteria, or a 500 (how the platform answers some dates it does
    not parse, chorus-pro-api.md §1.5); a 502, 503 or 504 is an outage, not a refusal.
    """
    if isinstance(error, ChorusBusinessError):
        return error.kind in ("bad_request", "business")
    return isinstance(error, ChorusTransportError) and error.http_status == 500


def current_states(invoices):
    """``{identifiantFactureCPP (str): (statut, naive UTC date)}`` of a ``rechercher/fournisseur`` answer."""
    return {
        str(item["identifiantFactureCPP"]): (item.get("statut"), utc_naive(item.get("dateHeureEtatCourant")))
        for item in invoices
        if item.get("identifiantFactureCPP")
    }


def history_entries(answer):
    """The ``histoStatut`` of a ``consulter/historique`` answer, oldest first: dicts ``id, status, date, comment``.

    ``id`` is the line's ``histoStatutId`` as a string (an int64 on the platform), None when absent.
    """
    items = (answer.get("historiquesDesStatuts") or {}).get("histoStatut") or []
    if isinstance(items, dict):  # a lone object where a list is declared (§2)
        items = [items]
    entries = [
        {
            "id": str(item["histoStatutId"]) if item.get("histoStatutId") is not None else None,
            "status": item["histoStatutCode"],
            "date": utc_naive(item.get("histoStatutDatePassage")),
            "comment": (item.get("histoStatutCommentaire") or "").strip() or None,
            "order": item.get("histoStatutId") or 0,
        }
        for item in items
        if item.get("histoStatutCode") and utc_naive(item.get("histoStatutDatePassage"))
    ]
    entries.sort(key=lambda entry: (entry["date"], entry["order"]))
    return [{key: entry[key] for key in ("id", "status", "date", "comment")} for entry in entries]


def unrecorded_entries(entries, lines):
    """The entries of a history not recorded yet, and the recorded lines they name.

    ``lines`` are the recorded lines as dicts ``key, id, status, date``. An entry is known by its id;
    a line recorded before ids were kept (``id`` None) is the first entry of its (status, date) and
    takes its id; an entry without an id is known by (status, date). Returns ``(new, named)``: the
    entries to record, oldest first, and ``{line key: id}`` for the lines that take an id.
    """
    ids = {line["id"] for line in lines if line["id"]}
    passages = {(line["status"], line["date"]) for line in lines}
    unnamed = {}
    for line in lines:
        if not line["id"]:
            unnamed.setdefault((line["status"], line["date"]), []).append(line["key"])
    new, named = [], {}
    for entry in entries:
        passage = (entry["status"], entry["date"])
        if entry["id"] is None:
            if passage not in passages:
                new.append(entry)
        elif entry["id"] not in ids:
            if unnamed.get(passage):
                named[unnamed[passage].pop(0)] = entry["id"]
            else:
                new.append(entry)
            ids.add(entry["id"])
        passages.add(passage)
    return new, named


def current_entry(answer):
    """The entry of the current status (``statutCourantCode``): its latest passage; None without a status."""
    code = answer.get("statutCourantCode")
    if not code:
        return None
    passages = [entry for entry in history_entries(answer) if entry["status"] == code]
    if passages:
        return passages[-1]
    return {"id": None, "status": code, "date": None, "comment": None}


def deposit_errors(report):
    """``{invoice number: [messages]}`` of a ``consulterCRDetaille`` answer's ``listeErreurDP``.

    ``libelleErreurDP`` may hold several messages joined by ``|`` (§3.3).
    """
    errors = {}
    for entry in report.get("listeErreurDP") or []:
        number = (entry.get("numeroDP") or "").strip()
        messages = [part.strip() for part in (entry.get("libelleErreurDP") or "").split("|") if part.strip()]
        if number:
            errors.setdefault(number, []).extend(messages)
    return errors


def technical_errors(report):
    """The ``libelleErreur`` of ``listeErreurTechnique``: what made a whole deposit fail."""
    return [entry["libelleErreur"] for entry in report.get("listeErreurTechnique") or [] if entry.get("libelleErreur")]
