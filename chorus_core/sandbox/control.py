"""Sandbox-only controls: reset, counters, processing, statuses, fault switches.

The same methods serve tests in Python (``sandbox.control``) and the ``/sandbox/*`` HTTP routes.
"""

import copy

from . import auth, fixtures, lifecycle, seeding
from .state import DEFAULT_FAULTS, DEFAULT_SETTINGS, FLUX_MODES


class Control:
    def __init__(self, state):
        self.state = state

    def _locked(self, action, *args, **kwargs):
        with self.state.lock:
            result = action(*args, **kwargs)
            self.state.save()
            return copy.deepcopy(result)

    def reset(self):
        """Forget fluxes, invoices, tokens, counters, faults and settings."""
        self.state.reset()
        return {"reset": True}

    def stats(self):
        return self._locked(lambda: {"calls": self.state.data["calls"]})

    def reset_stats(self):
        return self._locked(lambda: self.state.data.update(calls={}) or {"calls": {}})

    def process(self):
        """Finish every pending flux now and make the new invoices available."""
        return self._locked(lambda: {"fluxes": lifecycle.process_all(self.state)})

    def fluxes(self):
        def listing():
            return [{k: v for k, v in flux.items() if k != "content"} for flux in self.state.fluxes.values()]

        return self._locked(listing)

    def invoices(self):
        return self._locked(lambda: list(self.state.invoices.values()))

    def attachments(self):
        """Files received by ajouter/fichier: id, name, extension, MIME type, size, login (not the content)."""

        def listing():
            return [
                {key: value for key, value in attachment.items() if key != "contenu"}
                for attachment in self.state.data["attachments"].values()
            ]

        return self._locked(listing)

    def set_invoice_status(self, identifiant, statut, motif=None):
        """Move an invoice as its recipient would (any status of CONTROL_STATUSES, even from a final one)."""

        def change():
            invoice = self.state.invoice(identifiant)
            if invoice is None:
                raise ValueError(f"unknown invoice {identifiant}")
            error = lifecycle.status_error(invoice, statut, motif, lifecycle.CONTROL_STATUSES, force=True)
            if error:
                raise ValueError(error[1])
            lifecycle.set_status(self.state, invoice, statut, motif or None)
            return invoice

        return self._locked(change)

    def validate_invoice(self, identifiant, decision, motif=None):
        """Play the validator of an A9/A12 invoice waiting for it: ``lifecycle.validator_decision``."""

        def change():
            invoice = self.state.invoice(identifiant)
            if invoice is None:
                raise ValueError(f"unknown invoice {identifiant}")
            error = lifecycle.validator_decision(self.state, invoice, decision, motif)
            if error:
                raise ValueError(error)
            return invoice

        return self._locked(change)

    def seed_invoices(self, count, status=lifecycle.MISE_A_DISPOSITION, **options):
        """Create ``count`` integrated invoices in ``status`` at once (no deposit): ``seeding.seed``.

        Options: ``login``, ``buyer``, ``service``, ``engagement``, ``amount``, ``date_depot``, ``at``,
        ``motif``, ``prefix``. Answers ``{count, identifiantsFactureCPP, numerosFacture}``.
        """
        return self._locked(seeding.seed, self.state, count, status, **options)

    def advance_invoices(self, status, **options):
        """Move ``ids=[...]`` or a ``fraction`` of the invoices in flight to ``status``: ``seeding.advance``."""
        return self._locked(seeding.advance, self.state, status, **options)

    def faults(self):
        return self._locked(lambda: self.state.faults)

    def set_fault(self, **faults):
        """Set fault switches, e.g. ``http_429=2, retry_after=1``, ``delay=0.2``, ``incident_next=1``.

        ``token_lifetime`` is accepted here too, as it is how short tokens are simulated.
        """
        unknown = set(faults) - set(DEFAULT_FAULTS) - {"token_lifetime"}
        if unknown:
            raise ValueError(f"unknown fault switches: {', '.join(sorted(unknown))}")

        def apply():
            if "token_lifetime" in faults:
                self.state.settings["token_lifetime"] = float(faults.pop("token_lifetime"))
            self.state.faults.update(faults)
            return self.state.faults

        return self._locked(apply)

    def clear_faults(self):
        def clear():
            self.state.faults.clear()
            self.state.faults.update(DEFAULT_FAULTS)
            self.state.settings["token_lifetime"] = DEFAULT_SETTINGS["token_lifetime"]
            return self.state.faults

        return self._locked(clear)

    def settings(self):
        return self._locked(lambda: self.state.settings)

    def configure(self, **settings):
        """Change settings, e.g. ``flux_mode="immediate"`` or ``empty_search_error=False``."""
        unknown = set(settings) - set(DEFAULT_SETTINGS)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        if settings.get("flux_mode", "step") not in FLUX_MODES:
            raise ValueError(f"flux_mode must be one of {', '.join(FLUX_MODES)}")
        return self._locked(lambda: self.state.settings.update(settings) or self.state.settings)

    def subscriptions(self):
        return self._locked(lambda: {cid: c["subscriptions"] for cid, c in self.state.data["clients"].items()})

    def set_subscriptions(self, groups, client_id=fixtures.CLIENT_ID):
        """API groups a PISTE application subscribed to; the others answer 403."""
        unknown = set(groups) - set(fixtures.API_GROUPS)
        if unknown or client_id not in self.state.data["clients"]:
            raise ValueError(f"unknown client or API groups: {client_id} {sorted(unknown)}")

        def apply():
            self.state.data["clients"][client_id]["subscriptions"] = list(groups)
            return {client_id: list(groups)}

        return self._locked(apply)

    def unsubscribe(self, group, client_id=fixtures.CLIENT_ID):
        current = self.subscriptions().get(client_id, [])
        return self.set_subscriptions([g for g in current if g != group], client_id)

    def expire_tokens(self):
        """Every token issued so far becomes invalid (next API call: 401)."""
        return self._locked(lambda: auth.expire_tokens(self.state) or {"expired": True})


