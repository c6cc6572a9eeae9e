"""The client's status services against the sandbox over HTTP: completer, recycler, searches by status date-time.

The sandbox is driven through its /sandbox/* control routes (seed, advance, status), the client
through its public methods only.
"""

import datetime
from decimal import Decimal

import pytest

from chorus_core import invoice_statuses, late_payment, status_sync
from chorus_core.errors import ChorusBusinessError, ChorusTransportError
from chorus_core.sandbox import fixtures as fx
from chorus_core.tests.client_sandbox_support import control, sandbox_client

PARIS = datetime.timezone(datetime.timedelta(hours=1))
SEEDED_AT = "2026-11-01T10:00:00.000+01:00"


@pytest.fixture
def client(sandbox):
    with sandbox_client(sandbox) as chorus:
        yield chorus


def _seed(sandbox, count=1, status="MISE_A_DISPOSITION", **options):
    body = {"count": count, "status": status, "at": SEEDED_AT, **options}
    return control(sandbox, "POST", "invoices/seed", body)["identifiantsFactureCPP"]


def test_complete_a_suspended_invoice_with_an_attachment(client, sandbox):
    (invoice,) = _seed(sandbox, status="SUSPENDUE", motif="RIB manquant")
    attachment = client.add_attachment(b"%PDF-1.4 rib", "rib.pdf", "application/pdf")
    answer = client.complete_invoice(invoice, "RIB joint", attachments=[(attachment, "RIB du fournisseur")])
    assert answer["identifiantFactureCPP"] == invoice
    history = client.invoice_history(invoice)
    assert history["statutCourantCode"] == invoice_statuses.COMPLETEE
    latest = history["historiquesDesStatuts"]["histoStatut"][0]
    assert (latest["histoStatutCode"], latest["histoStatutCommentaire"]) == ("COMPLETEE", "RIB joint")
    (event,) = history["historiquesDesEvenementsComplementaires"]["evenement"]
    assert "RIB du fournisseur" in event["evenementLibelle"]
    pieces = client.invoice_details(invoice)["facture"]["listeDesPiecesJointes"]["pieceJointe"]
    assert [(p["pieceJointeId"], p["pieceJointeDesignation"]) for p in pieces] == [(attachment, "RIB du fournisseur")]


def test_complete_refused_unless_suspended(client, sandbox):
    (invoice,) = _seed(sandbox)
    with pytest.raises(ChorusBusinessError) as caught:
        client.complete_invoice(invoice, "Pièce jointe")
    assert (caught.value.code_retour, caught.value.kind) == (20002, "business")
    assert caught.value.libelle.startswith("GDP_MSG_11.033")
    with pytest.raises(ChorusBusinessError) as caught:
        client.complete_invoice(999999, "Pièce jointe")
    assert caught.value.code_retour == 20000
    (other,) = _seed(sandbox, status="SUSPENDUE", motif="RIB", login=fx.OTHER_TECH_LOGIN)
    with pytest.raises(ChorusBusinessError) as caught:
        client.complete_invoice(other, "Pas la mienne")
    assert caught.value.code_retour == 20001 and caught.value.libelle.startswith("GDP_MSG_11.005")


def test_recycle_to_a_new_service_and_engagement(client, sandbox):
    (invoice,) = _seed(sandbox, status="A_RECYCLER", buyer="12345678200051", prefix="REC")
    with pytest.raises(ChorusBusinessError) as caught:  # the EJ-required service without its EJ
        client.recycle_invoice(invoice, service_code="SERVICE_EJ_OBL")
    assert caught.value.code_retour == 20003 and "BuyerOrderReferencedDocument" in caught.value.libelle
    answer = client.recycle_invoice(invoice, service_code="SERVICE_EJ_OBL", engagement="EJ-2026-77", comment="EJ")
    assert (answer["statutFacture"], answer["numeroFacture"]) == ("DEPOSEE", f"REC-{invoice}")
    (item,) = client.search_supplier_invoices(numeroFacture=f"REC-{invoice}")
    assert (item["codeServiceExecutant"], item["numeroBonCommande"]) == ("SERVICE_EJ_OBL", "EJ-2026-77")
    # Step mode: the buyer gets it again once read.
    assert client.invoice_history(invoice)["statutCourantCode"] == "MISE_A_DISPOSITION"
    with pytest.raises(ChorusBusinessError) as caught:
        client.recycle_invoice(invoice, engagement="EJ-2026-78")
    assert caught.value.code_retour == 20002  # no longer A_RECYCLER


