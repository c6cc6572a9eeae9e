"""Benchmark control routes (/sandbox/invoices/seed and /advance), statuses set by control, period searches."""

import base64
import time

import pytest
import requests

from chorus_core import invoice_statuses
from chorus_core.sandbox import fixtures as fx
from chorus_core.tests.client_sandbox_support import sandbox_client

SEARCH = "factures/v1/rechercher/fournisseur"
HISTORY = "factures/v1/consulter/historique"
AT = "2026-11-01T10:00:00.000+01:00"
# Measured on the development machine: seeding 10,000 about 0.2 s, a search of the 1 % that
# changed about 0.02 s, all 10,000 by period (100 pages of 100) about 2 s. Bounds leave room for CI.
SEED_BUDGET = 5.0
CHANGED_SEARCH_BUDGET = 2.0
FULL_SEARCH_BUDGET = 20.0


def _seed(api, **body):
    return api.control("POST", "invoices/seed", {"at": AT, **body})


def _refused(api, route, body):
    response = requests.post(f"{api.base}/sandbox/{route}", json=body, timeout=5)
    assert response.status_code == 400, response.text
    return response.json()["error"]


def test_seeded_invoices_are_integrated_with_their_history(api):
    seeded = _seed(api, count=3, amount=1200, date_depot="2026-10-15")
    ids = seeded["identifiantsFactureCPP"]
    assert seeded["count"] == 3 and ids == list(range(ids[0], ids[0] + 3))
    assert seeded["numerosFacture"] == [f"SEED-{identifier}" for identifier in ids]
    listed = api.post(SEARCH, {"numeroFacture": f"SEED-{ids[1]}"})["listeFactures"]
    (item,) = listed
    assert (item["identifiantFactureCPP"], item["statut"], item["dateHeureEtatCourant"]) == (
        ids[1],
        "MISE_A_DISPOSITION",
        AT,
    )
    assert (item["montantTTC"], item["montantHT"], item["dateDepot"][:10]) == (1200.0, 1000.0, "2026-10-15")
    assert item["codeDestinataire"] == "12345678200051" and item["codeFournisseur"] == fx.SUPPLIER_SIRET
    history = api.post(HISTORY, {"idFacture": ids[1]})["historiquesDesStatuts"]["histoStatut"]
    assert [h["histoStatutCode"] for h in history] == ["MISE_A_DISPOSITION", "DEPOSEE"]
    # Seeded invoices belong to one supplier: the other account does not see them.
    other = api.post(SEARCH, {}, login=fx.OTHER_TECH_LOGIN, password=fx.OTHER_TECH_PASSWORD)
    assert other["codeRetour"] == 20000


def test_seeding_in_any_status_with_its_reason(api):
    (suspended,) = _seed(api, count=1, status="SUSPENDUE", motif="Bon de livraison manquant")["identifiantsFactureCPP"]
    history = api.post(HISTORY, {"idFacture": suspended})
    assert history["statutCourantCode"] == "SUSPENDUE"
    assert history["historiquesDesStatuts"]["histoStatut"][0]["histoStatutCommentaire"] == "Bon de livraison manquant"
    (deposited,) = _seed(api, count=1, statut="DEPOSEE")["identifiantsFactureCPP"]
    codes = [h["histoStatutCode"] for h in api.sandbox.control.invoices()[-1]["history"]]
    assert (deposited, codes) == (suspended + 1, ["DEPOSEE"])
    (other,) = _seed(api, count=1, login=fx.OTHER_TECH_LOGIN, prefix="AUTRE")["numerosFacture"]
    found = api.post(SEARCH, {}, login=fx.OTHER_TECH_LOGIN, password=fx.OTHER_TECH_PASSWORD)["listeFactures"]
    assert [item["numeroFacture"] for item in found] == [other]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"count": 0}, "count"),
        ({"count": 1, "status": "SUSPENDUE"}, "motif"),
        ({"count": 1, "status": "EN_VOYAGE"}, "unknown invoice status"),
        ({"count": 1, "buyer": "12345678200028"}, "BuyerReference"),  # its service code is mandatory
        ({"count": 1, "prefix": "BEAUCOUP-TROP-LONG"}, "prefix"),
        ({"count": 1, "login": "nobody@cpro.fr"}, "technical account"),
        ({"count": 1, "colour": "blue"}, "colour"),
    ],
)
def test_seeding_refusals(api, body, message):
    assert message in _refused(api, "invoices/seed", body)


