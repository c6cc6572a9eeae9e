"""Pre-flight of the Factur-X itself: the builder's findings, the XSD and the official Schematron.

These checks build the XML and run Saxon, so they come last and only on an invoice that is
otherwise ready: a draft or an invoice with a missing SIRET gets the cheap messages first.
The banner on the form, computed at every display, keeps to the cheap checks.
"""

import logging

from odoo import _, models

from ..chorus_core.facturx.findings import WARNING
from ..chorus_core.facturx.validate import SchematronError, validate_gate

_logger = logging.getLogger(__name__)

# Problem codes: "facturx_error:<rule>" blocks the deposit, "facturx_warning:<rule>" says what was changed.
FACTURX_ERROR = "facturx_error"
FACTURX_WARNING = "facturx_warning"
FACTURX_UNCHECKED = "facturx_unchecked"
TRUNCATION_RULE = "CHORUS-LIMIT"


class AccountMove(models.Model):
    _inherit = "account.move"

    def _chorus_preflight_facturx(self):
        """``(code, message)`` for each finding of the builder (errors and changes) and each validator error."""
        self.ensure_one()
        xml, findings = self._chorus_facturx_build()
        problems = [self._chorus_facturx_problem(finding) for finding in findings]
        try:
            validator_findings = validate_gate(xml)
        except SchematronError as error:
            _logger.warning("Factur-X of invoice %s not checked: %s", self.id, error)
            return [
                *problems,
                (
                    FACTURX_UNCHECKED,
                    _(
                        "The Factur-X could not be checked against the official rules, so it is not sent: "
                        "ask your administrator to look at the server log (Schematron validation)."
                    ),
                ),
            ]
        problems += [self._chorus_facturx_problem(finding) for finding in validator_findings if finding.is_error]
        return problems

    def _chorus_facturx_problem(self, finding):
        kind = FACTURX_WARNING if finding.severity == WARNING else FACTURX_ERROR
        return f"{kind}:{finding.rule_id}", self._chorus_facturx_message(finding)

    def _chorus_facturx_message(self, finding):
        """The finding as one sentence in the user's language."""
        if finding.rule_id == TRUNCATION_RULE and finding.severity == WARNING:
            return _(
                "%(field)s is longer than Chorus Pro accepts: it is cut in the Factur-X.",
                field=self._chorus_facturx_term_label(finding.location),
            )
        # The core's texts are English templates marked for translation (chorus_core.i18n); the official
        # rule files' texts are English and have none: those are never put inside a translated sentence.
        translated = self.env._(finding.template)
        if translated == finding.template and self.env.lang not in (None, "en_US"):
            return _(
                "The Factur-X breaks rule %(rule)s of the EN 16931 standard (%(location)s): contact your "
                "administrator or support with this rule.",
                rule=finding.rule_id,
                location=finding.location or "-",
            )
        text = translated % finding.params if finding.params else translated
        if finding.severity == WARNING:
            return _("Factur-X (%(rule)s): %(message)s", rule=finding.rule_id, message=text)
        return _("The Factur-X breaks rule %(rule)s: %(message)s", rule=finding.rule_id, message=text)

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