def test_the_history_is_read_page_by_page_into_one_answer(sandbox):
    # Six passages within one second, two of them through SUSPENDUE: only their ids tell them apart.
    (invoice,) = _seed(sandbox, status="SUSPENDUE", motif="RIB manquant")
    for status, motif in (("COMPLETEE", None), ("SUSPENDUE", "RIB illisible"), ("MISE_A_DISPOSITION", None)):
        control(
            sandbox, "POST", "invoices/advance", {"ids": [invoice], "status": status, "motif": motif, "at": SEEDED_AT}
        )
    control(sandbox, "POST", "stats/reset")
    with sandbox_client(sandbox, page_size=4) as small_pages:
        answer = small_pages.invoice_history(invoice)
    assert control(sandbox, "GET", "stats")["calls"]["factures/v1/consulter/historique"] == 2
    entries = status_sync.history_entries(answer)
    assert [entry["status"] for entry in entries] == [
        "DEPOSEE", "MISE_A_DISPOSITION", "SUSPENDUE", "COMPLETEE", "SUSPENDUE", "MISE_A_DISPOSITION",
    ]  # fmt: skip
    assert len({entry["id"] for entry in entries}) == 6
    assert status_sync.current_entry(answer)["comment"] is None
    assert answer["statutCourantCode"] == "MISE_A_DISPOSITION"


def test_search_by_status_date_time_finds_the_invoices_that_changed(client, sandbox):
    ids = _seed(sandbox, count=30)
    moved = control(
        sandbox, "POST", "invoices/advance", {"ids": ids[:3], "status": "MANDATEE", "at": "2026-11-20T09:00:00+01:00"}
    )
    assert moved["count"] == 3
    since = datetime.datetime(2026, 11, 15, tzinfo=PARIS)
    found = client.search_supplier_invoices(periodeDateHeureEtatCourantDu=since)
    assert sorted(item["identifiantFactureCPP"] for item in found) == ids[:3]
    assert {item["statut"] for item in found} == {"MANDATEE"}
    # Same instant written in UTC; the window's end is included.
    until = datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.timezone.utc)
    assert len(client.search_supplier_invoices(periodeDateHeureEtatCourantAu=until)) == 30
    just_before = until - datetime.timedelta(milliseconds=1)
    assert len(client.search_supplier_invoices(periodeDateHeureEtatCourantAu=just_before)) == 27
    # A day as the end of the window covers that whole day; every page is fetched.
    small_pages = sandbox_client(sandbox, page_size=4)
    found = small_pages.search_supplier_invoices(periodeDateHeureEtatCourantAu=datetime.date(2026, 11, 1))
    assert len(found) == 27
    assert control(sandbox, "GET", "stats")["calls"]["factures/v1/rechercher/fournisseur"] >= 7


def test_a_recipient_change_is_found_by_a_sync_since_the_last_one(client, sandbox):
    (invoice,) = _seed(sandbox)
    last_sync = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
    assert client.search_supplier_invoices(periodeDateHeureEtatCourantDu=last_sync) == []
    control(
        sandbox, "POST", "invoices/status", {"identifiantFactureCPP": invoice, "statut": "REJETEE", "motif": "Doublon"}
    )
    (item,) = client.search_supplier_invoices(periodeDateHeureEtatCourantDu=last_sync)
    assert (item["identifiantFactureCPP"], item["statut"], item["commentaireEtatCourant"]) == (
        invoice,
        "REJETEE",
        "Doublon",
    )
    assert invoice_statuses.is_final(item["statut"])


