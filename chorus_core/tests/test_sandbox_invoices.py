"""Invoice searches, details, statuses set by the recipient, history, completer and recycler."""

import re

import pytest
import requests

from chorus_core.sandbox import fixtures as fx

SEARCH = "factures/v1/rechercher/fournisseur"
HISTORY = "factures/v1/consulter/historique"
TRAITER = "factures/v1/traiter/recue"


@pytest.fixture
def invoice(api, immediate, cii):
    """Id of one integrated invoice, already MISE_A_DISPOSITION (immediate mode)."""
    flux = api.deposit(cii(number="INV-1", engagement="EJ-9"))["numeroFluxDepot"]
    return api.post(SEARCH, {"numeroFluxDepot": flux})["listeFactures"][0]["identifiantFactureCPP"]


def _status(api, invoice_id):
    return api.post(HISTORY, {"idFacture": invoice_id})["statutCourantCode"]


def test_new_invoice_is_deposee_then_mise_a_disposition_after_a_read(api, cii):
    flux = api.deposit(cii(number="NEW-1"))["numeroFluxDepot"]
    assert api.post(SEARCH, {"numeroFluxDepot": flux}) == {
        "codeRetour": 20000,
        "libelle": "TRA_MSG_00.015 La recherche n'a retourné aucun résultat",
    }
    api.control("POST", "process")
    first = api.post(SEARCH, {"numeroFluxDepot": flux})["listeFactures"][0]
    assert first["statut"] == "MISE_A_DISPOSITION"  # process releases the invoices at once
    flux = api.deposit(cii(number="NEW-2"))["numeroFluxDepot"]
    for _ in range(3):
        api.cr(flux)
    listed = api.post(SEARCH, {"numeroFluxDepot": flux})["listeFactures"][0]
    assert listed["statut"] == "DEPOSEE"
    assert isinstance(listed["identifiantFactureCPP"], int)
    assert api.post(SEARCH, {"numeroFluxDepot": flux})["listeFactures"][0]["statut"] == "MISE_A_DISPOSITION"


def test_search_item_keys_follow_the_swagger(api, invoice):
    item = api.post(SEARCH, {"numeroFacture": "INV-1"})["listeFactures"][0]
    assert item["identifiantFactureCPP"] == invoice
    assert item["codeFournisseur"] == fx.SUPPLIER_SIRET
    assert item["codeDestinataire"] == "12345678200051"
    assert item["idDestinataire"] == fx.BUYERS["12345678200051"]["idStructureCPP"]
    assert item["typeFacture"] == "FACTURE"
    assert item["numeroBonCommande"] == "EJ-9"
    assert item["montantHT"] == 100.0 and item["montantTTC"] == 120.0 and item["devise"] == "EUR"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+\d\d:\d\d", item["dateHeureEtatCourant"])


def test_search_filters_and_paging(api, immediate, cii):
    for number in range(12):
        api.deposit(cii(number=f"P-{number:02d}", type_code="381" if number == 5 else "380"))
    page1 = api.post(SEARCH, {})
    assert page1["parametresRetour"] == {"pageCourante": 1, "pages": 2, "nbResultatsParPage": 10, "total": 12}
    assert len(page1["listeFactures"]) == 10
    page2 = api.post(SEARCH, {"rechercheFactureParFournisseur": {"pageResultatDemandee": 2}})
    assert [i["numeroFacture"] for i in page2["listeFactures"]] == ["P-10", "P-11"]
    big = api.post(SEARCH, {"rechercheFactureParFournisseur": {"nbResultatsParPage": 50}})
    assert big["parametresRetour"]["pages"] == 1 and len(big["listeFactures"]) == 12
    assert [i["numeroFacture"] for i in api.post(SEARCH, {"typeFacture": "AVOIR"})["listeFactures"]] == ["P-05"]
    assert api.post(SEARCH, {"numeroFacture": "P-07"})["parametresRetour"]["total"] == 1
    first_id = page1["listeFactures"][0]["identifiantFactureCPP"]
    api.post(TRAITER, {"idFacture": first_id, "nouveauStatut": "MANDATEE"})
    mandated = api.post(SEARCH, {"statutCourant": ["MANDATEE", "MISE_EN_PAIEMENT"]})["listeFactures"]
    assert [i["identifiantFactureCPP"] for i in mandated] == [first_id]
    assert api.post(SEARCH, {"statutCourant": ["REJETEE"]})["codeRetour"] == 20000
    other = api.post(SEARCH, {}, login=fx.OTHER_TECH_LOGIN, password=fx.OTHER_TECH_PASSWORD)
    assert other["codeRetour"] == 20000


