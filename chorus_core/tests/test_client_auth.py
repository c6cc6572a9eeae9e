"""PISTE token and Chorus headers: form, cache shared by the process, renewal, 401 and 403 handling."""

import base64
import logging
import threading
import time
import urllib.parse

import pytest

from chorus_core import auth
from chorus_core.errors import ChorusAuthError, ChorusNotSubscribedError, ChorusTransportError
from chorus_core.tests.client_scripted_server import (
    CLIENT_SECRET,
    LOGIN,
    PASSWORD,
    TOKEN_PATH,
    Reply,
    ScriptedServer,
    ok,
    scripted_client,
)

HISTORY = "/cpro/factures/v1/consulter/historique"
JSON_TYPE = "application/json;charset=utf-8"
LOGIN_REFUSED = 'Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects"'


@pytest.fixture
def server():
    with ScriptedServer() as scripted:
        scripted.script(HISTORY, ok(statutCourantCode="DEPOSEE"))
        yield scripted


def bearer(received):
    return received.headers["Authorization"].removeprefix("Bearer ")


def test_token_request_is_a_client_credentials_form(server):
    scripted_client(server).get_token()
    (received,) = server.requests_to(TOKEN_PATH)
    assert received.method == "POST"
    assert received.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(urllib.parse.parse_qsl(received.body.decode())) == {
        "grant_type": "client_credentials",
        "client_id": "client-id",
        "client_secret": CLIENT_SECRET,
        "scope": "openid",
    }


def test_api_calls_carry_bearer_technical_account_and_json_types(server):
    assert scripted_client(server).invoice_history(12)["statutCourantCode"] == "DEPOSEE"
    (received,) = server.requests_to(HISTORY)
    assert received.headers["Authorization"] == "Bearer token-1"
    assert received.headers["cpro-account"] == base64.b64encode(f"{LOGIN}:{PASSWORD}".encode()).decode()
    assert received.headers["Content-Type"] == JSON_TYPE
    assert received.headers["Accept"] == JSON_TYPE


def test_technical_account_header_is_plain_unwrapped_utf8_base64():
    login, password = "TECH_1_é@cpro.fr", "mot-de-passe-très-long-" * 5
    header = auth.technical_account_header(login, password)
    assert "\n" not in header
    assert not header.startswith("Basic")
    assert base64.b64decode(header, validate=True).decode("utf-8") == f"{login}:{password}"


def test_one_token_serves_every_call_and_every_client_of_the_process(server):
    first, second = scripted_client(server), scripted_client(server)
    for client in (first, second, first):
        client.invoice_history(1)
    assert len(server.requests_to(TOKEN_PATH)) == 1
    assert {bearer(item) for item in server.requests_to(HISTORY)} == {"token-1"}


def test_other_credentials_get_their_own_token(server):
    scripted_client(server).get_token()
    assert scripted_client(server, client_secret="another-secret").get_token() == "token-2"
    assert scripted_client(server, client_id="other-app").get_token() == "token-3"
    assert scripted_client(server).get_token() == "token-1"


