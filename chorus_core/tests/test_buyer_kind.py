"""The buyer kind guessed from a public buyer's name, and so its legal payment delay."""

import pytest

from chorus_core import late_payment as lp
from chorus_core.buyer_kind import guess_buyer_kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("CENTRE HOSPITALIER DE TESTVILLE", lp.HEALTH),
        ("Centre Hospitalier Universitaire de Bordeaux", lp.HEALTH),
        ("CHU de Nantes", lp.HEALTH),
        ("Hôpital d'instruction des armées Bégin", lp.HEALTH),
        ("ASSISTANCE PUBLIQUE - HOPITAUX DE PARIS", lp.HEALTH),
        ("Commune de Testville", lp.LOCAL_AUTHORITY),
        ("MAIRIE DE LYON", lp.LOCAL_AUTHORITY),
        ("Département de la Gironde", lp.LOCAL_AUTHORITY),
        ("REGION BRETAGNE", lp.LOCAL_AUTHORITY),
        ("Communaut\u00e9 d\u2019agglom\u00e9ration du Grand Testville", lp.LOCAL_AUTHORITY),  # typographic apostrophe
        ("ETAT - AIFE", lp.STATE),
        ("MINISTERE DES ARMEES", lp.STATE),
        ("DESTINATAIRE SANS CONTRAINTE", lp.STATE),
        ("", lp.STATE),
        (None, lp.STATE),
    ],
)
def test_the_buyer_kind_is_read_from_clear_words_of_its_name(name, kind):
    assert guess_buyer_kind(name) == kind


def test_words_inside_other_words_do_not_count():
    # "chu" in "CHUTE", "region" in "REGIONALE" of a company name, "commune" in "COMMUNEMENT".
    assert guess_buyer_kind("CHUTES DU RHIN SA") == lp.STATE
    assert guess_buyer_kind("EXPRESS REGIONALE") == lp.STATE
    assert guess_buyer_kind("COMMUNEMENT VOTRE") == lp.STATE


def test_the_guess_gives_the_legal_delay_of_its_kind():
    assert lp.legal_delay(guess_buyer_kind("Centre hospitalier de Pau")) == 50
    assert lp.legal_delay(guess_buyer_kind("Commune de Pau")) == 30