def test_empty_search_can_answer_an_empty_list(api, sandbox):
    sandbox.control.configure(empty_search_error=False)
    answer = api.post(SEARCH, {"numeroFacture": "NOPE"})
    assert answer["codeRetour"] == 0 and answer["listeFactures"] == []
    assert answer["parametresRetour"]["total"] == 0


def test_consulter_fournisseur(api, invoice):
    facture = api.post("factures/v1/consulter/fournisseur", {"identifiantFactureCPP": invoice})["facture"]
    assert facture["numeroFacture"] == "INV-1"
    assert facture["statutFacture"] == "MISE_A_DISPOSITION"
    assert facture["destinataire"]["codeDestinataire"] == "12345678200051"
    assert facture["fournisseur"]["idFournisseur"] == fx.SUPPLIER_ID_STRUCTURE_CPP
    assert facture["references"]["numeroBonCommande"] == "EJ-9"
    assert facture["montantTotal"]["montantAPayer"] == 120.0
    missing = api.post("factures/v1/consulter/fournisseur", {"identifiantFactureCPP": 999999})
    assert missing["codeRetour"] == 20000


def test_recipient_transitions_with_reasons_and_history(api, invoice):
    answer = api.post(TRAITER, {"idFacture": invoice, "nouveauStatut": "SUSPENDUE", "motif": "Pièce manquante"})
    assert answer["nouveauStatut"] == "SUSPENDUE" and answer["numeroFacture"] == "INV-1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", answer["dateTraitement"])
    for status in ("MANDATEE", "MISE_A_DISPOSITION_COMPTABLE", "COMPTABILISEE", "MISE_EN_PAIEMENT"):
        assert api.post(TRAITER, {"idFacture": invoice, "nouveauStatut": status})["codeRetour"] == 0
    history = api.post(
        HISTORY, {"idFacture": invoice, "paramRechercheHistoStatuts": {"nbResultatsParPageListeHistoStatut": 50}}
    )
    assert history["statutCourantCode"] == "MISE_EN_PAIEMENT"
    statuses = history["historiquesDesStatuts"]
    assert [h["histoStatutCode"] for h in statuses["histoStatut"]] == [
        "MISE_EN_PAIEMENT",
        "COMPTABILISEE",
        "MISE_A_DISPOSITION_COMPTABLE",
        "MANDATEE",
        "SUSPENDUE",
        "MISE_A_DISPOSITION",
        "DEPOSEE",
    ]
    suspended = statuses["histoStatut"][4]
    assert suspended["histoStatutCommentaire"] == "Pièce manquante"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+\d\d:\d\d", suspended["histoStatutDatePassage"])
    assert statuses["totalHistoStatut"] == 7
    # MISE_EN_PAIEMENT is final.
    assert api.post(TRAITER, {"idFacture": invoice, "nouveauStatut": "MANDATEE"})["codeRetour"] == 20004


def test_history_paging_and_order(api, invoice):
    params = {"nbResultatsParPageListeHistoStatut": 1, "pageResultatDemandeeListeHistoStatut": 1}
    params["triSensListeHistoStatut"] = "Ascendant"
    history = api.post(HISTORY, {"idFacture": invoice, "paramRechercheHistoStatuts": params})["historiquesDesStatuts"]
    assert [h["histoStatutCode"] for h in history["histoStatut"]] == ["DEPOSEE"]
    assert history["pagesHistoStatut"] == 2 and history["pageCouranteHistoStatut"] == 1
    assert api.post(HISTORY, {"idFacture": 424242})["codeRetour"] == 20000


