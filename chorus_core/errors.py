"""Typed errors of the PISTE / Chorus Pro client.

Every error carries a stable ``kind`` the Odoo side maps to a translated message, plus
what Chorus answered (HTTP status, ``codeRetour``, ``libelle``) for support. The
English message says what the user should do. No message, repr or attribute ever
holds a token, a password, a secret, a header or a payload.
"""


class ChorusError(Exception):
    """Base of every error raised by the client.

    ``KINDS`` lists the kinds a class may carry; the first one is its default.
    """

    KINDS = ("configuration",)

    def __init__(self, message, *, kind=None, http_status=None, code_retour=None, libelle=None, service=None):
        super().__init__(message)
        self.message = message
        self.kind = kind or self.KINDS[0]
        if self.kind not in self.KINDS:
            raise ValueError(f"{type(self).__name__} cannot carry the kind {self.kind!r}")
        self.http_status = http_status
        self.code_retour = code_retour
        self.libelle = libelle
        self.service = service

    def __str__(self):
        return self.message

    def __repr__(self):
        return (
            f"{type(self).__name__}(kind={self.kind!r}, service={self.service!r}, http_status={self.http_status!r}, "
            f"code_retour={self.code_retour!r}, libelle={self.libelle!r})"
        )


class ChorusConfigError(ChorusError):
    """The configuration is incomplete or inconsistent; nothing was sent.

    - ``configuration``: a setting is missing or unknown;
    - ``insecure_url``: a custom URL is neither HTTPS nor on this machine (loopback);
    - ``custom_not_allowed``: the server's configuration does not allow a custom environment.
    """

    KINDS = ("configuration", "insecure_url", "custom_not_allowed")


class ChorusAuthError(ChorusError):
    """PISTE or Chorus Pro refused the credentials.

    - ``invalid_client``: the token endpoint refused the PISTE client id / secret;
    - ``invalid_technical_account``: the API refused the technical login / password (``cpro-account``);
    - ``unauthorized``: the API still answered 401 with a brand-new token.
    """

    KINDS = ("invalid_client", "invalid_technical_account", "unauthorized")


class ChorusNotSubscribedError(ChorusError):
    """HTTP 403: the PISTE application is not subscribed to the API group (``api_group``)."""

    KINDS = ("not_subscribed",)

    def __init__(self, message, *, api_group=None, **kwargs):
        super().__init__(message, **kwargs)
        self.api_group = api_group


class ChorusBusinessError(ChorusError):
    """Chorus Pro understood the request and refused it; ``code_retour`` / ``libelle`` are verbatim.

    - ``business``: HTTP 200 with ``codeRetour`` != 0;
    - ``bad_request``: HTTP 400 (malformed or incomplete request);
    - ``flux_not_found``: the flux number is unknown to this technical account;
    - ``structure_not_found``: no Chorus Pro structure for this SIRET;
    - ``own_structure_not_found``: no Chorus Pro structure for the caller's own SIRET.
    """

    KINDS = ("business", "bad_request", "flux_not_found", "structure_not_found", "own_structure_not_found")


class ChorusTransportError(ChorusError):
    """The exchange itself failed; the request may be sent again later.

    - ``network``: no connection could be made;
    - ``timeout``: no answer in time;
    - ``outcome_unknown``: a deposit or upload may have reached Chorus Pro before the
      failure, so it was not repeated automatically: check on Chorus Pro first;
    - ``rate_limited``: HTTP 429 after the retries;
    - ``server_error``: HTTP 5xx (after the retries for 502/503/504);
    - ``payload_too_large``: HTTP 413;
    - ``unsupported_media_type``: HTTP 415;
    - ``unexpected_status``: any other HTTP status (e.g. 404: wrong API URL);
    - ``redirected``: a 3xx answer; never followed, so that no credential goes to another server;
    - ``invalid_response``: the answer is not the JSON expected.
    """

    KINDS = (
        "network",
        "timeout",
        "outcome_unknown",
        "rate_limited",
        "server_error",
        "payload_too_large",
        "unsupported_media_type",
        "unexpected_status",
        "redirected",
        "invalid_response",
    )
