"""Pre-flight of the Factur-X itself: the builder's findings, the XSD and the official Schematrons.

These checks build the XML and run Saxon, so they come last and only on an invoice that is
otherwise ready: a draft or an invoice with a missing SIRET gets the cheap messages first.
The banner on the form, computed at every display, keeps to the cheap checks.
"""

from odoo import _, models

from ..chorus_core.facturx.findings import WARNING
from ..chorus_core.facturx.validate import (
    RULESET_EN16931,
    RULESET_FR2026,
    SCHEMATRON_AVAILABLE,
    validate_schematron,
    validate_xsd,
)

# Problem codes: "facturx_error:<rule>" blocks the deposit, "facturx_warning:<rule>" says what was changed.
FACTURX_ERROR = "facturx_error"
FACTURX_WARNING = "facturx_warning"
TRUNCATION_RULE = "CHORUS-LIMIT"
NO_BANNER_CONTEXT = "chorus_preflight_without_facturx"


class AccountMove(models.Model):
    _inherit = "account.move"

    def _chorus_preflight_problems(self):
        problems = super()._chorus_preflight_problems()
        if problems or self.env.context.get(NO_BANNER_CONTEXT):
            return problems
        return self._chorus_preflight_facturx()

    def _compute_chorus_preflight_message(self):
        # Computed at every display of the form: the XML checks run when the invoice is checked before sending.
        return super(AccountMove, self.with_context(**{NO_BANNER_CONTEXT: True}))._compute_chorus_preflight_message()

    def _chorus_preflight_facturx(self):
        """``(code, message)`` for each finding of the builder (errors and changes) and each validator error."""
        self.ensure_one()
        xml, findings = self._chorus_facturx_build()
        problems = [self._chorus_facturx_problem(finding) for finding in findings]
        validator_findings = validate_xsd(xml)
        if SCHEMATRON_AVAILABLE and not validator_findings:
            validator_findings += validate_schematron(xml, RULESET_EN16931)
            validator_findings += validate_schematron(xml, RULESET_FR2026)
        problems += [self._chorus_facturx_problem(finding) for finding in validator_findings if finding.is_error]
        return problems

    def _chorus_facturx_problem(self, finding):
        kind = FACTURX_WARNING if finding.severity == WARNING else FACTURX_ERROR
        code = f"{kind}:{finding.rule_id}"
        if finding.rule_id == TRUNCATION_RULE and finding.severity == WARNING:
            return code, _(
                "%(field)s is longer than Chorus Pro accepts: it is cut in the Factur-X (%(message)s)",
                field=self._chorus_facturx_term_label(finding.location),
                message=finding.message,
            )
        if kind == FACTURX_WARNING:
            return code, _(
                "Factur-X, %(rule)s at %(location)s: %(message)s",
                rule=finding.rule_id,
                location=finding.location,
                message=finding.message,
            )
        return code, _(
            "The Factur-X breaks rule %(rule)s (%(location)s): %(message)s",
            rule=finding.rule_id,
            location=finding.location or "-",
            message=finding.message,
        )

    def _chorus_facturx_term_label(self, term):
        labels = {
            "BT-27": _("Your company name"),
            "BT-44": _("The customer name"),
            "BT-153": _("A line label"),
            "BT-154": _("A line description"),
            "BT-22": _("A note"),
            "BT-20": _("The payment terms"),
            "BT-82": _("The payment means text"),
            "BT-85": _("The bank account name"),
            "BT-97": _("An allowance or charge reason"),
            "BT-120": _("A VAT exemption reason"),
        }
        return labels.get(term, term)
