"""The invoice statuses vocabulary (shared/docs/chorus-pro-api.md §5.2) against the official Swagger."""

import datetime
import json

import pytest

from chorus_core import invoice_statuses as st
from chorus_core.tests.test_client_swagger import SPECS

EXTRA = "ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE"  # Gizmo's 57th status, absent from the 2020 Swagger


def _swagger_status_enums():
    """Every enum of the Factures Swagger that holds DEPOSEE, with where it is."""
    document = json.loads((SPECS / "chorus-pro-factures.swagger.json").read_text(encoding="utf-8"))
    found = {}

    def walk(node, where):
        if isinstance(node, dict):
            if "DEPOSEE" in node.get("enum", ()):
                found[where] = node["enum"]
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(document["definitions"], "definitions")
    return found


def test_vocabulary_is_exactly_the_swagger_enum_plus_the_moe_delay_status():
    enums = _swagger_status_enums()
    assert "definitions/WsRetourConsulterHistoriqueFacture/properties/statutCourantCode" in enums
    (swagger_codes,) = {tuple(sorted(codes)) for codes in enums.values()}  # one enum, repeated everywhere
    assert len(swagger_codes) == 56
    assert sorted(st.CODES) == sorted((*swagger_codes, EXTRA))
    assert len(st.STATUSES) == len(st.CODES) == 57  # no code twice


def test_every_status_has_both_labels_a_known_action_and_kind():
    for status in st.STATUSES:
        assert status.label_fr and status.label_en, status.code
        assert status.label_fr != status.code
        assert status.action in st.ACTIONS and status.kind in st.KINDS, status.code
    assert len({status.label_fr for status in st.STATUSES}) == 57
    assert st.SELECTION[st.CODES.index("MISE_EN_PAIEMENT")] == ("MISE_EN_PAIEMENT", "Paid")


@pytest.mark.parametrize(
    ("code", "label_fr"),
    [
        ("DEPOSEE", "Déposée"),
        ("EN_COURS_ACHEMINEMENT", "En cours d'acheminement"),
        ("MISE_A_DISPOSITION", "Mise à disposition"),
        ("PRISE_EN_COMPTE_DESTINATAIRE", "Prise en compte par le destinataire"),
        ("SERVICE_FAIT", "Service fait"),
        ("A_RECYCLER", "À recycler"),
        ("SUSPENDUE", "Suspendue"),
        ("COMPLETEE", "Complétée"),
        ("REJETEE", "Rejetée"),
        ("MANDATEE", "Mandatée"),
        ("MISE_A_DISPOSITION_COMPTABLE", "Mise à disposition du comptable"),
        ("COMPTABILISEE", "Comptabilisée"),
        ("MISE_EN_PAIEMENT", "Mise en paiement"),
        ("ABANDONNEE", "Abandonnée"),
        ("SUPPRIMEE", "Supprimée"),
    ],
)
def test_portal_labels(code, label_fr):
    assert st.label(code) == st.label(code, "fr_FR") == label_fr
    assert st.label(code, "en_US") == st.BY_CODE[code].label_en


def test_final_statuses():
    assert set(st.FINAL_STATUSES) == {
        "REJETEE",
        "MISE_EN_PAIEMENT",
        "ABANDONNEE",
        "SUPPRIMEE",
        "REFUSEE_1",
        "REFUSEE_2",
    }
    assert {status.code for status in st.STATUSES if status.final} == set(st.FINAL_STATUSES)
    for code in ("DEPOSEE", "MISE_A_DISPOSITION", "SUSPENDUE", "A_RECYCLER", "COMPLETEE", "SERVICE_FAIT"):
        assert not st.is_final(code) and not st.is_final(code, payment_not_reported=True)
    for code in st.FINAL_STATUSES:
        assert st.is_final(code)


def test_a_buyer_that_does_not_report_payments_ends_at_mandatee_or_after():
    assert set(st.FINAL_IF_PAYMENT_NOT_REPORTED) == {"MANDATEE", "MISE_A_DISPOSITION_COMPTABLE", "COMPTABILISEE"}
    for code in st.FINAL_IF_PAYMENT_NOT_REPORTED:
        assert not st.is_final(code)
        assert st.is_final(code, payment_not_reported=True)
        assert st.badge_kind(code) == st.KIND_IN_PROGRESS
        assert st.badge_kind(code, payment_not_reported=True) == st.KIND_PAID
    assert set(st.final_statuses(payment_not_reported=True)) == set(st.FINAL_STATUSES) | {
        "MANDATEE",
        "MISE_A_DISPOSITION_COMPTABLE",
        "COMPTABILISEE",
    }
    assert st.final_statuses() == st.FINAL_STATUSES


