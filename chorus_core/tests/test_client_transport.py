"""Retries, backoff, Retry-After, timeouts and HTTP failures, against a scripted server on 127.0.0.1."""

import email.utils
import socket
import time

import pytest

from chorus_core.client import ChorusClient, ChorusConfig
from chorus_core.errors import ChorusBusinessError, ChorusTransportError
from chorus_core.tests.client_scripted_server import Reply, ok, scripted_client

HISTORY = "/cpro/factures/v1/consulter/historique"
DEPOSIT = "/cpro/factures/v1/deposer/flux"
ATTACH = "/cpro/transverses/v1/ajouter/fichier"
DEPOSITED = ok(numeroFluxDepot="CPP0011117000000000000001", dateDepot="2026-11-28")


def raised(call):
    with pytest.raises(Exception) as caught:
        call()
    return caught.value


def test_retry_after_seconds_are_honoured(server):
    sleeps = []
    server.script(HISTORY, Reply(status=429, headers={"Retry-After": "7"}), ok(statutCourantCode="DEPOSEE"))
    assert scripted_client(server, sleeps).invoice_history(1)["statutCourantCode"] == "DEPOSEE"
    assert sleeps == [7.0]
    assert len(server.requests_to(HISTORY)) == 2


def test_retry_after_of_a_503_is_honoured(server):
    sleeps = []
    server.script(HISTORY, Reply(status=503, headers={"Retry-After": "4"}), ok())
    scripted_client(server, sleeps).invoice_history(1)
    assert sleeps == [4.0]


def test_retry_after_http_date_is_honoured(server):
    sleeps = []
    later = email.utils.formatdate(time.time() + 5, usegmt=True)
    server.script(HISTORY, Reply(status=429, headers={"Retry-After": later}), ok())
    scripted_client(server, sleeps).invoice_history(1)
    assert len(sleeps) == 1 and 3 <= sleeps[0] <= 5


def test_retry_after_beyond_the_limit_is_reported_at_once(server):
    sleeps = []
    server.script(HISTORY, Reply(status=429, headers={"Retry-After": "3600"}))
    error = raised(lambda: scripted_client(server, sleeps, max_retry_after=60).invoice_history(1))
    assert isinstance(error, ChorusTransportError)
    assert (error.kind, error.http_status) == ("rate_limited", 429)
    assert "3600 s" in str(error)
    assert sleeps == []


def test_429_without_retry_after_backs_off_then_gives_up(server):
    sleeps = []
    server.script(HISTORY, Reply(status=429))
    error = raised(lambda: scripted_client(server, sleeps, max_retries=2).invoice_history(1))
    assert error.kind == "rate_limited"
    assert len(sleeps) == 2
    assert len(server.requests_to(HISTORY)) == 3


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_with_exponential_backoff(server, status):
    sleeps = []
    server.script(HISTORY, Reply(status=status), Reply(status=status), Reply(status=status), ok())
    client = scripted_client(server, sleeps, backoff_base=0.01, backoff_max=10)
    assert client.invoice_history(1)["codeRetour"] == 0
    assert len(sleeps) == 3
    for attempt, delay in enumerate(sleeps):
        ceiling = 0.01 * 2**attempt
        assert ceiling / 2 <= delay <= ceiling


def test_backoff_is_capped(server):
    sleeps = []
    server.script(HISTORY, Reply(status=503))
    client = scripted_client(server, sleeps, max_retries=6, backoff_base=0.01, backoff_max=0.02)
    raised(lambda: client.invoice_history(1))
    assert len(sleeps) == 6
    assert max(sleeps) <= 0.02


def test_persistent_server_error_ends_as_a_transport_error(server):
    sleeps = []
    server.script(HISTORY, Reply(status=503))
    error = raised(lambda: scripted_client(server, sleeps, max_retries=3).invoice_history(1))
    assert (error.kind, error.http_status) == ("server_error", 503)
    assert len(server.requests_to(HISTORY)) == 4


def test_no_retry_when_max_retries_is_zero(server):
    server.script(HISTORY, Reply(status=503))
    raised(lambda: scripted_client(server, max_retries=0).invoice_history(1))
    assert len(server.requests_to(HISTORY)) == 1


