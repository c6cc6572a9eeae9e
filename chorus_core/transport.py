"""HTTP exchanges with PISTE: timeouts, retries with backoff, and HTTP failures turned into typed errors.

Knows nothing of the Chorus services: it sends one request (again when that is safe)
and returns the ``requests.Response`` the caller decodes.
"""

import email.utils
import itertools
import logging
import random
import time

import requests
from urllib3.exceptions import NewConnectionError

from .errors import ChorusTransportError

_logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
# 429 and 503 say the request was not processed (and may say when to come back). After a 502,
# a 504 or a read timeout the back end may have processed it, so those are repeated only for
# idempotent calls: a deposit repeated blindly could register the same invoices twice.
NOT_PROCESSED_STATUSES = frozenset({429, 503})


def retry_after_seconds(response):
    """Delay asked by a ``Retry-After`` header (seconds or HTTP date), or None."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


# HTTP status -> (kind, message template) for the statuses without a service-specific meaning.
STATUS_ERRORS = {
    413: ("payload_too_large", "Chorus Pro refused the file as too large ({service}): send a smaller one."),
    415: (
        "unsupported_media_type",
        "Chorus Pro refused the request format ({service}); this is a defect of the client, report it.",
    ),
    429: ("rate_limited", "Chorus Pro is limiting the request rate ({service}): retry in a few minutes."),
}
# Every call carries credentials (the token request its client secret, the API calls the Bearer token and
# the technical account): a redirect is never followed, whatever server it points to.
REDIRECTED = (
    "redirected",
    "Chorus Pro answered HTTP {status} (a redirect) to {service}; it is not followed, so that no credential goes "
    "to another server: check the API and token URLs of the Chorus Pro settings.",
)
SERVER_ERROR = (
    "server_error",
    (
        "Chorus Pro answered with a server error (HTTP {status}, {service}): retry later; "
        "if it persists, check the Chorus Pro service status."
    ),
)
UNEXPECTED_STATUS = (
    "unexpected_status",
    "Chorus Pro answered HTTP {status} to {service}: check the API URL of the Chorus Pro settings.",
)


def error_for_status(response, service, wait=None):
    """The transport error for an HTTP status the caller has no specific meaning for.

    ``wait``: the delay Chorus asked for with Retry-After, when it was too long to wait for.
    """
    status = response.status_code
    kind, template = STATUS_ERRORS.get(status) or _template_for(status)
    message = template.format(status=status, service=service)
    if wait is not None:
        message += f" Chorus Pro asked to wait {wait:.0f} s."
    return ChorusTransportError(message, kind=kind, http_status=status, service=service)


def _template_for(status):
    if 300 <= status < 400:
        return REDIRECTED
    return SERVER_ERROR if status >= 500 else UNEXPECTED_STATUS


def _never_sent(exc):
    """True when the request surely never left: connect timeout, refused connection, unknown host."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError)


class Transport:
    """Sends requests with the configured timeouts and retries.

    ``sleep`` is injectable so tests can record the delays instead of waiting.
    """

    def __init__(self, config, session=None, sleep=time.sleep):
        self.config = config
        self.session = session or requests.Session()
        self.sleep = sleep

    def request(self, method, url, *, service, idempotent=True, **kwargs):
        """Send the request, repeating it on transient failures; return the final response.

        Statuses other than 429/502/503/504 are returned as they are, for the caller to decode.
        Raise ChorusTransportError when no usable answer came after the retries.
        """
        for attempt in itertools.count():
            response, error, repeatable, delay = self._attempt(method, url, service, idempotent, kwargs)
            if response is not None:
                return response
            if not repeatable or attempt >= self.config.max_retries:
                raise error
            if delay is None:
                delay = self._backoff(attempt)
            _logger.warning(
                "Chorus %s: attempt %s/%s failed (%s), next one in %.2f s",
                service,
                attempt + 1,
                self.config.max_retries + 1,
                error.kind,
                delay,
            )
            self.sleep(delay)

    def _attempt(self, method, url, service, idempotent, kwargs):
        """One send: (usable response, or None with the error, whether to repeat, the delay Chorus asked)."""
        started = time.monotonic()
        try:
            # Never follow a redirect: requests would send the form (client secret) or the cpro-account header on.
            response = self.session.request(method, url, timeout=self.config.timeout, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            _logger.debug("Chorus %s: %s after %.0f ms", service, type(exc).__name__, _ms_since(started))
            return (None, *self._error_for_exception(exc, service, idempotent), None)
        _logger.debug("Chorus %s: HTTP %s in %.0f ms", service, response.status_code, _ms_since(started))
        status = response.status_code
        if status not in RETRYABLE_STATUSES:
            return response, None, False, None
        response.close()
        delay = retry_after_seconds(response) if status in NOT_PROCESSED_STATUSES else None
        if delay is not None and delay > self.config.max_retry_after:
            return None, error_for_status(response, service, wait=delay), False, None
        if not idempotent and status not in NOT_PROCESSED_STATUSES:
            return None, outcome_unknown(service, status), False, None
        return None, error_for_status(response, service), True, delay

    def _backoff(self, attempt):
        ceiling = min(self.config.backoff_max, self.config.backoff_base * 2**attempt)
        # Jitter spreads the retries of several workers hit by the same outage.
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _error_for_exception(self, exc, service, idempotent):
        """(error, may the request be sent again) for a requests exception."""
        if isinstance(exc, requests.Timeout):
            connect, read = self.config.timeout
            message = (
                f"Chorus Pro did not answer in time ({service}, connect {connect} s / read {read} s): retry later; "
                "if it persists, check the Chorus Pro service status."
            )
            error = ChorusTransportError(message, kind="timeout", service=service)
        elif isinstance(exc, requests.ConnectionError):
            message = (
                f"Cannot reach Chorus Pro ({service}): check the network access of the server and the API URL "
                "of the Chorus Pro settings, then retry."
            )
            error = ChorusTransportError(message, kind="network", service=service)
        else:
            message = f"The request to Chorus Pro could not be sent ({service}): check the API URL."
            return ChorusTransportError(message, kind="network", service=service), False
        if not idempotent and not _never_sent(exc):
            return outcome_unknown(service, None), False
        return error, True


def outcome_unknown(service, http_status):
    """A request that must not be repeated may have taken effect on Chorus Pro, but its answer is lost."""
    message = (
        f"The exchange with Chorus Pro broke off during {service} and Chorus Pro may have received it: "
        "check on Chorus Pro before sending it again."
    )
    return ChorusTransportError(message, kind="outcome_unknown", http_status=http_status, service=service)


def _ms_since(started):
    return (time.monotonic() - started) * 1000
