"""One shape for every problem found on an invoice, by the builder or by a validator."""

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """A rule the invoice breaks.

    ``rule_id`` cites the rule (``BR-CO-15``, ``BR-FR-05_BT-22_PMT``, ``XSD``); ``location``
    is a business term (``BT-27``) for builder findings and an XPath for validator findings.
    """

    rule_id: str
    severity: str
    message: str
    location: str = ""

    @property
    def is_error(self):
        return self.severity == ERROR

    def __str__(self):
        where = f" at {self.location}" if self.location else ""
        return f"[{self.severity}] {self.rule_id}{where}: {self.message}"


def only_errors(findings):
    return [finding for finding in findings if finding.is_error]
