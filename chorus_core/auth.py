"""PISTE OAuth2 token (client credentials) shared by the whole process, and the request authentication.

One token per PISTE application (token URL + client id + secret) serves every call and
every client instance until shortly before it expires; a lock per application makes
concurrent callers wait for one token request instead of each asking for its own.
"""

import base64
import hashlib
import logging
import threading
import time

import requests

from .errors import ChorusAuthError, ChorusTransportError
from .transport import error_for_status

_logger = logging.getLogger(__name__)

# Documented lifetime, used when the token answer does not say (chorus-pro-api.md §1.3).
DEFAULT_TOKEN_LIFETIME = 3600
# Renew that long before expiry (OCA uses 240 s) ...
TOKEN_RENEWAL_MARGIN = 240
# ... but never more than this fraction of a short lifetime, or a short-lived token would never be used.
TOKEN_RENEWAL_MAX_FRACTION = 0.1

JSON_CONTENT_TYPE = "application/json;charset=utf-8"

# key -> (access token, monotonic time after which it must be renewed)
_cached_tokens = {}
_application_locks = {}
_registry_lock = threading.Lock()


def clear_token_cache():
    """Forget every cached token (tests; a settings change already uses a new key)."""
    with _registry_lock:
        _cached_tokens.clear()


def _lock_for(key):
    with _registry_lock:
        return _application_locks.setdefault(key, threading.Lock())


def renewal_delay(lifetime):
    """Seconds a token of this lifetime is used before a new one is asked."""
    return lifetime - min(TOKEN_RENEWAL_MARGIN, lifetime * TOKEN_RENEWAL_MAX_FRACTION)


def technical_account_header(login, password):
    """``cpro-account``: standard base64 of UTF-8 ``login:password``, no wrapping, no "Basic" prefix."""
    return base64.b64encode(f"{login}:{password}".encode()).decode("ascii")


class TokenProvider:
    """Gets, caches and renews the PISTE token of one application."""

    SERVICE = "oauth/token"

    def __init__(self, config, transport):
        self.config = config
        self.transport = transport
        secret_digest = hashlib.sha256(config.client_secret.encode()).hexdigest()
        self._key = (config.token_url, config.client_id, secret_digest)

    def __repr__(self):
        return f"TokenProvider(token_url={self.config.token_url!r}, client_id={self.config.client_id!r})"

    def token(self):
        """A valid access token, from the cache when possible."""
        cached = _cached_tokens.get(self._key)
        if cached and time.monotonic() < cached[1]:
            return cached[0]
        with _lock_for(self._key):
            # Another thread may have renewed it while this one waited for the lock.
            cached = _cached_tokens.get(self._key)
            if cached and time.monotonic() < cached[1]:
                return cached[0]
            value, lifetime = self._request_token()
            _cached_tokens[self._key] = (value, time.monotonic() + renewal_delay(lifetime))
            return value

    def invalidate(self, rejected_token):
        """Drop the cached token if it is the one the API rejected (not a newer one)."""
        with _lock_for(self._key):
            cached = _cached_tokens.get(self._key)
            if cached and cached[0] == rejected_token:
                del _cached_tokens[self._key]

    def _request_token(self):
        form = {
            "grant_type": "client_credentials",
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
            "scope": "openid",
        }
        response = self.transport.request(
            "POST", self.config.token_url, service=self.SERVICE, data=form, headers={"Accept": "application/json"}
        )
        if response.status_code in (400, 401):
            raise ChorusAuthError(
                "PISTE refused the application credentials: check the PISTE client id and client secret "
                f"of the {self.config.environment} environment in the Chorus Pro settings.",
                kind="invalid_client",
                http_status=response.status_code,
                libelle=_oauth_error_code(response),
                service=self.SERVICE,
            )
        if response.status_code != 200:
            raise error_for_status(response, self.SERVICE)
        try:
            answer = response.json()
            value = answer["access_token"]
        except (ValueError, KeyError, TypeError):
            value = None
        if not isinstance(value, str) or not value:
            raise ChorusTransportError(
                "PISTE answered the token request without a token: check the OAuth URL of the Chorus Pro settings.",
                kind="invalid_response",
                http_status=response.status_code,
                service=self.SERVICE,
            )
        lifetime = _positive_number(answer.get("expires_in")) or DEFAULT_TOKEN_LIFETIME
        _logger.info("PISTE token obtained, valid %s s", lifetime)
        return value, lifetime


def _oauth_error_code(response):
    """The OAuth ``error`` code (e.g. invalid_client): safe to keep, unlike the rest of the body."""
    try:
        code = response.json().get("error")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, str) else None


def _positive_number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


class ChorusAuth(requests.auth.AuthBase):
    """Adds the PISTE Bearer token and the Chorus technical account to every API request."""

    def __init__(self, tokens, login, password):
        self.tokens = tokens
        self._technical_account = technical_account_header(login, password)

    def __repr__(self):
        return f"ChorusAuth({self.tokens!r})"

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.tokens.token()}"
        request.headers["cpro-account"] = self._technical_account
        return request


def bearer_token_of(request):
    """The token a sent request carried, to invalidate exactly that one after a 401."""
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ")
