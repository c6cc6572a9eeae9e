"""Code lists the Factur-X builder writes (EN 16931 code lists and the Chorus Pro codes)."""

# BT-3, UNTDID 1001: Chorus Pro accepts these two for a supplier's invoice and credit note.
TYPE_INVOICE = "380"
TYPE_CREDIT_NOTE = "381"
TYPE_CODES = frozenset({TYPE_INVOICE, TYPE_CREDIT_NOTE})

# BT-81, UNTDID 4461. Chorus: 30 for every transfer (never 58), 49 for direct debit (never 59).
PAYMENT_NOT_DEFINED = "1"
PAYMENT_CASH = "10"
PAYMENT_CHEQUE = "20"
PAYMENT_CREDIT_TRANSFER = "30"
PAYMENT_DIRECT_DEBIT = "49"
PAYMENT_STANDING_AGREEMENT = "57"
PAYMENT_MEANS_CODES = frozenset(
    {
        PAYMENT_NOT_DEFINED,
        PAYMENT_CASH,
        PAYMENT_CHEQUE,
        PAYMENT_CREDIT_TRANSFER,
        PAYMENT_DIRECT_DEBIT,
        PAYMENT_STANDING_AGREEMENT,
    }
)

# BT-118 / BT-151, UNTDID 5305 as EN 16931 uses it, without L and M (the Canary Islands' IGIC and
# Ceuta and Melilla's IPSI), which no French seller invoices.
VAT_STANDARD = "S"
VAT_ZERO_RATED = "Z"
VAT_EXEMPT = "E"
VAT_REVERSE_CHARGE = "AE"
VAT_INTRA_COMMUNITY = "K"
VAT_EXPORT = "G"
VAT_NOT_SUBJECT = "O"
VAT_CATEGORIES = frozenset(
    {VAT_STANDARD, VAT_ZERO_RATED, VAT_EXEMPT, VAT_REVERSE_CHARGE, VAT_INTRA_COMMUNITY, VAT_EXPORT, VAT_NOT_SUBJECT}
)
# Categories whose VAT breakdown must say why no VAT is due (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10).
VAT_CATEGORIES_NEEDING_EXEMPTION = frozenset(
    {VAT_EXEMPT, VAT_REVERSE_CHARGE, VAT_INTRA_COMMUNITY, VAT_EXPORT, VAT_NOT_SUBJECT}
)
# EN 16931 names its per-category rules after these prefixes (BR-S-02, BR-IC-05, ...).
VAT_RULE_PREFIX = {
    VAT_STANDARD: "BR-S",
    VAT_ZERO_RATED: "BR-Z",
    VAT_EXEMPT: "BR-E",
    VAT_REVERSE_CHARGE: "BR-AE",
    VAT_INTRA_COMMUNITY: "BR-IC",
    VAT_EXPORT: "BR-G",
    VAT_NOT_SUBJECT: "BR-O",
}
# Categories that carry no rate at all (BR-O-05 and following).
VAT_CATEGORIES_WITHOUT_RATE = frozenset({VAT_NOT_SUBJECT})
# BT-121 (VATEX, CEF code list) with the text written in BT-120 when the caller gives none.
VATEX_REASONS = {
    "VATEX-EU-79-C": "Exonération au titre de l'article 79, point c) de la directive 2006/112/CE",
    "VATEX-EU-132": "Exonération au titre de l'article 132 de la directive 2006/112/CE",
    "VATEX-EU-143": "Exonération au titre de l'article 143 de la directive 2006/112/CE",
    "VATEX-EU-148": "Exonération au titre de l'article 148 de la directive 2006/112/CE",
    "VATEX-EU-151": "Exonération au titre de l'article 151 de la directive 2006/112/CE",
    "VATEX-EU-309": "Exonération au titre de l'article 309 de la directive 2006/112/CE",
    "VATEX-EU-AE": "Autoliquidation",
    "VATEX-EU-D": "Régime particulier des agences de voyage",
    "VATEX-EU-F": "Régime particulier des biens d'occasion",
    "VATEX-EU-G": "Exportation hors de l'Union européenne",
    "VATEX-EU-I": "Régime particulier des objets d'art",
    "VATEX-EU-IC": "Livraison intracommunautaire exonérée",
    "VATEX-EU-J": "Régime particulier des objets de collection et d'antiquité",
    "VATEX-EU-O": "Non soumis à la TVA",
    "VATEX-FR-FRANCHISE": "TVA non applicable, art. 293 B du CGI",
    "VATEX-FR-CNWVAT": "Facture émise par un tiers non assujetti",
    "VATEX-FR-CGI261-4": "Exonération de TVA, art. 261-4 du CGI",
    "VATEX-FR-CGI261D-4": "Exonération de TVA, art. 261 D-4° du CGI",
}
# The VATEX code a category implies when the caller gives none.
VATEX_BY_CATEGORY = {
    VAT_REVERSE_CHARGE: "VATEX-EU-AE",
    VAT_INTRA_COMMUNITY: "VATEX-EU-IC",
    VAT_EXPORT: "VATEX-EU-G",
    VAT_NOT_SUBJECT: "VATEX-EU-O",
}

