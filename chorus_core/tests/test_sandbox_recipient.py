"""The demo's recipient command: an invoice found by its number moves on the sandbox, as a buyer would move it."""

import pytest

from chorus_core.sandbox import recipient

SEARCH = "factures/v1/rechercher/fournisseur"


@pytest.fixture
def deposited(api, immediate, cii):
    api.deposit(cii(number="DEMO/2026/0001"))
    return "DEMO/2026/0001"


def _listed(api, number):
    return api.post(SEARCH, {"numeroFacture": number})["listeFactures"][0]


def test_a_suspension_reaches_the_supplier_with_its_reason(api, sandbox, deposited):
    assert recipient.main([deposited, "suspendue", "--reason", "RIB manquant", "--url", sandbox.base_url]) == 0
    assert _listed(api, deposited)["statut"] == "SUSPENDUE"
    assert recipient.main([deposited, "MISE_EN_PAIEMENT", "--url", sandbox.base_url]) == 0
    assert _listed(api, deposited)["statut"] == "MISE_EN_PAIEMENT"


def test_an_unknown_number_says_to_send_it_first(sandbox, immediate, capsys):
    assert recipient.main(["NOT/SENT", "MANDATEE", "--url", sandbox.base_url]) == 1
    assert "send it from Odoo first" in capsys.readouterr().err


def test_a_rejection_without_reason_is_refused_by_the_sandbox(api, sandbox, deposited, capsys):
    assert recipient.main([deposited, "REJETEE", "--url", sandbox.base_url]) == 1
    assert "refused REJETEE" in capsys.readouterr().err
    assert _listed(api, deposited)["statut"] == "MISE_A_DISPOSITION"


def test_the_list_shows_numbers_and_statuses(sandbox, deposited, capsys):
    assert recipient.main(["--list", "--url", sandbox.base_url]) == 0
    assert "DEMO/2026/0001" in capsys.readouterr().out
