"""The kind of a public buyer (and so its legal payment delay), guessed from what is known of it (pure).

Chorus Pro says whether a structure is public or private (``structurePriveePublique``) and gives
its name, not its legal category: the guess reads the name. Only names that clearly say a public
health establishment (50 days) or a local authority are recognised; anything else is the 30-day
case of the State. Public companies (60 days) cannot be told from a name: the user sets them.
"""

import re
import unicodedata

from . import late_payment

# Words of a name, accents and case ignored, matched as whole words.
_HEALTH_WORDS = (
    "centre hospitalier",
    "centre hospitalier universitaire",
    "chu",
    "chr",
    "chru",
    "hopital",
    "hopitaux",
    "hospitalier",
    "hospices",
    "assistance publique",
    "groupement hospitalier",
    "epsm",
    "service de sante des armees",
    "hia",
)
_LOCAL_AUTHORITY_WORDS = (
    "commune",
    "mairie",
    "ville de",
    "departement",
    "conseil departemental",
    "region",
    "conseil regional",
    "collectivite",
    "communaute de communes",
    "communaute d'agglomeration",
    "communaute urbaine",
    "metropole",
    "syndicat intercommunal",
    "ccas",
    "centre communal d'action sociale",
)


def guess_buyer_kind(name):
    """``late_payment.HEALTH``, ``LOCAL_AUTHORITY`` or ``STATE`` (the 30-day default) from a buyer's name."""
    words = _plain(name)
    if _mentions(words, _HEALTH_WORDS):
        return late_payment.HEALTH
    if _mentions(words, _LOCAL_AUTHORITY_WORDS):
        return late_payment.LOCAL_AUTHORITY
    return late_payment.STATE


def _plain(text):
    """Lower case, without accents, apostrophes made plain, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    ascii_text = ascii_text.replace("\u2019", "'")
    return " ".join(re.findall(r"[a-z0-9']+", ascii_text))


def _mentions(words, phrases):
    return any(re.search(rf"(?<![a-z0-9']){re.escape(phrase)}(?![a-z0-9])", words) for phrase in phrases)
