"""A batch of documents printed as one: merged from a new page each, split only at one page per document."""

import shutil
import subprocess

import lxml.html
import pytest

from chorus_core import report_batch

WKHTMLTOPDF = shutil.which("wkhtmltopdf")


def document(text, direction="ltr", paragraphs=1):
    body = "".join(f"<p>{text} {index}</p>" for index in range(paragraphs))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>p { margin: 0; }</style></head>'
        f'<body class="o_body_pdf" dir="{direction}"><div class="article">{body}</div></body></html>'
    )


def test_the_version_says_whether_several_documents_are_printed():
    assert report_batch.prints_several_documents("wkhtmltopdf 0.12.6.1 (with patched qt)\n")
    assert not report_batch.prints_several_documents("wkhtmltopdf 0.12.6\n")


def test_documents_are_merged_each_from_a_new_page():
    merged = lxml.html.document_fromstring(report_batch.merge_documents([document("A"), document("B")]))
    body = merged.body
    assert [child.tag for child in body] == ["div", "div", "div"]
    assert [child.get("class") for child in body] == ["article", None, "article"]
    assert body[1].get("style") == report_batch.PAGE_BREAK_STYLE
    assert body.text_content() == "A 0B 0"
    assert len(merged.head.findall("style")) == 1


def test_documents_of_different_layouts_are_not_merged():
    assert report_batch.merge_documents([document("A"), document("B", direction="rtl")]) is None


def wkhtmltopdf(html, tmp_path):
    source, target = tmp_path / "batch.html", tmp_path / "batch.pdf"
    source.write_text(html, encoding="utf-8")
    subprocess.run([WKHTMLTOPDF, "--quiet", "--javascript-delay", "0", str(source), str(target)], check=True)
    return target.read_bytes()


@pytest.mark.skipif(WKHTMLTOPDF is None, reason="wkhtmltopdf is not installed")
def test_a_merged_batch_has_one_page_per_document_only_when_each_fits_on_a_page(tmp_path):
    short = [document("A"), document("B"), document("C")]
    assert report_batch.page_count(wkhtmltopdf(report_batch.merge_documents(short), tmp_path)) == 3
    # A document longer than a page: the page count no longer matches the documents.
    long = [document("A"), document("B", paragraphs=150)]
    assert report_batch.page_count(wkhtmltopdf(report_batch.merge_documents(long), tmp_path)) > 2
