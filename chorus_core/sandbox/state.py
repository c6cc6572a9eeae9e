"""Everything the sandbox remembers, as one JSON-friendly dict, optionally kept in a file."""

import copy
import datetime
import json
import os
import threading
import zoneinfo

from . import fixtures

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

FLUX_MODES = ("step", "immediate", "manual")

DEFAULT_SETTINGS = {
    # step: each consulterCR(Detaille) answers then moves the flux one state on;
    # immediate: processed at deposit; manual: only through the control routes.
    "flux_mode": "step",
    # Real searches answer 20000 TRA_MSG_00.015 when nothing matches; some services
    # answer an empty list instead.
    "empty_search_error": True,
    # Refuse (HTTP 500) the request shapes no production client is known to use, to test the fallbacks:
    # a supplier search by the date of the current status, a status history asked page by page.
    "refuse_period_search": False,
    "refuse_paged_history": False,
    "token_lifetime": 3600,
    "flux_max_bytes": 10 * 1024 * 1024,
    "archive_max_bytes": 30 * 1024 * 1024,
}

DEFAULT_FAULTS = {
    "http_429": 0,
    "http_500": 0,
    "http_502": 0,
    "http_503": 0,
    "retry_after": 1,
    "delay": 0.0,
    "incident_next": 0,
    # The next N API calls are carried out, then answered 504: the caller cannot know they succeeded.
    "accept_then_504": 0,
    # Faults hit only requests whose path starts with this prefix ("/" to include the token).
    "target": "/cpro/",
}


def now():
    return datetime.datetime.now(PARIS)


def iso(moment):
    """ISO-8601 with milliseconds and offset, as Chorus writes its timestamps."""
    return moment.isoformat(timespec="milliseconds")


def day_iso(day):
    """A ``YYYY-MM-DD`` date as the date-time Chorus returns for it (midnight, Paris)."""
    if not day:
        return None
    return iso(datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(), PARIS))


def fresh_data():
    return {
        "seq": {"flux": 0, "invoice": 0, "attachment": 0, "histo": 0, "event": 0},
        "fluxes": {},
        "invoices": {},
        "attachments": {},
        "tokens": {},
        "calls": {},
        "settings": dict(DEFAULT_SETTINGS),
        "faults": dict(DEFAULT_FAULTS),
        "clients": copy.deepcopy(fixtures.CLIENTS),
    }


class State:
    """Sandbox data guarded by one lock; every handler runs while holding it."""

    def __init__(self, state_file=None):
        self.lock = threading.RLock()
        self.state_file = state_file
        self.data = fresh_data()
        if state_file and os.path.exists(state_file):
            with open(state_file, encoding="utf-8") as handle:
                saved = json.load(handle)
            # Settings and faults added since the file was written keep their defaults.
            for key in ("settings", "faults"):
                self.data[key].update(saved.pop(key, {}))
            self.data.update(saved)

    def reset(self):
        with self.lock:
            self.data = fresh_data()
            self.save()

    def save(self):
        if not self.state_file:
            return
        tmp = f"{self.state_file}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(self.data, handle)
        os.replace(tmp, self.state_file)

    def next_id(self, name):
        # A counter added since a state file was written starts at zero.
        self.data["seq"][name] = self.data["seq"].get(name, 0) + 1
        return self.data["seq"][name]

    def count_call(self, service):
        calls = self.data["calls"]
        calls[service] = calls.get(service, 0) + 1

    @property
    def settings(self):
        return self.data["settings"]

    @property
    def faults(self):
        return self.data["faults"]

    @property
    def fluxes(self):
        return self.data["fluxes"]

    @property
    def invoices(self):
        return self.data["invoices"]

    def invoice(self, identifier):
        try:
            return self.data["invoices"].get(str(int(identifier)))
        except (TypeError, ValueError):
            return None
