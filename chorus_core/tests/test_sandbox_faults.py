"""Fault switches (429, 500, 502/503, slow answers, short tokens) and the call counters."""

import base64
import time

import requests

SEARCH = "structures/v1/rechercher"


def test_next_answers_429_with_retry_after_then_normal(api):
    api.control("POST", "faults", {"http_429": 2, "retry_after": 3})
    statuses = [api.raw(SEARCH, {}) for _ in range(3)]
    assert [r.status_code for r in statuses] == [429, 429, 200]
    assert statuses[0].headers["Retry-After"] == "3"
    assert api.control("GET", "faults")["http_429"] == 0


def test_next_answers_500_502_503(api, sandbox):
    sandbox.control.set_fault(http_500=1, http_502=1, http_503=1)
    statuses = [api.raw(SEARCH, {}).status_code for _ in range(4)]
    assert statuses == [503, 502, 500, 200]


def test_accept_then_504_records_the_deposit_but_loses_the_answer(api, sandbox, cii):
    api.headers()  # token fetched first: the fault hits API calls only
    sandbox.control.set_fault(accept_then_504=1)
    body = {"fichierFlux": base64.b64encode(cii()).decode(), "nomFichier": "f.xml", "syntaxeFlux": "IN_DP_E1_CII_16B"}
    response = api.raw("factures/v1/deposer/flux", body)
    assert response.status_code == 504
    assert len(api.control("GET", "fluxes")["fluxes"]) == 1
    assert sandbox.control.faults()["accept_then_504"] == 0
    assert api.deposit(cii(number="F-2"))["numeroFluxDepot"]
    assert len(api.control("GET", "fluxes")["fluxes"]) == 2


def test_faults_spare_the_token_unless_targeted(api, sandbox):
    sandbox.control.set_fault(http_503=1)
    assert api.token().status_code == 200
    assert api.raw(SEARCH, {}).status_code == 503
    sandbox.control.set_fault(http_500=1, target="/")
    assert api.token().status_code == 500
    assert api.token().status_code == 200


def test_slow_answers(api, sandbox):
    api.headers()  # token fetched before the delay is set
    sandbox.control.set_fault(delay=0.3)
    start = time.monotonic()
    assert api.raw(SEARCH, {}).status_code == 200
    assert time.monotonic() - start >= 0.3
    sandbox.control.clear_faults()
    start = time.monotonic()
    api.raw(SEARCH, {})
    assert time.monotonic() - start < 0.3


def test_short_token_lifetime(api):
    api.control("POST", "faults", {"token_lifetime": 1})
    assert api.token().json()["expires_in"] == 1
    api.control("POST", "faults/clear")
    assert api.token().json()["expires_in"] == 3600


def test_unknown_switch_is_refused(api, sandbox):
    response = requests.post(f"{api.base}/sandbox/faults", json={"http_418": 1}, timeout=5)
    assert response.status_code == 400
    response = requests.post(f"{api.base}/sandbox/settings", json={"flux_mode": "later"}, timeout=5)
    assert response.status_code == 400
    assert requests.get(f"{api.base}/sandbox/nothing", timeout=5).status_code == 404


def test_call_counters_per_service(api, cii):
    api.deposit(cii())
    api.deposit(cii(number="F-2"))
    api.raw(SEARCH, {})
    api.control("POST", "faults", {"http_429": 1})
    api.raw(SEARCH, {})  # a refused call still counts: it is what a retry test needs
    assert api.control("GET", "stats") == {
        "calls": {"token": 1, "factures/v1/deposer/flux": 2, "structures/v1/rechercher": 2}
    }
    assert api.sandbox.control.stats()["calls"]["token"] == 1
    api.control("POST", "stats/reset")
    assert api.control("GET", "stats") == {"calls": {}}


def test_reset_route_forgets_everything(api, sandbox, cii):
    api.deposit(cii())
    sandbox.control.set_fault(http_500=5)
    sandbox.control.configure(flux_mode="manual")
    api.control("POST", "reset")
    assert api.control("GET", "fluxes") == {"fluxes": []}
    assert api.control("GET", "faults")["http_500"] == 0
    assert api.control("GET", "settings")["flux_mode"] == "step"
    assert api.control("GET", "stats") == {"calls": {}}
    api._token = None  # tokens are forgotten too
    assert api.raw(SEARCH, {}).status_code == 200