def test_advance_a_list_or_a_fraction_of_the_invoices_in_flight(api):
    ids = _seed(api, count=20)["identifiantsFactureCPP"]
    rejected = api.control(
        "POST", "invoices/advance", {"ids": ids[:2], "statut": "REJETEE", "motif": "Doublon", "at": AT}
    )
    assert rejected == {"count": 2, "statut": "REJETEE", "identifiantsFactureCPP": ids[:2]}
    assert (
        api.post(HISTORY, {"idFacture": ids[0]})["historiquesDesStatuts"]["histoStatut"][0]["histoStatutCommentaire"]
        == "Doublon"
    )
    # 10 % of the 18 still in flight (the rejected ones are final): 2, spread over the ids.
    moved = api.control("POST", "invoices/advance", {"fraction": 0.1, "status": "MANDATEE"})
    assert moved["count"] == 2
    assert moved["identifiantsFactureCPP"] == [ids[2], ids[11]]
    statuses = {item["identifiantFactureCPP"]: item["statut"] for item in api.control("GET", "invoices")["invoices"]}
    assert [statuses[identifier] for identifier in ids].count("MANDATEE") == 2
    only_mandated = {"fraction": 1, "status": "MISE_EN_PAIEMENT", "from_statuses": ["MANDATEE"]}
    assert api.control("POST", "invoices/advance", only_mandated)["identifiantsFactureCPP"] == [ids[2], ids[11]]
    assert "either ids or fraction" in _refused(
        api, "invoices/advance", {"ids": ids, "fraction": 0.5, "status": "MANDATEE"}
    )
    assert "fraction" in _refused(api, "invoices/advance", {"fraction": 1.5, "status": "MANDATEE"})
    assert "unknown invoices" in _refused(api, "invoices/advance", {"ids": [999999], "status": "MANDATEE"})
    assert "motif" in _refused(api, "invoices/advance", {"ids": ids, "status": "SUSPENDUE"})


def test_the_status_control_route_sets_every_status_of_the_vocabulary(api):
    (invoice,) = _seed(api, count=1)["identifiantsFactureCPP"]
    for code in invoice_statuses.CODES:
        motif = "Motif" if code in ("SUSPENDUE", "REJETEE") else None
        body = {"identifiantFactureCPP": invoice, "statut": code, "motif": motif}
        assert api.control("POST", "invoices/status", body)["statut"] == code
        assert api.post(HISTORY, {"idFacture": invoice})["statutCourantCode"] == code
    assert "n'est pas autorisé" in _refused(api, "invoices/status", {"identifiantFactureCPP": invoice, "statut": "FOO"})


def test_a_recipient_cannot_move_an_abandoned_invoice(api):
    (invoice,) = _seed(api, count=1, status="ABANDONNEE")["identifiantsFactureCPP"]
    answer = api.post("factures/v1/traiter/recue", {"idFacture": invoice, "nouveauStatut": "MANDATEE"})
    assert answer["codeRetour"] == 20004


