"""One shape for every problem found on an invoice, by the builder or by a validator."""

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """A rule the invoice breaks.

    ``rule_id`` cites the rule (``BR-CO-15``, ``CHORUS-BT-1``, ``XSD``); ``location`` is a
    business term (``BT-27``) for builder findings and an XPath for validator findings.

    ``template`` is an English text with named placeholders (``%(number)s``) and ``params`` the
    plain values (strings, numbers) that fill them, kept apart so that the Odoo side translates
    the template first: ``env._(finding.template, **finding.params)``. Every builder template is
    marked with ``chorus_core.i18n._lt`` so that Odoo's extractor collects it. A validator gives
    its message as it comes, with no params: the template is then used as is, ``%`` included.
    """

    rule_id: str
    severity: str
    template: str
    location: str = ""
    params: dict = field(default_factory=dict, hash=False)

    @property
    def message(self):
        """The English text, placeholders filled."""
        return self.template % self.params if self.params else self.template

    @property
    def is_error(self):
        return self.severity == ERROR

    def __str__(self):
        where = f" at {self.location}" if self.location else ""
        return f"[{self.severity}] {self.rule_id}{where}: {self.message}"


def error(rule_id, template, location="", **params):
    """An error finding: ``error("BR-16", _lt("..."), "BG-25", line="1")``."""
    return Finding(rule_id, ERROR, template, location, params)


def warning(rule_id, template, location="", **params):
    return Finding(rule_id, WARNING, template, location, params)


def only_errors(findings):
    return [finding for finding in findings if finding.is_error]
