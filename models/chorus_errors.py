"""What each ``ChorusError.kind`` means for the user, in plain translated words.

The client's errors carry a stable ``kind``; this table turns it into a sentence saying what
to do, only where a user reads it (a UserError, a notification, the chatter). Every message
is built from the error's kind, API group, HTTP status and Chorus ``libelle``: never from the
configuration, so no secret can reach a message.
"""

# Chorus refused what we sent and its ``libelle`` says why: worth showing verbatim.
KINDS_WITH_LIBELLE = ("business", "bad_request", "flux_not_found")

CHORUS_ERROR_MESSAGES = {
    "configuration": lambda env, facts: env._(
        "Chorus Pro is not fully configured: fill in the PISTE client ID and secret and the technical login and "
        "password (and, for a custom environment, the API and token URLs) in Settings > Accounting > Chorus Pro."
    ),
    "insecure_url": lambda env, facts: env._(
        "The API or token URL of the custom Chorus Pro environment is refused: credentials are sent only over HTTPS, "
        "or over plain HTTP to this machine (a local sandbox). An administrator corrects it in Settings > Accounting "
        "> Chorus Pro."
    ),
    "custom_not_allowed": lambda env, facts: env._(
        "This server does not allow a custom Chorus Pro environment: an administrator chooses Qualification or "
        "Production in Settings > Accounting > Chorus Pro."
    ),
    "invalid_client": lambda env, facts: env._(
        "PISTE refused the application credentials: check the PISTE client ID and secret of the %(environment)s "
        "environment in Settings > Accounting > Chorus Pro.",
        environment=facts["environment"],
    ),
    "invalid_technical_account": lambda env, facts: env._(
        "Chorus Pro refused the technical account: check the technical login and password in Settings > Accounting "
        "> Chorus Pro. The technical password expires every 14 months; the main manager of your structure renews "
        "it on Chorus Pro."
    ),
    "unauthorized": lambda env, facts: env._(
        "Chorus Pro refused the connection even with a new token: check the PISTE client ID and secret and the "
        "technical login and password in Settings > Accounting > Chorus Pro, and that the technical account is "
        "linked to your PISTE application on Chorus Pro."
    ),
    "not_subscribed": lambda env, facts: env._(
        "Access to the Chorus Pro %(api)s API was refused: subscribe your PISTE application to the %(api)s API of "
        "the %(environment)s environment (and accept its terms of use), and check that the technical account has "
        "rights on your structure.",
        api=facts["api"],
        environment=facts["environment"],
    ),
    "business": lambda env, facts: env._("Chorus Pro refused the request."),
    "bad_request": lambda env, facts: env._(
        "Chorus Pro refused the request as invalid: please report it to your Odoo support."
    ),
    "flux_not_found": lambda env, facts: env._(
        "Chorus Pro does not know this deposit for your technical account: check that the technical account in "
        "Settings > Accounting > Chorus Pro is the one that sent it."
    ),
    "structure_not_found": lambda env, facts: env._(
        "Chorus Pro knows no structure with the SIRET %(siret)s: check the customer's SIRET (14 digits, not the "
        "SIREN). Only structures registered on Chorus Pro can receive invoices.",
        siret=facts["siret"],
    ),
    "own_structure_not_found": lambda env, facts: env._(
        "The Chorus Pro technical account does not invoice for your company's SIRET %(siret)s: check the SIRET in "
        "the company's settings, and that the technical account is attached to that structure on Chorus Pro.",
        siret=facts["siret"],
    ),
    "network": lambda env, facts: env._(
        "Chorus Pro could not be reached: check the server's internet access (and the API URL of a custom "
        "environment), then try again later."
    ),
    "timeout": lambda env, facts: env._("Chorus Pro did not answer in time: try again later."),
    "outcome_unknown": lambda env, facts: env._(
        "The connection to Chorus Pro was lost after the document was sent: Chorus Pro may have received it. Check "
        "on Chorus Pro before sending it again."
    ),
    "rate_limited": lambda env, facts: env._("Chorus Pro received too many requests: try again in a few minutes."),
    "server_error": lambda env, facts: env._("Chorus Pro is unavailable at the moment: try again later."),
    "payload_too_large": lambda env, facts: env._(
        "The file is too large for Chorus Pro: reduce the size of the PDF and its attachments."
    ),
    "unsupported_media_type": lambda env, facts: env._(
        "Chorus Pro refused the format of the request: please report it to your Odoo support."
    ),
    "unexpected_status": lambda env, facts: env._(
        "Chorus Pro answered with the unexpected HTTP status %(status)s: check the API URL in Settings > Accounting "
        "> Chorus Pro, then try again later.",
        status=facts["status"],
    ),
    "redirected": lambda env, facts: env._(
        "Chorus Pro answered with a redirect, which Odoo does not follow so that no credential goes to another "
        "server: an administrator checks the environment and URLs in Settings > Accounting > Chorus Pro."
    ),
    "invalid_response": lambda env, facts: env._(
        "Chorus Pro sent an answer that cannot be read: try again later; if it persists, check the API URL in "
        "Settings > Accounting > Chorus Pro."
    ),
}


def chorus_error_message(env, error, environment="", siret=""):
    """The translated sentence for ``error``; ``environment`` is the label of the company's Chorus environment.

    Business refusals end with Chorus' own ``libelle`` and code, for support.
    """
    facts = {
        "environment": environment,
        "api": getattr(error, "api_group", None) or "",
        "status": error.http_status or "",
        "siret": siret,
    }
    build = CHORUS_ERROR_MESSAGES.get(error.kind)
    # A kind added to the client before this table: its English message still says what to do.
    message = build(env, facts) if build else str(error)
    if error.kind in KINDS_WITH_LIBELLE and error.libelle:
        message = env._(
            "%(message)s Chorus Pro says: %(libelle)s (code %(code)s).",
            message=message,
            libelle=error.libelle,
            code=error.code_retour or error.http_status or "",
        )
    return message