def test_supplier_actions_and_badges():
    assert {code: st.action(code) for code in st.CODES if st.action(code) != st.ACTION_NONE} == {
        "SUSPENDUE": st.ACTION_COMPLETE,
        "A_RECYCLER": st.ACTION_RECYCLE,
        "REJETEE": st.ACTION_REISSUE,
        "REFUSEE_1": st.ACTION_REISSUE,
        "REFUSEE_2": st.ACTION_REISSUE,
        "ERREUR_FOURNISSEUR_SUR_VALIDEUR": st.ACTION_CORRECT_VALIDATOR,
        "ERREUR_COTRAITANT_SUR_VALIDEUR": st.ACTION_CORRECT_VALIDATOR,
    }
    assert set(st.ACTION_STATUSES) == {
        "SUSPENDUE",
        "A_RECYCLER",
        "ERREUR_FOURNISSEUR_SUR_VALIDEUR",
        "ERREUR_COTRAITANT_SUR_VALIDEUR",
    }
    kinds = {code: st.badge_kind(code) for code in st.CODES}
    assert kinds["MISE_EN_PAIEMENT"] == st.KIND_PAID
    assert kinds["REJETEE"] == st.KIND_REJECTED
    assert kinds["SUSPENDUE"] == kinds["A_RECYCLER"] == st.KIND_TO_ACT
    assert kinds["ABANDONNEE"] == kinds["SUPPRIMEE"] == st.KIND_CANCELLED
    assert kinds["MISE_A_DISPOSITION"] == kinds["COMPLETEE"] == st.KIND_IN_PROGRESS
    assert kinds["REFUSEE_1"] == kinds["REFUSEE_2"] == st.KIND_REJECTED
    assert kinds["A_VALIDER_1"] == kinds["VALIDEE_1"] == st.KIND_IN_PROGRESS


def test_the_validation_circuit_says_what_to_do_in_both_languages():
    for code in ("A_VALIDER_1", "VALIDEE_1", "REFUSEE_1", "ABSENCE_VALIDATION_1_HORS_DELAI", "A_VALIDER_2",
                 "VALIDEE_2", "REFUSEE_2", "ABSENCE_VALIDATION_2_HORS_DELAI", "ERREUR_FOURNISSEUR_SUR_VALIDEUR",
                 "ERREUR_COTRAITANT_SUR_VALIDEUR"):  # fmt: skip
        french, english = st.advice(code, "fr_FR"), st.advice(code, "en_US")
        assert french and english and french != english, code
    assert "Corriger le valideur" in st.advice("ERREUR_FOURNISSEUR_SUR_VALIDEUR")
    assert "credit note" in st.advice("REFUSEE_1", "en_US")
    assert st.advice("MISE_A_DISPOSITION") == ""


def test_an_unknown_code_reads_as_itself_and_in_progress():
    status = st.get("NOUVEAU_STATUT_2027")
    assert (status.label_fr, status.final, status.action, status.kind) == (
        "NOUVEAU_STATUT_2027",
        False,
        "none",
        "in_progress",
    )
    assert not st.is_final("NOUVEAU_STATUT_2027", payment_not_reported=True)


def test_reached_on_reads_the_day_of_a_status_in_the_history():
    history = [
        {"histoStatutCode": "MISE_EN_PAIEMENT", "histoStatutDatePassage": "2026-11-20T00:30:00.000+01:00"},
        {"histoStatutCode": "MANDATEE", "histoStatutDatePassage": "2026-11-10T09:00:00.000+01:00"},
        {"histoStatutCode": "MISE_A_DISPOSITION", "histoStatutDatePassage": "2026-10-02T10:00:00.000+02:00"},
        {"histoStatutCode": "MISE_A_DISPOSITION", "histoStatutDatePassage": "2026-10-05T10:00:00.000+02:00"},
        {"histoStatutCode": "DEPOSEE", "histoStatutDatePassage": "2026-10-01"},
    ]
    # The day as Chorus wrote it (Paris time), not the UTC one (19 Nov).
    assert st.reached_on(history, "MISE_EN_PAIEMENT") == datetime.date(2026, 11, 20)
    assert st.reached_on(history, "MISE_A_DISPOSITION") == datetime.date(2026, 10, 2)  # the first passage
    assert st.reached_on(history, "DEPOSEE") == datetime.date(2026, 10, 1)
    assert st.reached_on(history, "REJETEE") is None
    assert st.reached_on(None, "DEPOSEE") is None
