"""Several printed invoices in one wkhtmltopdf run where the binary prints only one HTML document.

wkhtmltopdf built on unpatched Qt (Debian's, for one) prints one HTML document per run and writes
no PDF outline, so Odoo can neither pass it one document per record nor split the result by
outline. Such a batch becomes one document instead: the bodies one after the other, each from a
new page. Every record then starts a page and takes at least one, so a PDF with exactly as many
pages as records holds one record per page, which Odoo splits by itself. Any other page count
says some record took more than a page: the caller renders them one by one.
"""

import functools
import subprocess
from io import BytesIO

import lxml.html
from lxml import etree
from pypdf import PdfReader

PATCHED_QT_MARK = "with patched qt"
PAGE_BREAK_STYLE = "page-break-before: always;"
VERSION_TIMEOUT = 10  # seconds


def prints_several_documents(version_output):
    """Whether ``wkhtmltopdf --version`` names a build on patched Qt (several documents, outlines)."""
    return PATCHED_QT_MARK in version_output.lower()


@functools.cache
def binary_prints_several_documents(binary):
    """``prints_several_documents`` of the installed binary, asked once per process."""
    try:
        answer = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=VERSION_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return prints_several_documents(answer.stdout + answer.stderr)


def merge_documents(documents):
    """One HTML document made of ``documents``, each from a new page; None unless they share head and body tag.

    The documents of one report share their ``<head>`` (base URL, styles) and ``<body>`` attributes
    (layout, text direction); a batch mixing them could not be printed as one document.
    """
    trees = [lxml.html.document_fromstring(document) for document in documents]
    first = trees[0]
    head = etree.tostring(first.head)
    body_attributes = dict(first.body.attrib)
    if any(etree.tostring(tree.head) != head or dict(tree.body.attrib) != body_attributes for tree in trees[1:]):
        return None
    for tree in trees[1:]:
        etree.SubElement(first.body, "div", style=PAGE_BREAK_STYLE)
        first.body.extend(list(tree.body))
    return lxml.html.tostring(first, doctype="<!DOCTYPE html>", encoding="unicode")


def page_count(pdf_bytes):
    return len(PdfReader(BytesIO(pdf_bytes)).pages)
