"""The Factur-X PDF is a PDF/A-3 carrying exactly our XML, plus the Chorus attachments."""

import zlib
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from chorus_core.facturx import samples
from chorus_core.facturx.cii import build_cii
from chorus_core.facturx.pdf import deposit_file_name, extract_facturx_xml, make_facturx_pdf

NS_PDFAID = "http://www.aiim.org/pdfa/ns/id/"
NS_FX = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"


def tiny_pdf(text="Facture FA-2026-0001"):
    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def built():
    xml, _findings = build_cii(samples.invoice())
    attachments = [
        ("bon_de_commande.pdf", tiny_pdf("Bon de commande"), "application/pdf", "Bon de commande"),
        ("releve.csv", b"date;heures\n2026-11-02;7\n", "text/csv", "Relevé d'heures"),
    ]
    pdf = make_facturx_pdf(tiny_pdf(), xml, attachments, title="Facture FA-2026-0001", author="Atelier Numérique")
    return xml, pdf, PdfReader(BytesIO(pdf))


def embedded_files(reader):
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    return {str(names[index]): names[index + 1].get_object() for index in range(0, len(names), 2)}


def test_xml_comes_back_byte_equal(built):
    xml, pdf, _reader = built
    assert extract_facturx_xml(pdf) == xml


def test_no_xml_in_a_plain_pdf():
    assert extract_facturx_xml(tiny_pdf()) is None


def test_trailer_id(built):
    _xml, _pdf, reader = built
    identifiers = reader.trailer["/ID"]
    assert len(identifiers) == 2 and all(len(bytes(part.original_bytes)) == 16 for part in identifiers)


def test_xmp_declares_pdfa3b_and_facturx_en16931(built):
    _xml, _pdf, reader = built
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert f'xmlns:pdfaid="{NS_PDFAID}"' in xmp
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert f'xmlns:fx="{NS_FX}"' in xmp
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
    assert "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>" in xmp
    assert "<pdfaSchema:prefix>fx</pdfaSchema:prefix>" in xmp


def test_srgb_output_intent_with_icc_profile(built):
    _xml, _pdf, reader = built
    (intent,) = [item.get_object() for item in reader.trailer["/Root"]["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    icc = profile.get_data()
    assert icc[36:40] == b"acsp"  # ICC signature at its fixed offset
    assert icc[16:20] == b"RGB "
    assert zlib.compress(icc)  # the stream decodes to real bytes


def test_embedded_files_relationships_and_catalog_af(built):
    _xml, _pdf, reader = built
    files = embedded_files(reader)
    assert sorted(files) == ["bon_de_commande.pdf", "factur-x.xml", "releve.csv"]
    assert list(files).count("factur-x.xml") == 1
    assert files["factur-x.xml"]["/AFRelationship"] == "/Data"
    assert files["bon_de_commande.pdf"]["/AFRelationship"] == "/Supplement"
    assert files["releve.csv"]["/AFRelationship"] == "/Supplement"
    subtypes = {name: spec["/EF"]["/F"].get_object()["/Subtype"] for name, spec in files.items()}
    assert subtypes == {
        "factur-x.xml": "/text/xml",
        "bon_de_commande.pdf": "/application/pdf",
        "releve.csv": "/text/csv",
    }
    catalog_af = {id(item.get_object()) for item in reader.trailer["/Root"]["/AF"]}
    assert catalog_af == {id(spec) for spec in files.values()}
    assert files["releve.csv"]["/Desc"] == "Relevé d'heures"


def test_attachment_data_survive(built):
    _xml, pdf, _reader = built
    attachments = PdfReader(BytesIO(pdf)).attachments
    assert attachments["releve.csv"] == [b"date;heures\n2026-11-02;7\n"]


def test_document_info(built):
    _xml, pdf, reader = built
    assert pdf.startswith(b"%PDF-1.7")
    assert reader.metadata["/Title"] == "Facture FA-2026-0001"
    assert reader.metadata["/Author"] == "Atelier Numérique"
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"


def test_invalid_xml_is_refused():
    with pytest.raises(Exception, match=r"(?i)xsd|schema|valid"):
        make_facturx_pdf(tiny_pdf(), build_cii(samples.invoice())[0].replace(b"<ram:TypeCode>380</ram:TypeCode>", b""))


def test_deposited_file_name_says_what_it_is():
    assert deposit_file_name("INV/2026/00012") == "factur-x_INV_2026_00012.pdf"
    assert deposit_file_name("2026-F+1_a") == "factur-x_2026-F+1_a.pdf"
    long_name = deposit_file_name("F" * 300)
    assert len(long_name) == 200 and long_name.endswith(".pdf")