# BT-21, UNTDID 4451: the three mentions the Code de commerce (art. L441-9) wants on a business
# invoice, written by default as notes with these subject codes.
NOTE_RECOVERY_FEE = "PMT"  # the 40 EUR fixed recovery fee
NOTE_LATE_PENALTIES = "PMD"  # late-payment penalties
NOTE_DISCOUNT_TERMS = "AAB"  # early-payment discount, or that there is none
DEFAULT_LEGAL_NOTES = {
    NOTE_RECOVERY_FEE: "En cas de retard de paiement, une indemnité forfaitaire pour frais de recouvrement "
    "de 40 € est due (art. L441-10 et D441-5 du Code de commerce).",
    NOTE_LATE_PENALTIES: "En cas de retard de paiement, des pénalités de retard sont exigibles "
    "au taux de trois fois le taux d'intérêt légal.",
    NOTE_DISCOUNT_TERMS: "Pas d'escompte pour paiement anticipé.",
}

# Legal identifier scheme of BT-30 / BT-47 (ISO 6523 ICD): 0002 is the SIRENE directory, for a SIREN
# or a SIRET; Chorus Pro reads the party's 14-digit SIRET there (chorus-pro-api.md §7.1).
SCHEME_SIRENE = "0002"
# Electronic address schemes (BT-34-1 / BT-49-1, CEF EAS).
SCHEME_SIRET = "0009"
SCHEME_FRENCH_DIRECTORY = "0225"
SCHEME_EMAIL = "EM"
VAT_SCHEME = "VA"

# Chorus Pro "cadre de facturation", written as is in BT-23 (A1 when absent). The Chorus EDI annex
# (rule G1.02) accepts A1 to A25 there; a supplier's own invoice is an A1, A2, A9 or A12.
FRAMEWORK_SUPPLIER_INVOICE = "A1"
FRAMEWORK_ALREADY_PAID = "A2"
FRAMEWORK_SUBCONTRACTOR = "A9"
FRAMEWORK_CO_CONTRACTOR = "A12"
CHORUS_FRAMEWORKS = frozenset(f"A{number}" for number in range(1, 26))

# Allowance reason (UNTDID 5189) for the line discounts the builder writes.
ALLOWANCE_REASON_DISCOUNT = "95"
ALLOWANCE_REASON_DISCOUNT_TEXT = "Remise"

# UN/ECE Recommendation 20 unit codes, keyed by Odoo 18 UoM names (lower case) and xml ids.
REC20_BY_ODOO_UOM = {
    "units": "C62",
    "unit": "C62",
    "unit(s)": "C62",
    "dozens": "DZN",
    "kg": "KGM",
    "g": "GRM",
    "t": "TNE",
    "lb": "LBR",
    "lbs": "LBR",
    "oz": "ONZ",
    "hours": "HUR",
    "hour": "HUR",
    "days": "DAY",
    "day": "DAY",
    "minutes": "MIN",
    "weeks": "WEE",
    "months": "MON",
    "years": "ANN",
    "m": "MTR",
    "km": "KMT",
    "cm": "CMT",
    "mm": "MMT",
    "in": "INH",
    "ft": "FOT",
    "yd": "YRD",
    "mi": "SMI",
    "l": "LTR",
    "m³": "MTQ",
    "m3": "MTQ",
    "m²": "MTK",
    "m2": "MTK",
    "ft²": "FTK",
    "ft³": "FTQ",
    "in³": "INQ",
    "gal (us)": "GLL",
    "qt (us)": "QT",
    "fl oz (us)": "OZA",
    "uom.product_uom_unit": "C62",
    "uom.product_uom_dozen": "DZN",
    "uom.product_uom_kgm": "KGM",
    "uom.product_uom_gram": "GRM",
    "uom.product_uom_ton": "TNE",
    "uom.product_uom_lb": "LBR",
    "uom.product_uom_oz": "ONZ",
    "uom.product_uom_hour": "HUR",
    "uom.product_uom_day": "DAY",
    "uom.product_uom_meter": "MTR",
    "uom.product_uom_km": "KMT",
    "uom.product_uom_cm": "CMT",
    "uom.product_uom_millimeter": "MMT",
    "uom.product_uom_inch": "INH",
    "uom.product_uom_foot": "FOT",
    "uom.product_uom_yard": "YRD",
    "uom.product_uom_mile": "SMI",
    "uom.product_uom_litre": "LTR",
    "uom.product_uom_cubic_meter": "MTQ",
    "uom.uom_square_meter": "MTK",
    "uom.product_uom_gal": "GLL",
}
UNIT_ONE = "C62"


def rec20_unit_code(odoo_uom, default=UNIT_ONE):
    """Rec 20 code for an Odoo UoM name or xml id; a value already in Rec 20 form is kept."""
    key = (odoo_uom or "").strip()
    if not key:
        return default
    code = REC20_BY_ODOO_UOM.get(key.lower())
    if code:
        return code
    # Callers may already hold a Rec 20 code (an uom field set by a localisation module).
    if key.isalnum() and key.upper() == key and 2 <= len(key) <= 3:
        return key
    return default


def vatex_reason(code):
    return VATEX_REASONS.get(code, "")