def test_traiter_recue_guards(api, invoice):
    rejected = api.post(TRAITER, {"idFacture": invoice, "nouveauStatut": "REJETEE"})
    assert rejected["codeRetour"] == 20003
    assert api.post(TRAITER, {"idFacture": invoice, "nouveauStatut": "SUSPENDUE", "motif": " "})["codeRetour"] == 20003
    assert api.post(TRAITER, {"idFacture": invoice, "nouveauStatut": "COMPLETEE"})["codeRetour"] == 20002
    assert api.post(TRAITER, {"idFacture": 999, "nouveauStatut": "MANDATEE"})["codeRetour"] == 20000
    assert api.raw(TRAITER, {"idFacture": invoice}).status_code == 400
    answer = api.post(TRAITER, {"idFacture": invoice, "nouveauStatut": "REJETEE", "motif": "Mauvais montant"})
    assert answer["codeRetour"] == 0
    assert (
        api.post(SEARCH, {"numeroFacture": "INV-1"})["listeFactures"][0]["commentaireEtatCourant"] == "Mauvais montant"
    )
    assert api.post(TRAITER, {"idFacture": invoice, "nouveauStatut": "MANDATEE"})["codeRetour"] == 20004


def test_completer_only_from_suspendue(api, invoice):
    refused = api.post("factures/v1/completer", {"identifiantFactureCPP": invoice})
    assert refused == {"codeRetour": 20002, "libelle": "GDP_MSG_11.033 - La facture n'est pas au statut SUSPENDUE."}
    api.post(TRAITER, {"idFacture": invoice, "nouveauStatut": "SUSPENDUE", "motif": "RIB manquant"})
    unknown_piece = {
        "identifiantFactureCPP": invoice,
        "pieceJointeComplementaire": [{"pieceJointeComplementaireId": 7}],
    }
    assert api.post("factures/v1/completer", unknown_piece)["codeRetour"] == 20003
    answer = api.post("factures/v1/completer", {"identifiantFactureCPP": invoice, "commentaire": "RIB joint"})
    assert answer["codeRetour"] == 0 and answer["identifiantFactureCPP"] == invoice
    history = api.post(HISTORY, {"idFacture": invoice})
    assert history["statutCourantCode"] == "COMPLETEE"
    assert history["historiquesDesStatuts"]["histoStatut"][0]["histoStatutCommentaire"] == "RIB joint"
    assert api.post("factures/v1/completer", {"identifiantFactureCPP": 999})["codeRetour"] == 20000


def test_recycler_only_from_a_recycler_and_checks_the_new_routing(api, invoice):
    body = {"identifiantFactureCPP": invoice, "destinataire": {"codeDestinataire": "12345678200028"}}
    assert api.post("factures/v1/recycler", body)["codeRetour"] == 20002
    api.post(TRAITER, {"idFacture": invoice, "nouveauStatut": "A_RECYCLER"})
    refused = api.post("factures/v1/recycler", body)
    assert refused["codeRetour"] == 20003 and "BuyerReference" in refused["libelle"]
    body["destinataire"]["codeServiceExecutant"] = "SERVICE_DEST_SERV_OBL"
    body["commentaire"] = "Mauvais service"
    answer = api.post("factures/v1/recycler", body)
    assert answer["statutFacture"] == "DEPOSEE" and answer["numeroFacture"] == "INV-1"
    item = api.post(SEARCH, {"numeroFacture": "INV-1"})["listeFactures"][0]
    assert item["codeDestinataire"] == "12345678200028"
    assert item["codeServiceExecutant"] == "SERVICE_DEST_SERV_OBL"
    assert item["statut"] == "MISE_A_DISPOSITION"  # immediate mode routes it again at once


def test_control_route_sets_any_status_with_reason(api, invoice):
    changed = api.control(
        "POST", "invoices/status", {"identifiantFactureCPP": invoice, "statut": "SERVICE_FAIT", "motif": "ok"}
    )
    assert changed["statut"] == "SERVICE_FAIT"
    assert _status(api, invoice) == "SERVICE_FAIT"
    response = api.sandbox.control.set_invoice_status(invoice, "REJETEE", "Doublon")
    assert response["commentaireEtatCourant"] == "Doublon"
    # The control may move an invoice out of a final status, the recipient may not.
    assert api.sandbox.control.set_invoice_status(invoice, "MISE_A_DISPOSITION")["statut"] == "MISE_A_DISPOSITION"
    with pytest.raises(ValueError):
        api.sandbox.control.set_invoice_status(invoice, "SUSPENDUE")
    bad = requests.post(f"{api.base}/sandbox/invoices/status", json={"identifiantFactureCPP": invoice}, timeout=5)
    assert bad.status_code == 400
    assert [i["identifiantFactureCPP"] for i in api.control("GET", "invoices")["invoices"]] == [invoice]