def test_500_is_not_retried(server):
    server.script(HISTORY, Reply(status=500, body="Internal error"))
    error = raised(lambda: scripted_client(server).invoice_history(1))
    assert (error.kind, error.http_status) == ("server_error", 500)
    assert len(server.requests_to(HISTORY)) == 1


def test_business_refusal_is_never_retried_and_kept_verbatim(server):
    libelle = "GDP_MSG_11.008 - La demande de paiement n'existe pas."
    server.script(HISTORY, ok(codeRetour=20000, libelle=libelle))
    error = raised(lambda: scripted_client(server).invoice_history(99))
    assert isinstance(error, ChorusBusinessError)
    assert (error.kind, error.http_status, error.code_retour, error.libelle) == ("business", 200, 20000, libelle)
    assert libelle in str(error)
    assert len(server.requests_to(HISTORY)) == 1


def test_400_is_a_bad_request_never_retried(server):
    server.script(HISTORY, Reply(status=400, body={"codeRetour": 1, "libelle": "Requête mal formulée"}))
    error = raised(lambda: scripted_client(server).invoice_history(1))
    assert isinstance(error, ChorusBusinessError)
    assert (error.kind, error.http_status, error.code_retour, error.libelle) == (
        "bad_request",
        400,
        1,
        "Requête mal formulée",
    )
    assert len(server.requests_to(HISTORY)) == 1


def test_400_without_json_body(server):
    server.script(HISTORY, Reply(status=400, body="<html>Bad Request</html>"))
    error = raised(lambda: scripted_client(server).invoice_history(1))
    assert (error.kind, error.code_retour, error.libelle) == ("bad_request", None, None)


@pytest.mark.parametrize("status", [502, 504])
def test_deposit_is_not_repeated_when_chorus_may_have_received_it(server, status):
    sleeps = []
    server.script(DEPOSIT, Reply(status=status), DEPOSITED)
    error = raised(lambda: scripted_client(server, sleeps).deposit_flux(b"%PDF", "f.pdf"))
    assert (error.kind, error.http_status) == ("outcome_unknown", status)
    assert "check on Chorus Pro before sending it again" in str(error)
    assert len(server.requests_to(DEPOSIT)) == 1
    assert sleeps == []


@pytest.mark.parametrize("reply", [Reply(status=503), Reply(status=429, headers={"Retry-After": "1"})])
def test_deposit_is_repeated_when_chorus_did_not_process_it(server, reply):
    server.script(DEPOSIT, reply, DEPOSITED)
    answer = scripted_client(server).deposit_flux(b"%PDF", "f.pdf")
    assert answer["numeroFluxDepot"] == "CPP0011117000000000000001"
    assert len(server.requests_to(DEPOSIT)) == 2


def test_attachment_upload_is_not_repeated_after_a_gateway_timeout(server):
    server.script(ATTACH, Reply(status=504), ok(pieceJointeId=1))
    error = raised(lambda: scripted_client(server).add_attachment(b"x", "a.pdf", "application/pdf"))
    assert error.kind == "outcome_unknown"
    assert len(server.requests_to(ATTACH)) == 1


def test_read_timeout_is_retried_for_a_consultation(server):
    sleeps = []
    server.script(HISTORY, Reply(delay=0.5, body={"codeRetour": 0}), ok(statutCourantCode="DEPOSEE"))
    client = scripted_client(server, sleeps, timeout=(1, 0.15))
    assert client.invoice_history(1)["statutCourantCode"] == "DEPOSEE"
    assert len(sleeps) == 1


def test_read_timeout_ends_as_a_timeout_error(server):
    server.script(HISTORY, Reply(delay=0.5, body={"codeRetour": 0}))
    error = raised(lambda: scripted_client(server, max_retries=1, timeout=(1, 0.1)).invoice_history(1))
    assert error.kind == "timeout"
    assert "read 0.1 s" in str(error)
    assert len(server.requests_to(HISTORY)) == 2


