"""Open a deposited flux: archives, Factur-X PDFs and CII XML, and the XSD-like checks.

Anything found here makes the whole flux IN_REJETE with ``listeErreurTechnique``; the
business rules per invoice live in ``validation.py``.
"""

import io
import re
import tarfile
import zipfile

from facturx import get_xml_from_pdf
from lxml import etree

from .amounts import DECIMAL, SUMMATION_TAGS, decimal, vat_key

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
ROOT_TAG = f"{{{NS['rsm']}}}CrossIndustryInvoice"

# Extension of the single documents each syntax carries (§10 rule 6).
SYNTAX_EXTENSIONS = {"IN_DP_E2_CII_FACTURX": ".pdf", "IN_DP_E1_CII_16B": ".xml"}
ARCHIVE_EXTENSIONS = (".tar.gz", ".tgz", ".zip")
ARCHIVE_MAX_MEMBERS = 500
# Guard against archive bombs: the sum of the uncompressed members.
ARCHIVE_MAX_UNCOMPRESSED = 200 * 1024 * 1024

DATE_102 = re.compile(r"^\d{8}$")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

AGREEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
SETTLEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
SUMMATION = SETTLEMENT + "/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
CONTEXT = "rsm:ExchangedDocumentContext"


class TechnicalError(Exception):
    """A flux the exchange system cannot read; ``code`` goes to ``codeErreur``."""

    def __init__(self, code, text):
        super().__init__(text)
        self.code = code
        self.text = text

    def as_dict(self):
        return {
            "codeErreur": self.code,
            "libelleErreur": f"IRRECEVABILITE: {self.text}",
            "natureErreur": "BLOQUANTE",
        }


def is_archive(name):
    return name.lower().endswith(ARCHIVE_EXTENSIONS)


def split_flux(name, content, syntax):
    """Return the ``[(member name, bytes)]`` documents of a deposited file."""
    expected = SYNTAX_EXTENSIONS.get(syntax)
    if expected is None:
        raise TechnicalError("ERR_FMT_003", f"La syntaxe {syntax} n'est pas traitée par ce bac à sable.")
    members = _archive_members(name, content) if is_archive(name) else [(name, content)]
    if not members:
        raise TechnicalError("ERR_FMT_001", f"L'archive {name} ne contient aucun fichier.")
    for member, _data in members:
        if not member.lower().endswith(expected):
            raise TechnicalError(
                "ERR_FMT_002",
                f"L'extension du fichier {member} n'est pas cohérente avec la syntaxe {syntax} (attendu : {expected}).",
            )
    return members


def _archive_members(name, content):
    try:
        if name.lower().endswith(".zip"):
            return _zip_members(content)
        return _tar_members(content)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        raise TechnicalError("ERR_FMT_001", f"L'archive {name} est illisible ({exc}).") from exc


