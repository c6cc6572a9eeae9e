"""Factur-X PDF/A-3: our CII XML and the Chorus attachments embedded in a printed invoice.

The ``factur-x`` library embeds ``factur-x.xml`` (AFRelationship Data), the extra files
(Supplement), the catalog /AF array and the XMP metadata (pdfaid part 3, conformance B, with
the Factur-X extension schema). What PDF/A-3 still needs is added here with pypdf: an sRGB
output intent carrying its ICC profile, a trailer /ID, and the MIME type the caller gave for
each attachment (the library guesses it from the file name).
"""

import re
from datetime import UTC, datetime
from io import BytesIO

import facturx
from PIL import ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, TextStringObject

FACTURX_FILENAME = "factur-x.xml"
FACTURX_LEVEL = "en16931"
XML_RELATIONSHIP = "data"
ATTACHMENT_RELATIONSHIP = "supplement"
PDF_HEADER = b"%PDF-1.7"  # PDF/A-3 is based on PDF 1.7
SRGB_OUTPUT_CONDITION = "sRGB IEC61966-2.1"
RGB_COMPONENTS = 3
PRODUCER = "pypdf"  # what the library writes as pdf:Producer in the XMP; the Info dictionary must agree

# nomFichier of deposerFluxFacture: at most 200 characters (chorus-pro-api.md §3.1, §4.3).
DEPOSIT_NAME_MAX = 200
DEPOSIT_NAME_PREFIX = "factur-x_"
# An invoice number holds letters, digits and - _ / + (§4.3): "/" and anything else become "_".
UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_+.-]")

_icc_profile = None


def deposit_file_name(number):
    """The deposited file's name, ``factur-x_<invoice number>.pdf``, within Chorus Pro's 200 characters."""
    stem = UNSAFE_IN_NAME.sub("_", number or "")
    return f"{DEPOSIT_NAME_PREFIX}{stem}"[: DEPOSIT_NAME_MAX - len(".pdf")] + ".pdf"


def srgb_icc_profile():
    """The sRGB ICC profile bytes (built once by Pillow's LittleCMS, no file shipped)."""
    global _icc_profile
    if _icc_profile is None:
        _icc_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _icc_profile


def make_facturx_pdf(pdf_bytes, xml_bytes, attachments=(), title="", author="", lang="fr-FR", subject=""):
    """Return a Factur-X EN 16931 PDF/A-3 from a printed invoice and its CII XML.

    ``attachments`` are ``(name, data, mime, description)`` tuples embedded next to the XML.
    The XML is checked against the XSD by the library, which raises if it is not valid.
    """
    now = datetime.now(UTC)
    extra_files = {
        name: {
            "filedata": data,
            "description": description,
            "afrelationship": ATTACHMENT_RELATIONSHIP,
            "modification_datetime": now,
        }
        for name, data, _mime, description in attachments
    }
    metadata = {"author": author, "keywords": "Factur-X, Chorus Pro", "title": title, "subject": subject or title}
    facturx_pdf = facturx.generate_from_binary(
        pdf_bytes,
        xml_bytes,
        flavor="factur-x",
        level=FACTURX_LEVEL,
        check_xsd=True,
        pdf_metadata=metadata,
        lang=lang,
        attachments=extra_files,
        afrelationship=XML_RELATIONSHIP,
    )
    return _complete_pdfa(facturx_pdf, {name: mime for name, _data, mime, _description in attachments})


def _complete_pdfa(pdf_bytes, mime_by_name):
    writer = PdfWriter(clone_from=BytesIO(pdf_bytes))
    writer.pdf_header = PDF_HEADER
    root = writer._root_object
    if "/OutputIntents" not in root:
        root[NameObject("/OutputIntents")] = ArrayObject([_srgb_output_intent(writer)])
    for name, filespec in _embedded_files(root):
        mime = mime_by_name.get(name)
        if mime:
            stream = filespec["/EF"]["/F"].get_object()
            stream[NameObject("/Subtype")] = NameObject("/" + mime)
    writer.add_metadata({"/Producer": PRODUCER})
    if not writer._ID:
        writer.generate_file_identifiers()
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def _srgb_output_intent(writer):
    profile = DecodedStreamObject()
    profile.set_data(srgb_icc_profile())
    profile[NameObject("/N")] = NumberObject(RGB_COMPONENTS)
    profile = profile.flate_encode()
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(SRGB_OUTPUT_CONDITION),
            NameObject("/Info"): TextStringObject(SRGB_OUTPUT_CONDITION),
            NameObject("/DestOutputProfile"): writer._add_object(profile),
        }
    )
    return writer._add_object(intent)


def _embedded_files(root):
    """``(name, filespec)`` pairs of the catalog's EmbeddedFiles name tree (a flat one, as the library writes)."""
    names = root.get("/Names", {}).get("/EmbeddedFiles", {}).get("/Names", [])
    for index in range(0, len(names), 2):
        yield str(names[index]), names[index + 1].get_object()


def extract_facturx_xml(pdf_bytes):
    """The bytes of the embedded ``factur-x.xml``, or None when the PDF has none."""
    contents = PdfReader(BytesIO(pdf_bytes)).attachments.get(FACTURX_FILENAME)
    return contents[0] if contents else None