def test_concurrent_callers_share_one_token_request(server):
    server.script(TOKEN_PATH, Reply(body={"access_token": "shared", "expires_in": 3600}, delay=0.2))
    client = scripted_client(server)
    tokens = []
    threads = [threading.Thread(target=lambda: tokens.append(client.get_token())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert tokens == ["shared"] * 8
    assert len(server.requests_to(TOKEN_PATH)) == 1


def test_renewal_margin_is_capped_for_short_lifetimes():
    assert auth.renewal_delay(3600) == 3600 - 240
    assert auth.renewal_delay(60) == pytest.approx(54)
    assert auth.renewal_delay(1) == pytest.approx(0.9)


def test_short_lived_token_is_renewed_before_expiry(server):
    server.script(
        TOKEN_PATH,
        Reply(body={"access_token": "short", "expires_in": 0.3}),
        Reply(body={"access_token": "next", "expires_in": 3600}),
    )
    client = scripted_client(server)
    assert client.get_token() == "short"
    assert client.get_token() == "short"
    time.sleep(0.3)
    assert client.get_token() == "next"


def test_missing_lifetime_falls_back_to_the_documented_hour(server):
    server.script(TOKEN_PATH, Reply(body={"access_token": "no-expiry"}))
    client = scripted_client(server)
    assert client.get_token() == client.get_token() == "no-expiry"
    assert len(server.requests_to(TOKEN_PATH)) == 1


def test_expired_token_on_the_api_is_renewed_and_the_call_retried_once(server):
    server.script(HISTORY, Reply(status=401), ok(statutCourantCode="REJETEE"))
    client = scripted_client(server)
    assert client.invoice_history(1)["statutCourantCode"] == "REJETEE"
    assert [bearer(item) for item in server.requests_to(HISTORY)] == ["token-1", "token-2"]
    client.invoice_history(1)
    assert len(server.requests_to(TOKEN_PATH)) == 2


def test_401_again_with_a_new_token_is_an_auth_error(server):
    server.script(HISTORY, Reply(status=401))
    with pytest.raises(ChorusAuthError) as caught:
        scripted_client(server).invoice_history(1)
    assert caught.value.kind == "unauthorized"
    assert caught.value.http_status == 401
    assert "client id" in str(caught.value) and "technical login and password" in str(caught.value)
    assert len(server.requests_to(HISTORY)) == 2
    assert len(server.requests_to(TOKEN_PATH)) == 2


def test_refused_technical_account_is_reported_without_renewing_the_token(server):
    server.script(HISTORY, Reply(status=401, headers={"WWW-Authenticate": LOGIN_REFUSED}))
    client = scripted_client(server)
    with pytest.raises(ChorusAuthError) as caught:
        client.invoice_history(1)
    assert caught.value.kind == "invalid_technical_account"
    assert "technical login and password" in str(caught.value)
    assert len(server.requests_to(HISTORY)) == 1
    assert len(server.requests_to(TOKEN_PATH)) == 1


def test_invalidating_keeps_a_token_renewed_meanwhile(server):
    client = scripted_client(server)
    assert client.get_token() == "token-1"
    client._tokens.invalidate("token-0")
    assert client.get_token() == "token-1"
    client._tokens.invalidate("token-1")
    assert client.get_token() == "token-2"


@pytest.mark.parametrize("status", [400, 401])
def test_refused_piste_credentials(server, status):
    server.script(TOKEN_PATH, Reply(status=status, body={"error": "invalid_client", "error_description": "bad"}))
    with pytest.raises(ChorusAuthError) as caught:
        scripted_client(server).invoice_history(1)
    error = caught.value
    assert (error.kind, error.http_status, error.libelle) == ("invalid_client", status, "invalid_client")
    assert "client id and client secret" in str(error)
    assert len(server.requests_to(TOKEN_PATH)) == 1
    assert not server.requests_to(HISTORY)


@pytest.mark.parametrize("body", [{"token_type": "Bearer"}, "<html>login</html>", {"access_token": ""}])
def test_token_answer_without_token(server, body):
    server.script(TOKEN_PATH, Reply(body=body))
    with pytest.raises(ChorusTransportError) as caught:
        scripted_client(server).get_token()
    assert caught.value.kind == "invalid_response"


def test_token_endpoint_outage_is_retried(server):
    sleeps = []
    server.script(TOKEN_PATH, Reply(status=503), Reply(body={"access_token": "after-outage", "expires_in": 60}))
    assert scripted_client(server, sleeps).get_token() == "after-outage"
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    "path, call, group",
    [
        ("/cpro/factures/v1/consulter/historique", lambda client: client.invoice_history(1), "factures"),
        ("/cpro/structures/v1/consulter", lambda client: client.structure_details(1), "structures"),
        ("/cpro/transverses/v1/consulterCRDetaille", lambda client: client.flux_report("CPP1"), "transverses"),
    ],
)
def test_403_names_the_api_group_to_subscribe(server, path, call, group):
    server.script(path, Reply(status=403))
    with pytest.raises(ChorusNotSubscribedError) as caught:
        call(scripted_client(server))
    error = caught.value
    assert (error.kind, error.api_group, error.http_status) == ("not_subscribed", group, 403)
    assert f"'{group}' API of the custom environment" in str(error)
    assert len(server.requests_to(path)) == 1


def test_no_secret_in_errors_reprs_or_logs(server, caplog):
    """Secrets, tokens and the cpro-account value never reach a message, a repr or a log line."""
    caplog.set_level(logging.DEBUG, logger="chorus_core")
    server.script(HISTORY, Reply(status=401), Reply(status=401, headers={"WWW-Authenticate": LOGIN_REFUSED}))
    server.script("/cpro/structures/v1/consulter", Reply(status=403))
    server.script("/cpro/factures/v1/deposer/flux", Reply(status=502))
    server.script("/cpro/transverses/v1/consulterCRDetaille", ok(codeRetour=20001, libelle="POQ_MSG_01.003"))
    client = scripted_client(server)
    texts = [repr(client), repr(client.config), repr(client._auth), repr(client._tokens)]
    calls = [
        lambda: client.invoice_history(1),
        lambda: client.structure_details(1),
        lambda: client.deposit_flux(b"%PDF secret payload", "f.pdf"),
        lambda: client.flux_report("CPP1"),
        lambda: client.invoice_details(1),  # unscripted: 404
    ]
    for call in calls:
        with pytest.raises(Exception) as caught:
            call()
        texts += [str(caught.value), repr(caught.value), repr(vars(caught.value))]
    server.script(TOKEN_PATH, Reply(status=400, body={"error": "invalid_client"}))
    auth.clear_token_cache()
    with pytest.raises(ChorusAuthError) as caught:
        client.get_token()
    texts += [str(caught.value), repr(caught.value), repr(vars(caught.value))]
    texts += [record.getMessage() for record in caplog.records]
    cpro_account = auth.technical_account_header(LOGIN, PASSWORD)
    forbidden = [CLIENT_SECRET, PASSWORD, cpro_account, "token-1", "token-2", "secret payload", "JVBER"]
    leaks = [(word, text) for text in texts for word in forbidden if word in text]
    assert not leaks
    assert caplog.records, "the calls should have been logged"