def test_read_timeout_on_a_deposit_is_an_unknown_outcome(server):
    server.script(DEPOSIT, Reply(delay=0.5, body={"codeRetour": 0}))
    error = raised(lambda: scripted_client(server, timeout=(1, 0.1)).deposit_flux(b"%PDF", "f.pdf"))
    assert error.kind == "outcome_unknown"
    assert len(server.requests_to(DEPOSIT)) == 1


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_token_endpoint_is_a_network_error():
    sleeps = []
    base = f"http://127.0.0.1:{closed_port()}"
    config = ChorusConfig(
        environment="custom",
        api_url=base,
        oauth_url=f"{base}/api/oauth/token",
        client_id="id",
        client_secret="secret",
        login="l",
        password="p",
        max_retries=2,
        backoff_base=0.001,
    )
    error = raised(lambda: ChorusClient(config, sleep=sleeps.append).invoice_history(1))
    assert (error.kind, error.service) == ("network", "oauth/token")
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    "call, service",
    [
        (lambda client: client.invoice_history(1), "factures/consulter/historique"),
        (lambda client: client.deposit_flux(b"%PDF", "f.pdf"), "factures/deposer/flux"),
    ],
)
def test_refused_connection_is_retried_even_for_a_deposit(server, call, service):
    """A refused connection proves nothing was sent, so even a deposit may be sent again."""
    sleeps = []
    client = scripted_client(server, sleeps, api_url=f"http://127.0.0.1:{closed_port()}", max_retries=2)
    error = raised(lambda: call(client))
    assert (error.kind, error.service) == ("network", service)
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    "status, kind",
    [(413, "payload_too_large"), (415, "unsupported_media_type"), (404, "unexpected_status")],
)
def test_other_http_failures(server, status, kind):
    server.script(DEPOSIT, Reply(status=status))
    error = raised(lambda: scripted_client(server).deposit_flux(b"%PDF", "f.pdf"))
    assert isinstance(error, ChorusTransportError)
    assert (error.kind, error.http_status) == (kind, status)
    assert len(server.requests_to(DEPOSIT)) == 1


@pytest.mark.parametrize("body", ["<html>maintenance</html>", [1, 2], {"codeRetour": "abc"}, ""])
def test_unreadable_answer(server, body):
    server.script(HISTORY, Reply(body=body))
    error = raised(lambda: scripted_client(server).invoice_history(1))
    assert (error.kind, error.http_status) == ("invalid_response", 200)


@pytest.mark.parametrize("body", ["<html>maintenance</html>", {"codeRetour": "abc"}])
def test_an_unreadable_answer_to_a_deposit_may_have_taken_effect(server, body):
    # Accepted (HTTP 200) but unreadable: the deposit may be on Chorus Pro, so it must not be made again blindly.
    server.script(DEPOSIT, Reply(body=body))
    error = raised(lambda: scripted_client(server).deposit_flux(b"%PDF", "f.pdf"))
    assert (error.kind, error.http_status) == ("outcome_unknown", 200)
    assert len(server.requests_to(DEPOSIT)) == 1


@pytest.mark.parametrize("identifier", [None, "not a number"])
def test_a_submission_accepted_without_a_readable_invoice_id_may_have_taken_effect(server, identifier):
    submit = "/cpro/factures/v1/soumettre"
    server.script(submit, ok(**({} if identifier is None else {"identifiantFactureCPP": identifier})))
    error = raised(lambda: scripted_client(server).submit_invoice({}))
    assert (error.kind, error.http_status) == ("outcome_unknown", 200)
    assert len(server.requests_to(submit)) == 1


def test_a_submission_id_sent_as_a_string_is_understood(server):
    server.script("/cpro/factures/v1/soumettre", ok(identifiantFactureCPP="4242", numeroFacture="F-1"))
    assert scripted_client(server).submit_invoice({})["identifiantFactureCPP"] == 4242


def test_code_retour_sent_as_a_string_is_understood(server):
    server.script(HISTORY, Reply(body={"codeRetour": "0", "libelle": "TRA_MSG_00.000"}))
    assert scripted_client(server).invoice_history(1)["codeRetour"] == 0
    server.script(HISTORY, Reply(body={"codeRetour": "20000", "libelle": "TRA_MSG_00.015"}))
    assert raised(lambda: scripted_client(server).invoice_history(1)).code_retour == 20000


def test_error_kinds_are_declared_by_their_class():
    for kind in ("timeout", "outcome_unknown", "invalid_response"):
        assert ChorusTransportError("m", kind=kind).kind == kind
    with pytest.raises(ValueError):
        ChorusTransportError("m", kind="not_subscribed")