def test_an_ambiguous_completion_is_not_sent_twice(client, sandbox):
    (invoice,) = _seed(sandbox, status="SUSPENDUE", motif="RIB")
    control(sandbox, "POST", "stats/reset")
    control(sandbox, "POST", "faults", {"accept_then_504": 1})
    with pytest.raises(ChorusTransportError) as caught:
        client.complete_invoice(invoice, "RIB joint")
    assert caught.value.kind == "outcome_unknown"
    assert control(sandbox, "GET", "stats")["calls"]["factures/v1/completer"] == 1
    # Done on the platform although the answer was lost: the history tells.
    assert client.invoice_history(invoice)["statutCourantCode"] == "COMPLETEE"


def test_late_payment_from_the_history_of_a_paid_invoice(client, sandbox):
    # Made available on 2 Mar 2026 to a State buyer (30 days: due 1 Apr 2026), paid on 21 Apr 2026: 20 days late.
    # From 2 Apr 2026: H1 2026, ECB 2.15 + 8 = 10.15 %. 1200.00 x 10.15 % x 20 / 365 = 2436 / 365 = 6.6739 -> 6.67
    (invoice,) = _seed(sandbox, amount=1200, date_depot="2026-03-02", at="2026-03-02T11:00:00+01:00")
    control(
        sandbox, "POST", "invoices/advance", {"ids": [invoice], "status": "MANDATEE", "at": "2026-04-14T10:00:00+02:00"}
    )
    control(
        sandbox,
        "POST",
        "invoices/advance",
        {"ids": [invoice], "status": "MISE_EN_PAIEMENT", "at": "2026-04-21T00:15:00+02:00"},
    )
    history = client.invoice_history(invoice)["historiquesDesStatuts"]["histoStatut"]
    received = invoice_statuses.reached_on(history, invoice_statuses.MISE_A_DISPOSITION)
    paid = invoice_statuses.reached_on(history, invoice_statuses.MISE_EN_PAIEMENT)
    assert (received, paid) == (datetime.date(2026, 3, 2), datetime.date(2026, 4, 21))
    amount = client.invoice_details(invoice)["facture"]["montantTotal"]["montantTtcTotal"]
    late = late_payment.late_payment(amount, received, late_payment.STATE, paid)
    assert late == late_payment.LatePayment(
        datetime.date(2026, 4, 1), 20, Decimal("10.15"), Decimal("6.67"), Decimal("40.00")
    )


def test_the_request_shapes_the_sandbox_can_refuse_and_what_production_clients_send(client, sandbox):
    (invoice,) = _seed(sandbox, numbers=["FAC-2026-0001"])
    control(sandbox, "POST", "settings", {"refuse_period_search": True, "refuse_paged_history": True})
    since = datetime.datetime(2026, 11, 1, tzinfo=PARIS)
    with pytest.raises(ChorusTransportError) as refused:
        client.search_supplier_invoices(periodeDateHeureEtatCourantDu=since)
    assert status_sync.refuses_request_shape(refused.value)
    with pytest.raises(ChorusTransportError) as refused:
        client.invoice_history(invoice)
    assert status_sync.refuses_request_shape(refused.value)
    # What OCA sends: a search per deposit or invoice number, the history by idFacture alone.
    (found,) = client.search_supplier_invoices(numeroFacture="FAC-2026-0001")
    assert (found["identifiantFactureCPP"], found["statut"]) == (invoice, "MISE_A_DISPOSITION")
    history = client.invoice_history(invoice, paged=False)
    assert [line["histoStatutCode"] for line in history["historiquesDesStatuts"]["histoStatut"]] == [
        "MISE_A_DISPOSITION",
        "DEPOSEE",
    ]


def test_an_outage_is_not_a_refused_request_shape():
    outage = ChorusTransportError("unavailable", kind="server_error", http_status=503)
    assert not status_sync.refuses_request_shape(outage)
    assert status_sync.refuses_request_shape(ChorusBusinessError("refused", kind="bad_request", http_status=400))
