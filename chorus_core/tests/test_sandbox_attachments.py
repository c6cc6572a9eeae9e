"""transverses/v1/ajouter/fichier: stored attachments and the Chorus limits."""

import base64

ADD = "transverses/v1/ajouter/fichier"


def _add(api, content, name="piece.pdf", **extra):
    body = {"pieceJointeFichier": base64.b64encode(content).decode(), "pieceJointeNom": name, **extra}
    return api.post(ADD, body)


def test_attachment_is_stored_with_increasing_ids(api):
    first = _add(api, b"%PDF-1.4 test", pieceJointeTypeMime="application/pdf", pieceJointeExtension="PDF")
    assert first["codeRetour"] == 0 and isinstance(first["pieceJointeId"], int)
    second = _add(api, b"col1;col2", name="donnees.csv")
    assert second["pieceJointeId"] == first["pieceJointeId"] + 1


def test_control_lists_the_files_received_without_their_content(api):
    piece = _add(api, b"%PDF-1.4 rib", name="rib.pdf", pieceJointeTypeMime="application/pdf")["pieceJointeId"]
    assert api.control("GET", "attachments")["attachments"] == [
        {
            "pieceJointeId": piece,
            "pieceJointeNom": "rib.pdf",
            "pieceJointeExtension": "PDF",
            "pieceJointeTypeMime": "application/pdf",
            "taille": 12,
            "login": "TECH_1_83256174000016@cpro.fr",
        }
    ]


def test_attachment_limits(api):
    assert _add(api, b"x" * (10 * 1024 * 1024))["codeRetour"] == 20003
    assert _add(api, b"")["codeRetour"] == 20004
    assert _add(api, b"x", name="n" * 47 + ".pdf")["codeRetour"] == 20005
    assert _add(api, b"x", name="n" * 46 + ".pdf")["codeRetour"] == 0
    assert _add(api, b"x", name="script.exe")["codeRetour"] == 20006
    assert _add(api, b"x", name="sans_extension")["codeRetour"] == 20006
    assert _add(api, b"x", name="piece.pdf", pieceJointeExtension="EXE")["codeRetour"] == 20006
    assert api.raw(ADD, {"pieceJointeNom": "a.pdf"}).status_code == 400


def test_completer_accepts_a_stored_attachment(api, immediate, cii):
    flux = api.deposit(cii(number="PJ-1"))["numeroFluxDepot"]
    invoice = api.post("factures/v1/rechercher/fournisseur", {"numeroFluxDepot": flux})["listeFactures"][0]
    api.sandbox.control.set_invoice_status(invoice["identifiantFactureCPP"], "SUSPENDUE", "Bon de livraison ?")
    piece = _add(api, b"%PDF-1.4 bl", name="bl.pdf")["pieceJointeId"]
    body = {
        "identifiantFactureCPP": invoice["identifiantFactureCPP"],
        "pieceJointeComplementaire": [{"pieceJointeComplementaireId": piece, "pieceJointeComplementaireType": "BL"}],
    }
    assert api.post("factures/v1/completer", body)["codeRetour"] == 0
