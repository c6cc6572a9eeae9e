"""The client against every sandbox fault switch and authentication failure, counted with /sandbox/stats."""

import time

import pytest

from chorus_core.errors import ChorusAuthError, ChorusNotSubscribedError, ChorusTransportError
from chorus_core.sandbox import fixtures as fx
from chorus_core.tests.client_sandbox_support import control, sandbox_client

SEARCH = "factures/v1/rechercher/fournisseur"
DEPOSIT = "factures/v1/deposer/flux"


def faults(sandbox, **switches):
    control(sandbox, "POST", "faults", switches)


def calls(sandbox):
    return control(sandbox, "GET", "stats")["calls"]


def raised(call):
    with pytest.raises(Exception) as caught:
        call()
    return caught.value


def test_429_retry_after_is_honoured(sandbox):
    sleeps = []
    faults(sandbox, http_429=2, retry_after=3)
    assert sandbox_client(sandbox, sleeps).search_supplier_invoices() == []
    assert sleeps == [3.0, 3.0]
    assert calls(sandbox)[SEARCH] == 3


def test_429_beyond_the_retries(sandbox):
    faults(sandbox, http_429=5, retry_after=1)
    error = raised(lambda: sandbox_client(sandbox, max_retries=2).search_supplier_invoices())
    assert (error.kind, error.http_status) == ("rate_limited", 429)
    assert calls(sandbox)[SEARCH] == 3


@pytest.mark.parametrize("status", [502, 503])
def test_gateway_errors_are_retried_for_a_search(sandbox, status):
    sleeps = []
    faults(sandbox, **{f"http_{status}": 2})
    assert sandbox_client(sandbox, sleeps).search_structure("12345678200051")["listeStructures"]
    assert len(sleeps) == 2
    assert calls(sandbox)["structures/v1/rechercher"] == 3


def test_500_is_not_retried(sandbox):
    faults(sandbox, http_500=1)
    error = raised(lambda: sandbox_client(sandbox).search_supplier_invoices())
    assert (error.kind, error.http_status) == ("server_error", 500)
    assert calls(sandbox)[SEARCH] == 1


def test_deposit_is_not_repeated_after_a_502(sandbox, facturx):
    faults(sandbox, http_502=1)
    error = raised(lambda: sandbox_client(sandbox).deposit_flux(facturx(), "f.pdf"))
    assert error.kind == "outcome_unknown"
    assert calls(sandbox)[DEPOSIT] == 1


def test_deposit_accepted_then_504_is_an_unknown_outcome_not_repeated(sandbox, facturx):
    faults(sandbox, accept_then_504=1)
    error = raised(lambda: sandbox_client(sandbox).deposit_flux(facturx(), "f.pdf"))
    assert (error.kind, error.http_status) == ("outcome_unknown", 504)
    assert calls(sandbox)[DEPOSIT] == 1
    assert len(control(sandbox, "GET", "fluxes")["fluxes"]) == 1


def test_deposit_is_repeated_after_a_503(sandbox, facturx):
    sleeps = []
    faults(sandbox, http_503=2, retry_after=1)
    answer = sandbox_client(sandbox, sleeps).deposit_flux(facturx(), "f.pdf")
    assert answer["numeroFluxDepot"]
    assert sleeps == [1.0, 1.0]
    assert calls(sandbox)[DEPOSIT] == 3
    assert len(control(sandbox, "GET", "fluxes")["fluxes"]) == 1


def test_token_endpoint_faults_are_retried(sandbox):
    faults(sandbox, http_503=1, target="/")
    assert sandbox_client(sandbox).get_token()
    assert calls(sandbox)["token"] == 2


def test_slow_answers_time_out(sandbox):
    faults(sandbox, delay=0.4)
    error = raised(lambda: sandbox_client(sandbox, timeout=(1, 0.1), max_retries=1).search_supplier_invoices())
    assert error.kind == "timeout"
    assert calls(sandbox)[SEARCH] == 2


def test_slow_deposit_is_an_unknown_outcome(sandbox, facturx):
    faults(sandbox, delay=0.4)
    error = raised(lambda: sandbox_client(sandbox, timeout=(1, 0.1)).deposit_flux(facturx(), "f.pdf"))
    assert error.kind == "outcome_unknown"
    assert calls(sandbox)[DEPOSIT] == 1


