"""VAT category (BT-151) and exemption reason (BT-120/121) of an invoice line, from its Odoo tax.

Plain functions on plain values so that each rule is explicit and tested on its own. Order of the
rules, most explicit first:

1. the category and VATEX code set on the tax (``account_edi_ubl_cii_tax_extension``, when installed);
2. a positive rate is standard VAT (S);
3. the French chart's 0 % sale taxes, recognised by their xml id: intra-EU goods (K), intra-EU
   services (AE, reverse charge of article 196), export (G), exempt (E);
4. a tax named for reverse charge ("autoliquidation") is AE;
5. the fiscal position of the French chart: intra-EU B2B (K / AE), import-export (G);
6. the countries: a buyer outside the EEA is an export (G), one in another EEA country an
   intra-EU supply (K / AE); otherwise the line is exempt (E), with the franchise code when the
   tax says "293 B".
"""

from ..chorus_core.facturx.codelists import (
    VAT_EXEMPT,
    VAT_EXPORT,
    VAT_INTRA_COMMUNITY,
    VAT_REVERSE_CHARGE,
    VAT_STANDARD,
)

# What a line sells: an intra-EU supply of goods is K, one of services is AE (reverse charge).
SUPPLY_GOODS = "goods"
SUPPLY_SERVICES = "services"
# Suffix of the l10n_fr_account tax xml ids (``account.<company id>_tva_sale_good_intra_0``).
FR_TAX_CATEGORIES = {
    "tva_sale_good_intra_0": VAT_INTRA_COMMUNITY,
    "tva_sale_service_intra_0": VAT_REVERSE_CHARGE,
    "tva_sale_good_export_0": VAT_EXPORT,
    "tva_sale_service_export_0": VAT_EXPORT,
    "tva_sale_good_0": VAT_EXEMPT,
    "tva_sale_service_0": VAT_EXEMPT,
}
FR_FISCAL_POSITION_INTRA_EU = "fiscal_position_template_intraeub2b"
FR_FISCAL_POSITION_EXPORT = "fiscal_position_template_import_export"
REVERSE_CHARGE_WORDS = ("autoliquidation", "auto-liquidation", "reverse charge")
FRANCHISE_WORDS = ("293 b", "293b")
VATEX_FRANCHISE = "VATEX-FR-FRANCHISE"
# Without a precise article, EN 16931 accepts a text alone for category E (BR-E-10).
EXEMPT_REASON = "Exonération de TVA"
# A claim of late-payment interest and recovery indemnities (account_move_interest_claim.py): outside the scope
# of VAT, not the consideration of a supply: category O ("not subject to VAT"), with this reason (BR-O-10).
OUT_OF_SCOPE_REASON = (
    "Hors champ de la TVA : intérêts moratoires et indemnité forfaitaire pour frais de recouvrement "
    "(CGI, art. 256 ; BOI-TVA-BASE-10-10-10)"
)
# EU members plus Norway, Iceland and Liechtenstein, as Odoo's account_edi_common counts them.
EXTRA_EEA_COUNTRIES = ("NO", "IS", "LI")


def xmlid_suffix(xmlid):
    """``account.12_tva_sale_good_0`` -> ``tva_sale_good_0``: chart records carry the company id as prefix."""
    name = (xmlid or "").partition(".")[2]
    prefix, _sep, rest = name.partition("_")
    return rest if prefix.isdigit() else name


def line_vat(
    rate,
    tax_text="",
    tax_xmlid="",
    explicit_category="",
    explicit_vatex="",
    fiscal_position_xmlid="",
    supply_kind="",
    seller_country="FR",
    buyer_country="FR",
    eea_countries=(),
):
    """``(category, vatex_code, reason_text)`` for a line taxed at ``rate`` percent (0 when untaxed)."""
    if explicit_category:
        return explicit_category, explicit_vatex or "", ""
    if rate:
        return VAT_STANDARD, "", ""
    text = (tax_text or "").lower()
    intra_eu = VAT_INTRA_COMMUNITY if supply_kind == SUPPLY_GOODS else VAT_REVERSE_CHARGE
    category = FR_TAX_CATEGORIES.get(xmlid_suffix(tax_xmlid))
    if not category and any(word in text for word in REVERSE_CHARGE_WORDS):
        category = VAT_REVERSE_CHARGE
    if not category:
        position = xmlid_suffix(fiscal_position_xmlid)
        if position == FR_FISCAL_POSITION_INTRA_EU:
            category = intra_eu
        elif position == FR_FISCAL_POSITION_EXPORT:
            category = VAT_EXPORT
    if not category and buyer_country and buyer_country != seller_country:
        eea = set(eea_countries) | set(EXTRA_EEA_COUNTRIES)
        category = intra_eu if buyer_country in eea else VAT_EXPORT
    if category and category != VAT_EXEMPT:
        # The builder adds the VATEX code these categories imply (VATEX-EU-IC, -AE, -G).
        return category, "", ""
    if any(word in text for word in FRANCHISE_WORDS):
        return VAT_EXEMPT, VATEX_FRANCHISE, ""
    return VAT_EXEMPT, "", EXEMPT_REASON