def _renamed(body, **names):
    """The body with some keys renamed (the routes take Chorus's ``statut`` as well as ``status``)."""
    return {names.get(key, key): value for key, value in body.items()}


def _body_args(body, *names):
    return {name: body[name] for name in names if name in body}


# (method, path) -> callable(control, body). Bodies are JSON objects.
ROUTES = {
    ("POST", "/sandbox/reset"): lambda c, b: c.reset(),
    ("GET", "/sandbox/stats"): lambda c, b: c.stats(),
    ("POST", "/sandbox/stats/reset"): lambda c, b: c.reset_stats(),
    ("POST", "/sandbox/process"): lambda c, b: c.process(),
    ("GET", "/sandbox/fluxes"): lambda c, b: {"fluxes": c.fluxes()},
    ("GET", "/sandbox/invoices"): lambda c, b: {"invoices": c.invoices()},
    ("GET", "/sandbox/attachments"): lambda c, b: {"attachments": c.attachments()},
    ("POST", "/sandbox/invoices/status"): lambda c, b: c.set_invoice_status(
        b.get("identifiantFactureCPP"), b.get("statut"), b.get("motif")
    ),
    ("POST", "/sandbox/invoices/validation"): lambda c, b: c.validate_invoice(
        b.get("identifiantFactureCPP"), b.get("decision"), b.get("motif")
    ),
    ("POST", "/sandbox/invoices/seed"): lambda c, b: c.seed_invoices(**_renamed(b, statut="status")),
    ("POST", "/sandbox/invoices/advance"): lambda c, b: c.advance_invoices(**_renamed(b, statut="status")),
    ("GET", "/sandbox/faults"): lambda c, b: c.faults(),
    ("POST", "/sandbox/faults"): lambda c, b: c.set_fault(**b),
    ("POST", "/sandbox/faults/clear"): lambda c, b: c.clear_faults(),
    ("GET", "/sandbox/settings"): lambda c, b: c.settings(),
    ("POST", "/sandbox/settings"): lambda c, b: c.configure(**b),
    ("GET", "/sandbox/subscriptions"): lambda c, b: c.subscriptions(),
    ("POST", "/sandbox/subscriptions"): lambda c, b: c.set_subscriptions(**_body_args(b, "groups", "client_id")),
    ("POST", "/sandbox/tokens/expire"): lambda c, b: c.expire_tokens(),
}