def _zip_members(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        _check_archive_size(len(infos), sum(info.file_size for info in infos))
        return [(info.filename.rpartition("/")[2], archive.read(info)) for info in infos]


def _tar_members(content):
    with tarfile.open(fileobj=io.BytesIO(content), mode="r:*") as archive:
        infos = [info for info in archive.getmembers() if info.isfile()]
        _check_archive_size(len(infos), sum(info.size for info in infos))
        return [(info.name.rpartition("/")[2], archive.extractfile(info).read()) for info in infos]


def _check_archive_size(count, total):
    if count > ARCHIVE_MAX_MEMBERS or total > ARCHIVE_MAX_UNCOMPRESSED:
        raise TechnicalError(
            "ERR_FMT_001",
            "L'archive dépasse le nombre de fichiers ou la taille autorisés.",
        )


def document_xml(name, content):
    """The CII XML of one document: the file itself, or the factur-x.xml inside a PDF."""
    if not name.lower().endswith(".pdf"):
        return content
    if not content.startswith(b"%PDF"):
        raise TechnicalError("ERR_FMT_001", f"Le fichier {name} n'est pas un PDF lisible.")
    try:
        _filename, xml = get_xml_from_pdf(content, check_xsd=False)
    except Exception as exc:  # any failure of the PDF library means an unreadable file
        raise TechnicalError("ERR_FMT_001", f"Le fichier {name} n'est pas un PDF lisible ({exc}).") from exc
    if not xml:
        raise TechnicalError("ERR_FMT_001", f"Le PDF {name} ne contient pas de fichier factur-x.xml.")
    return xml


def _xsd_error(node, text):
    return TechnicalError("ERR_XSD_001", f"{text} - ligne: {node.sourceline} - position: 0")


def _text(root, path):
    node = root.find(path, NS)
    return node.text.strip() if node is not None and node.text else None


def _legal_id(root, party):
    """``(value, schemeID)`` of a party's BT-30/BT-47 ``SpecifiedLegalOrganization/ID``, or ``(None, None)``.

    Chorus identifies the supplier and the recipient by this element alone: a SIRET in
    ``GlobalID`` (BT-29/BT-46) does not stand in for a SIREN here (§7.1).
    """
    node = root.find(f"{AGREEMENT}/ram:{party}/ram:SpecifiedLegalOrganization/ram:ID", NS)
    if node is None or not (node.text or "").strip():
        return None, None
    return node.text.strip(), node.get("schemeID")


def _framework(root):
    """BT-23, the cadre de facturation: ``None`` when the element is absent (A1), else its text."""
    node = root.find(f"{CONTEXT}/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", NS)
    return None if node is None else (node.text or "").strip()


def _amount(node):
    """The decimal of an amount element, or the XSD error Chorus gives for a value that is not one."""
    value = decimal(node.text)
    if value is None:
        raise _xsd_error(
            node, f"cvc-datatype-valid.1.2.1: '{(node.text or '').strip()}' is not a valid value for 'decimal'."
        )
    return value


def _vat_of(node, tax_tag):
    if node is None:
        return vat_key(None, None)
    return vat_key(_text(node, f"{tax_tag}/ram:CategoryCode"), _text(node, f"{tax_tag}/ram:RateApplicablePercent"))


def _figures(root, currency):
    """The amounts the coherence rules compare (``amounts.amount_errors``), as Decimals."""
    lines = []
    for item in root.iterfind("rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem", NS):
        settlement = item.find("ram:SpecifiedLineTradeSettlement", NS)
        node = item.find("ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/"
                         "ram:LineTotalAmount", NS)  # fmt: skip
        if node is not None:
            lines.append((_vat_of(settlement, "ram:ApplicableTradeTax"), _amount(node)))
    groups = []
    for tax in root.iterfind(f"{SETTLEMENT}/ram:ApplicableTradeTax", NS):
        basis, calculated = tax.find("ram:BasisAmount", NS), tax.find("ram:CalculatedAmount", NS)
        if basis is not None and calculated is not None:
            key = vat_key(_text(tax, "ram:CategoryCode"), _text(tax, "ram:RateApplicablePercent"))
            groups.append((key, _amount(basis), _amount(calculated)))
    allowances = []
    for item in root.iterfind(f"{SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge", NS):
        node = item.find("ram:ActualAmount", NS)
        if node is not None:
            sign = 1 if _text(item, "ram:ChargeIndicator/udt:Indicator") == "true" else -1
            allowances.append((_vat_of(item, "ram:CategoryTradeTax"), sign * _amount(node)))
    totals = {}
    for term, tag in SUMMATION_TAGS.items():
        for node in root.iterfind(f"{SUMMATION}/ram:{tag}", NS):
            # BT-110 in the invoice currency; BT-111 (in EUR) carries the same tag.
            if node.get("currencyID") in (None, currency) and term not in totals:
                totals[term] = _amount(node)
    return {"lines": lines, "vat": groups, "allowances": allowances, "totals": totals}


def parse_invoice(xml):
    """Return the fields of one CII invoice the sandbox needs, or raise TechnicalError."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise TechnicalError("ERR_XSD_001", f"cvc-xml-wellformed: {exc.msg} - ligne: {exc.lineno}") from exc
    if root.tag != ROOT_TAG:
        raise _xsd_error(
            root,
            f"cvc-elt.1.a: Cannot find the declaration of element '{etree.QName(root).localname}'.",
        )
    document = root.find("rsm:ExchangedDocument", NS)
    number = _text(root, "rsm:ExchangedDocument/ram:ID")
    type_code = _text(root, "rsm:ExchangedDocument/ram:TypeCode")
    for value, element in ((number, "ram:ID"), (type_code, "ram:TypeCode")):
        if not value:
            raise _xsd_error(
                document if document is not None else root,
                f"cvc-complex-type.2.4.b: The content of element 'rsm:ExchangedDocument' is not complete. "
                f"One of '{{{element}}}' is expected.",
            )
    date_node = root.find("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", NS)
    if date_node is None or not DATE_102.match((date_node.text or "").strip()):
        value = (date_node.text or "") if date_node is not None else ""
        raise _xsd_error(
            date_node if date_node is not None else root,
            f"cvc-pattern-valid: '{value}' is not a valid date.",
        )
    amounts = {}
    for key in (
        "TaxBasisTotalAmount",
        "TaxTotalAmount",
        "GrandTotalAmount",
        "DuePayableAmount",
    ):
        node = root.find(f"{SUMMATION}/ram:{key}", NS)
        if node is None:
            continue
        value = (node.text or "").strip()
        if not DECIMAL.match(value):
            raise _xsd_error(
                node,
                f"cvc-datatype-valid.1.2.1: '{value}' is not a valid value for 'decimal'.",
            )
        amounts[key] = float(value)
    raw_date = date_node.text.strip()
    currency = _text(root, f"{SETTLEMENT}/ram:InvoiceCurrencyCode")
    seller, seller_scheme = _legal_id(root, "SellerTradeParty")
    buyer, buyer_scheme = _legal_id(root, "BuyerTradeParty")
    return {
        "number": number,
        "type_code": type_code,
        "issue_date": f"{raw_date[:4]}-{raw_date[4:6]}-{raw_date[6:]}",
        "framework": _framework(root),
        "seller": seller,
        "seller_scheme": seller_scheme,
        "seller_name": _text(root, f"{AGREEMENT}/ram:SellerTradeParty/ram:Name"),
        "buyer": buyer,
        "buyer_scheme": buyer_scheme,
        "service_code": _text(root, f"{AGREEMENT}/ram:BuyerReference"),
        "engagement": _text(root, f"{AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
        "contract": _text(root, f"{AGREEMENT}/ram:ContractReferencedDocument/ram:IssuerAssignedID"),
        "origin": _text(root, f"{SETTLEMENT}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID"),
        "payment_means": _text(root, f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode"),
        "currency": currency,
        "amounts": amounts,
        "figures": _figures(root, currency),
    }