def test_slow_but_in_time_answers_pass(sandbox):
    faults(sandbox, delay=0.1)
    assert sandbox_client(sandbox, timeout=(1, 2)).search_supplier_invoices() == []


def test_incident_flux(sandbox, facturx):
    faults(sandbox, incident_next=1)
    client = sandbox_client(sandbox)
    flux = client.deposit_flux(facturx(), "f.pdf")["numeroFluxDepot"]
    control(sandbox, "POST", "process")
    assert client.flux_report(flux)["etatCourantDepotFlux"] == "IN_INCIDENTE"
    assert client.search_supplier_invoices(numeroFluxDepot=flux) == []


def test_short_lived_tokens_are_renewed_before_they_expire(sandbox):
    faults(sandbox, token_lifetime=1)
    client = sandbox_client(sandbox)
    client.health_check()
    time.sleep(1.0)
    client.health_check()
    assert calls(sandbox)["token"] == 2
    assert calls(sandbox)["transverses/v1/health-check"] == 2  # no 401 on the way


def test_revoked_token_is_renewed_once_and_the_call_replayed(sandbox):
    client = sandbox_client(sandbox)
    client.search_supplier_invoices()
    control(sandbox, "POST", "tokens/expire")
    assert client.search_supplier_invoices() == []
    assert calls(sandbox)["token"] == 2
    assert calls(sandbox)[SEARCH] == 3


def test_one_token_for_every_client_of_the_process(sandbox):
    for _ in range(3):
        sandbox_client(sandbox).search_structure("12345678200051")
    assert calls(sandbox)["token"] == 1


def test_wrong_piste_secret(sandbox):
    error = raised(lambda: sandbox_client(sandbox, client_secret="wrong").health_check())
    assert isinstance(error, ChorusAuthError)
    assert (error.kind, error.http_status, error.libelle) == ("invalid_client", 400, "invalid_client")
    assert calls(sandbox) == {"token": 1}


def test_wrong_technical_password(sandbox):
    error = raised(lambda: sandbox_client(sandbox, password="wrong").search_supplier_invoices())
    assert isinstance(error, ChorusAuthError)
    assert (error.kind, error.http_status) == ("invalid_technical_account", 401)
    assert calls(sandbox) == {"token": 1, SEARCH: 1}


def test_other_technical_account_sees_only_its_fluxes(sandbox, facturx):
    control(sandbox, "POST", "settings", {"flux_mode": "immediate"})
    flux = sandbox_client(sandbox).deposit_flux(facturx(), "f.pdf")["numeroFluxDepot"]
    other = sandbox_client(sandbox, login=fx.OTHER_TECH_LOGIN, password=fx.OTHER_TECH_PASSWORD)
    assert other.search_supplier_invoices(numeroFluxDepot=flux) == []
    assert raised(lambda: other.flux_report(flux)).kind == "flux_not_found"


@pytest.mark.parametrize(
    "group, call",
    [
        ("factures", lambda client: client.search_supplier_invoices()),
        ("structures", lambda client: client.lookup_buyer("12345678200051")),
        ("transverses", lambda client: client.flux_report("CPP0011117000000000000001")),
    ],
)
def test_unsubscribed_api_group(sandbox, group, call):
    others = [item for item in fx.API_GROUPS if item != group]
    control(sandbox, "POST", "subscriptions", {"groups": others})
    error = raised(lambda: call(sandbox_client(sandbox, max_retries=0)))
    assert isinstance(error, ChorusNotSubscribedError)
    assert (error.kind, error.api_group, error.http_status) == ("not_subscribed", group, 403)
    assert f"'{group}' API" in str(error)


def test_faults_end_as_typed_transport_errors(sandbox):
    faults(sandbox, http_502=10)
    error = raised(lambda: sandbox_client(sandbox, max_retries=2).health_check())
    assert isinstance(error, ChorusTransportError)
    assert (error.kind, error.http_status, error.service) == ("server_error", 502, "transverses/health-check")
