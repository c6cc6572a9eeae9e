"""Helpers of the client's sandbox tests: a client of the sandbox and its /sandbox/* control routes."""

import requests

from chorus_core.client import ChorusClient, ChorusConfig
from chorus_core.sandbox import fixtures as fx


def sandbox_client(sandbox, sleeps=None, page_size=100, **overrides):
    """A client of the sandbox with tiny backoffs; delays it would sleep go to ``sleeps``."""
    settings = {
        "environment": "custom",
        "api_url": sandbox.base_url,
        "oauth_url": sandbox.oauth_url,
        "client_id": fx.CLIENT_ID,
        "client_secret": fx.CLIENT_SECRET,
        "login": fx.TECH_LOGIN,
        "password": fx.TECH_PASSWORD,
        "backoff_base": 0.001,
        "backoff_max": 0.01,
        **overrides,
    }
    sleep = sleeps.append if sleeps is not None else (lambda _delay: None)
    return ChorusClient(ChorusConfig(**settings), sleep=sleep, page_size=page_size)


def control(sandbox, method, route, body=None):
    """Call a /sandbox/* control route over HTTP; return its JSON answer."""
    response = requests.request(method, f"{sandbox.base_url}/sandbox/{route}", json=body, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()
