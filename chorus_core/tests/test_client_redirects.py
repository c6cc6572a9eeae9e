"""Credentials never follow a redirect, and custom URLs carry them only over HTTPS or on this machine.

Two servers of the test's own: a fake token server (or API) that answers a redirect to the other,
which records whatever reaches it. Nothing may reach it: no client secret, no token, no
``cpro-account`` header.
"""

import pytest

from chorus_core.client import ChorusClient, ChorusConfig
from chorus_core.config import custom_url_problem
from chorus_core.errors import ChorusConfigError, ChorusTransportError
from chorus_core.tests.client_scripted_server import CLIENT_SECRET, TOKEN_PATH, Reply, ScriptedServer, scripted_client

STOLEN = "/steal"
HISTORY = "/cpro/factures/v1/consulter/historique"


@pytest.fixture
def elsewhere():
    """The server a redirect points to; it must receive nothing."""
    with ScriptedServer() as other:
        yield other


def raised(call):
    with pytest.raises(ChorusTransportError) as caught:
        call()
    return caught.value


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirected_token_request_is_not_followed_with_the_secret(server, elsewhere, status):
    server.script(TOKEN_PATH, Reply(status=status, headers={"Location": elsewhere.base_url + STOLEN}))
    client = scripted_client(server)
    error = raised(client.get_token)
    assert (error.kind, error.http_status, error.service) == ("redirected", status, "oauth/token")
    assert elsewhere.received == []
    # The token server got the one request (a redirect is not repeated), and nothing else left.
    assert len(server.requests_to(TOKEN_PATH)) == 1
    assert elsewhere.base_url not in str(error)


@pytest.mark.parametrize("status", [302, 307, 308])
def test_a_redirected_api_call_is_not_followed_with_the_technical_account(server, elsewhere, status):
    server.script(HISTORY, Reply(status=status, headers={"Location": elsewhere.base_url + STOLEN}))
    error = raised(lambda: scripted_client(server).invoice_history(1, paged=False))
    assert (error.kind, error.http_status) == ("redirected", status)
    assert elsewhere.received == []
    [call] = server.requests_to(HISTORY)
    assert "cpro-account" in {name.lower() for name in call.headers}


def test_a_token_server_that_redirects_to_itself_is_not_followed_either(server):
    server.script(TOKEN_PATH, Reply(status=307, headers={"Location": server.base_url + STOLEN}))
    assert raised(scripted_client(server).get_token).kind == "redirected"
    assert server.requests_to(STOLEN) == []


@pytest.mark.parametrize(
    "url, accepted",
    [
        ("https://chorus.example.org/api", True),
        ("http://127.0.0.1:8089", True),
        ("http://127.5.6.7/api/oauth/token", True),
        ("http://localhost:8089", True),
        ("http://[::1]:8089", True),
        ("http://chorus.example.org/api", False),
        ("http://10.0.0.5:8089", False),
        ("http://127.0.0.1.attacker.example/api", False),
        ("ftp://127.0.0.1/x", False),
        ("https://user:pwd@chorus.example.org", False),
        ("127.0.0.1:8089", False),
        ("", False),
    ],
)
def test_custom_urls_are_https_or_loopback(url, accepted):
    assert (custom_url_problem(url) is None) == accepted


@pytest.mark.parametrize("setting", ["api_url", "oauth_url"])
def test_a_custom_environment_over_plain_http_elsewhere_is_refused(setting):
    values = {
        "environment": "custom",
        "api_url": "http://127.0.0.1:8089",
        "oauth_url": "http://127.0.0.1:8089/api/oauth/token",
        "client_id": "id",
        "client_secret": CLIENT_SECRET,
        "login": "l",
        "password": "p",
        setting: "http://chorus.example.org/x",
    }
    with pytest.raises(ChorusConfigError) as caught:
        ChorusClient(ChorusConfig(**values))
    assert caught.value.kind == "insecure_url"
    assert setting in str(caught.value)
    assert "example.org" not in str(caught.value)
