"""Limits Chorus Pro enforces on what it receives (shared/docs/chorus-pro-api.md §4.3, §7.3)."""

import re

INVOICE_NUMBER_MAX = 20
# Letters, digits and the four special characters Chorus accepts in BT-1.
INVOICE_NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9\-_/+]+$")
ENGAGEMENT_MAX = 50
CONTRACT_MAX = 50
SERVICE_CODE_MAX = 100
PARTY_NAME_MAX = 99
FREE_TEXT_MAX = 1024

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_TOTAL_MAX_BYTES = 120 * 1024 * 1024
ATTACHMENT_NAME_MAX = 50
ATTACHMENT_EXTENSIONS = frozenset(
    """BMP GIF FAX ODT PPT TIFF XLS BZ2 GZ JPEG P7S RTF TXT XML CSV GZIP JPG PDF SVG
    XHTML XLSX DOC HTM ODP PNG TGZ XLC ZIP DOCX HTML ODS PPS TIF XLM PPTX""".split()
)

# Never invoiced by a private supplier: reserved to invoicing between public entities.
FORBIDDEN_SERVICE_CODES = frozenset({"FACTURES_PUBLIQUES"})


def invoice_number_problem(number):
    """Return 'too_long', 'bad_characters' or None for an invoice number (BT-1)."""
    if len(number or "") > INVOICE_NUMBER_MAX:
        return "too_long"
    if not INVOICE_NUMBER_PATTERN.match(number or ""):
        return "bad_characters"
    return None


def attachment_extension(name):
    return name.rpartition(".")[2].upper() if "." in (name or "") else ""


def attachment_problems(attachments):
    """Check attachments chosen for Chorus against its limits.

    ``attachments`` is an iterable of ``(name, size_in_bytes)``. Returns a list of
    ``(problem, name)`` with problem in 'empty', 'too_big', 'name_too_long',
    'bad_extension', and ``('total_too_big', None)`` when the sum is over the limit.
    """
    problems = []
    total = 0
    for name, size in attachments:
        total += size
        if not size:
            problems.append(("empty", name))
        elif size >= ATTACHMENT_MAX_BYTES:
            problems.append(("too_big", name))
        if len(name) > ATTACHMENT_NAME_MAX:
            problems.append(("name_too_long", name))
        if attachment_extension(name) not in ATTACHMENT_EXTENSIONS:
            problems.append(("bad_extension", name))
    if total > ATTACHMENTS_TOTAL_MAX_BYTES:
        problems.append(("total_too_big", None))
    return problems
