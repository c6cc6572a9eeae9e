"""PISTE OAuth2 tokens, Bearer checks, API subscriptions and the ``cpro-account`` header (§1.3, §1.4)."""

import base64
import binascii
import secrets
import time

from . import fixtures
from .responses import HttpError

CPRO_ACCOUNT_CHALLENGE = 'Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects"'


def issue_token(state, form):
    """Answer of ``POST /api/oauth/token`` for a parsed form."""
    if form.get("grant_type") != "client_credentials":
        raise HttpError(
            400,
            {
                "error": "unsupported_grant_type",
                "error_description": "grant_type must be client_credentials",
            },
        )
    client = state.data["clients"].get(form.get("client_id", ""))
    # Same body for an unknown id and a wrong secret, like PISTE.
    if client is None or not secrets.compare_digest(client["secret"], form.get("client_secret", "")):
        raise HttpError(
            400,
            {
                "error": "invalid_client",
                "error_description": "Client authentication failed",
            },
        )
    lifetime = state.settings["token_lifetime"]
    token = secrets.token_urlsafe(32)
    state.data["tokens"][token] = {
        "client_id": form["client_id"],
        "expires_at": time.time() + lifetime,
    }
    _forget_expired(state)
    return {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": int(lifetime),
        "scope": "openid",
    }


def _forget_expired(state):
    moment = time.time()
    tokens = state.data["tokens"]
    for token in [token for token, info in tokens.items() if info["expires_at"] <= moment]:
        del tokens[token]


def expire_tokens(state):
    state.data["tokens"].clear()


def bearer_client(state, header):
    """Client id of a valid Bearer token, else 401 as the gateway answers."""
    scheme, _sep, token = (header or "").partition(" ")
    info = state.data["tokens"].get(token.strip()) if scheme.lower() == "bearer" else None
    if info is None or info["expires_at"] <= time.time():
        raise HttpError(
            401,
            {
                "error": "invalid_token",
                "error_description": "Invalid or expired access token",
            },
            {"WWW-Authenticate": 'Bearer realm="PISTE",error="invalid_token"'},
        )
    return info["client_id"]


def check_subscription(state, client_id, group):
    """An API the PISTE application did not subscribe to answers 403 with an empty body."""
    if group not in state.data["clients"].get(client_id, {}).get("subscriptions", ()):
        raise HttpError(403)


def technical_account(header):
    """Decode ``cpro-account`` (base64 of UTF-8 ``login:password``) into the account it names."""
    try:
        login, _sep, password = base64.b64decode(header or "", validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        login = password = None
    account = fixtures.TECH_ACCOUNTS.get(login or "")
    if account is None or not secrets.compare_digest(account["password"], password or ""):
        raise HttpError(
            401,
            {"error": "Unauthorized", "error_description": "login or password incorrects"},
            {"WWW-Authenticate": CPRO_ACCOUNT_CHALLENGE},
        )
    return {"login": login, "supplier_siret": account["supplier_siret"]}
