"""Plain data of the status synchronisation: dates, histories, deposit errors."""

import datetime

from chorus_core import status_sync


def test_chorus_dates_become_naive_utc_to_the_second():
    assert status_sync.utc_naive("2026-12-01T10:00:00.536+01:00") == datetime.datetime(2026, 12, 1, 9, 0, 0)
    assert status_sync.utc_naive("2026-07-01T10:00:00Z") == datetime.datetime(2026, 7, 1, 10, 0, 0)
    assert status_sync.utc_naive("2026-12-01") == datetime.datetime(2026, 12, 1)
    assert status_sync.utc_naive("") is None
    assert status_sync.utc_naive("not a date") is None


def test_the_search_window_starts_before_the_last_run_and_is_aware():
    start = status_sync.search_window_start(datetime.datetime(2026, 12, 2, 12, 0))
    assert start.utcoffset() == datetime.timedelta(0)
    assert start == datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.timezone.utc) - status_sync.OVERLAP


def test_current_states_of_a_search():
    invoices = [
        {"identifiantFactureCPP": 7, "statut": "SUSPENDUE", "dateHeureEtatCourant": "2026-12-02T10:00:00.000+01:00"},
        {"identifiantFactureCPP": None, "statut": "DEPOSEE"},
    ]
    assert status_sync.current_states(invoices) == {"7": ("SUSPENDUE", datetime.datetime(2026, 12, 2, 9, 0))}


def _history(*items, current):
    return {
        "statutCourantCode": current,
        "historiquesDesStatuts": {
            "histoStatut": [
                {"histoStatutId": index, "histoStatutCode": code, "histoStatutDatePassage": date,
                 "histoStatutCommentaire": comment}
                for index, (code, date, comment) in enumerate(items, 1)
            ]
        },
    }  # fmt: skip


def test_history_oldest_first_and_the_current_entry_is_its_latest_passage():
    answer = _history(
        ("SUSPENDUE", "2026-12-02T09:00:00.000+01:00", " Bon de commande manquant "),
        ("COMPLETEE", "2026-12-02T10:00:00.000+01:00", None),
        ("SUSPENDUE", "2026-12-02T11:00:00.000+01:00", "RIB illisible"),
        ("DEPOSEE", "2026-12-01T09:00:00.000+01:00", ""),
        current="SUSPENDUE",
    )
    entries = status_sync.history_entries(answer)
    assert [entry["status"] for entry in entries] == ["DEPOSEE", "SUSPENDUE", "COMPLETEE", "SUSPENDUE"]
    assert entries[0]["comment"] is None
    assert entries[1]["comment"] == "Bon de commande manquant"
    assert status_sync.current_entry(answer) == {
        "id": "3",
        "status": "SUSPENDUE",
        "date": datetime.datetime(2026, 12, 2, 10, 0),
        "comment": "RIB illisible",
    }
    assert status_sync.current_entry({"historiquesDesStatuts": {}}) is None


def _line(key, chorus_id, status, date):
    return {"key": key, "id": chorus_id, "status": status, "date": date}


def test_two_passages_within_one_second_are_two_entries_known_by_their_id():
    same_second = "2026-12-02T10:00:00.{}+01:00"
    answer = _history(
        ("DEPOSEE", same_second.format("100"), None),
        ("MISE_A_DISPOSITION", same_second.format("200"), None),
        ("A_RECYCLER", same_second.format("300"), "Service erroné"),
        ("MISE_A_DISPOSITION", same_second.format("400"), None),
        current="MISE_A_DISPOSITION",
    )
    entries = status_sync.history_entries(answer)
    assert [(entry["id"], entry["status"]) for entry in entries] == [
        ("1", "DEPOSEE"), ("2", "MISE_A_DISPOSITION"), ("3", "A_RECYCLER"), ("4", "MISE_A_DISPOSITION"),
    ]  # fmt: skip
    new, named = status_sync.unrecorded_entries(entries, [])
    assert (new, named) == (entries, {})
    recorded = [_line(key, entry["id"], entry["status"], entry["date"]) for key, entry in enumerate(new)]
    assert status_sync.unrecorded_entries(entries, recorded) == ([], {})
    assert status_sync.current_entry(answer) == entries[-1]


def test_lines_recorded_without_an_id_take_the_id_of_their_passage_once():
    moment = datetime.datetime(2026, 12, 2, 9, 0)
    answer = _history(
        ("MISE_A_DISPOSITION", "2026-12-02T10:00:00.100+01:00", None),
        ("SUSPENDUE", "2026-12-02T10:00:00.200+01:00", "RIB"),
        ("MISE_A_DISPOSITION", "2026-12-02T10:00:00.300+01:00", None),
        current="MISE_A_DISPOSITION",
    )
    entries = status_sync.history_entries(answer)
    # Recorded before ids were kept: the two passages through MISE_A_DISPOSITION became one line.
    lines = [_line(10, None, "MISE_A_DISPOSITION", moment), _line(11, None, "SUSPENDUE", moment)]
    new, named = status_sync.unrecorded_entries(entries, lines)
    assert named == {10: "1", 11: "2"}
    assert [(entry["id"], entry["status"]) for entry in new] == [("3", "MISE_A_DISPOSITION")]


def test_an_entry_twice_in_an_answer_or_without_an_id_is_recorded_once():
    moment = datetime.datetime(2026, 12, 2, 9, 0)
    entries = [
        {"id": "7", "status": "DEPOSEE", "date": moment, "comment": None},
        {"id": "7", "status": "DEPOSEE", "date": moment, "comment": None},
        {"id": None, "status": "SUSPENDUE", "date": moment, "comment": "RIB"},
        {"id": None, "status": "SUSPENDUE", "date": moment, "comment": "RIB"},
        {"id": None, "status": "COMPLETEE", "date": moment, "comment": None},
    ]
    new, named = status_sync.unrecorded_entries(entries, [_line(1, "5", "COMPLETEE", moment)])
    assert ([entry["status"] for entry in new], named) == (["DEPOSEE", "SUSPENDUE"], {})


def test_deposit_errors_by_invoice_number_each_message_apart():
    report = {
        "listeErreurDP": [
            {"numeroDP": "INV/2026/00002", "libelleErreurDP": "Service inconnu | Engagement obligatoire"},
            {"numeroDP": "", "libelleErreurDP": "ignored"},
        ],
        "listeErreurTechnique": [{"codeErreur": "ERR_XSD_001", "libelleErreur": "IRRECEVABILITE: ligne 150"}],
    }
    assert status_sync.deposit_errors(report) == {"INV/2026/00002": ["Service inconnu", "Engagement obligatoire"]}
    assert status_sync.technical_errors(report) == ["IRRECEVABILITE: ligne 150"]


def test_the_statuses_that_ask_the_supplier_to_act():
    assert set(status_sync.NOTIFIED_STATUSES) == {
        "SUSPENDUE",
        "A_RECYCLER",
        "REJETEE",
        # The validation circuit: a validator's refusal, a validator that is not the invoice's.
        "REFUSEE_1",
        "REFUSEE_2",
        "ERREUR_FOURNISSEUR_SUR_VALIDEUR",
        "ERREUR_COTRAITANT_SUR_VALIDEUR",
    }