def test_period_search_on_the_current_status_date_time(api):
    ids = _seed(api, count=12)["identifiantsFactureCPP"]
    api.control(
        "POST", "invoices/advance", {"ids": ids[3:5], "status": "SERVICE_FAIT", "at": "2026-11-05T09:30:00+01:00"}
    )
    window = {"periodeDateHeureEtatCourantDu": "2026-11-05T08:30:00.000Z"}  # = 09:30 in Paris: included
    found = api.post(SEARCH, window)["listeFactures"]
    assert [item["identifiantFactureCPP"] for item in found] == ids[3:5]
    window = {"periodeDateHeureEtatCourantDu": "2026-11-05T09:30:00.001+01:00"}
    assert api.post(SEARCH, window)["codeRetour"] == 20000
    # Without an offset, Paris time; a plain date covers its whole day; paged like the other filters.
    window = {"periodeDateHeureEtatCourantDu": "2026-11-01T09:00:00", "periodeDateHeureEtatCourantAu": "2026-11-01"}
    page = api.post(SEARCH, {**window, "rechercheFactureParFournisseur": {"nbResultatsParPage": 4}})
    assert page["parametresRetour"] == {"pageCourante": 1, "pages": 3, "nbResultatsParPage": 4, "total": 10}
    combined = {**window, "statutCourant": ["SERVICE_FAIT"]}
    assert api.post(SEARCH, combined)["codeRetour"] == 20000
    response = api.raw(SEARCH, {"periodeDateHeureEtatCourantDu": "5 novembre"})
    assert response.status_code == 400 and "periodeDateHeureEtatCourantDu" in response.json()["libelle"]


def test_completer_checks_whose_attachment_it_is_and_the_comment_length(api):
    (invoice,) = _seed(api, count=1, status="SUSPENDUE", motif="RIB")["identifiantsFactureCPP"]
    upload = {
        "pieceJointeFichier": base64.b64encode(b"rib").decode(),
        "pieceJointeNom": "rib.txt",
        "pieceJointeExtension": "TXT",
    }
    foreign = api.post(
        "transverses/v1/ajouter/fichier", upload, login=fx.OTHER_TECH_LOGIN, password=fx.OTHER_TECH_PASSWORD
    )["pieceJointeId"]
    body = {"identifiantFactureCPP": invoice, "pieceJointeComplementaire": [{"pieceJointeComplementaireId": foreign}]}
    assert api.post("factures/v1/completer", body)["codeRetour"] == 20003
    too_long = api.raw("factures/v1/completer", {"identifiantFactureCPP": invoice, "commentaire": "x" * 2001})
    assert too_long.status_code == 400
    assert api.post(HISTORY, {"idFacture": invoice})["statutCourantCode"] == "SUSPENDUE"
    recycle = api.post("factures/v1/recycler", {"identifiantFactureCPP": invoice}, login=fx.OTHER_TECH_LOGIN,
                       password=fx.OTHER_TECH_PASSWORD)  # fmt: skip
    assert recycle["codeRetour"] == 20001


def test_ten_thousand_invoices_seeded_then_one_percent_found_by_period(sandbox, capsys):
    client = sandbox_client(sandbox)
    started = time.perf_counter()
    seeded = sandbox.control.seed_invoices(10_000, at=AT)
    seed_time = time.perf_counter() - started
    assert seeded["count"] == 10_000
    moved = sandbox.control.advance_invoices("MANDATEE", fraction=0.01, at="2026-11-02T08:00:00+01:00")
    assert moved["count"] == 100
    started = time.perf_counter()
    changed = client.search_supplier_invoices(periodeDateHeureEtatCourantDu="2026-11-02T00:00:00.000+01:00")
    changed_time = time.perf_counter() - started
    assert sorted(item["identifiantFactureCPP"] for item in changed) == moved["identifiantsFactureCPP"]
    started = time.perf_counter()
    everything = client.search_supplier_invoices(periodeDateHeureEtatCourantDu="2026-11-01T00:00:00.000+01:00")
    full_time = time.perf_counter() - started
    assert len(everything) == 10_000
    with capsys.disabled():
        print(
            f"\nseed 10,000: {seed_time:.2f} s; search of the 100 changed: {changed_time:.2f} s; "
            f"search of all 10,000 by period: {full_time:.2f} s"
        )
    assert seed_time < SEED_BUDGET
    assert changed_time < CHANGED_SEARCH_BUDGET
    assert full_time < FULL_SEARCH_BUDGET
