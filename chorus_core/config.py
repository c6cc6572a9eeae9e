"""Connection settings of the Chorus Pro client: environment, credentials, timeouts, retries."""

import dataclasses
import ipaddress
import urllib.parse

from .errors import ChorusConfigError

# (API base, OAuth2 token URL) per PISTE environment, see chorus-pro-api.md §1.1.
PISTE_HOSTS = {
    "production": ("https://api.piste.gouv.fr", "https://oauth.piste.gouv.fr/api/oauth/token"),
    "qualification": ("https://sandbox-api.piste.gouv.fr", "https://sandbox-oauth.piste.gouv.fr/api/oauth/token"),
}
ENVIRONMENTS = (*PISTE_HOSTS, "custom")
LOOPBACK_NAMES = ("localhost",)


def is_loopback_host(host):
    """Whether ``host`` (a name or an IP address) is this machine: ``localhost``, 127.0.0.0/8 or ::1."""
    host = (host or "").strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def custom_url_problem(url):
    """Why a custom API or token URL is refused, or None: HTTPS anywhere, plain HTTP only on loopback.

    Credentials travel to these URLs: a plain HTTP server elsewhere would read them on the way.
    """
    try:
        parts = urllib.parse.urlsplit(url or "")
        host = parts.hostname
    except ValueError:
        return "not a valid URL"
    if parts.scheme not in ("https", "http") or not host:
        return "not an http(s) URL"
    if parts.username or parts.password:
        return "user information in the URL"
    if parts.scheme == "http" and not is_loopback_host(host):
        return "plain HTTP to another machine (use HTTPS)"
    return None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChorusConfig:
    """Everything the client needs; the Odoo side builds it from the company fields.

    ``custom`` points the client at any other server (the local sandbox): ``api_url`` is
    the base the client appends ``/cpro/...`` to, ``oauth_url`` the full token URL.
    Secrets are kept out of ``repr`` so a config can be logged or shown in a traceback.
    """

    environment: str = "qualification"
    client_id: str
    client_secret: str = dataclasses.field(repr=False)
    login: str
    password: str = dataclasses.field(repr=False)
    api_url: str = ""
    oauth_url: str = ""
    # (connect, read) seconds, passed to every request; one number sets both.
    timeout: tuple = (5, 30)
    # Extra attempts after a connection error, a timeout, a 429, 502, 503 or 504.
    max_retries: int = 3
    # Exponential backoff: about backoff_base * 2**attempt seconds, jittered, at most backoff_max.
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    # A 429 asking to wait longer than this is reported at once instead of blocking the caller.
    max_retry_after: float = 120.0

    def __post_init__(self):
        if self.environment not in ENVIRONMENTS:
            raise ChorusConfigError(
                f"Unknown Chorus Pro environment {self.environment!r}: choose one of {', '.join(ENVIRONMENTS)}."
            )
        required = ["client_id", "client_secret", "login", "password"]
        if self.environment == "custom":
            required += ["api_url", "oauth_url"]
        missing = [name for name in required if not getattr(self, name)]
        if missing:
            raise ChorusConfigError(f"Chorus Pro settings incomplete: fill in {', '.join(missing)}.")
        if self.environment == "custom":
            # The message names the setting, never the URL: it may be shown to users who cannot see it.
            for name in ("api_url", "oauth_url"):
                if problem := custom_url_problem(getattr(self, name)):
                    raise ChorusConfigError(f"Chorus Pro {name} refused: {problem}.", kind="insecure_url")
        if isinstance(self.timeout, (int, float)):
            # One number means the same limit to connect and to read, as in requests.
            object.__setattr__(self, "timeout", (self.timeout, self.timeout))
        if self.max_retries < 0:
            raise ChorusConfigError("Chorus Pro max_retries cannot be negative.")

    @property
    def api_base_url(self):
        if self.environment == "custom":
            return self.api_url.rstrip("/")
        return PISTE_HOSTS[self.environment][0]

    @property
    def token_url(self):
        if self.environment == "custom":
            return self.oauth_url
        return PISTE_HOSTS[self.environment][1]
