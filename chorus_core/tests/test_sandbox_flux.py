"""Flux deposit and its state machine: progression, IN_INTEGRE, IN_INTEGRE_PARTIEL, IN_REJETE, IN_INCIDENTE."""

import base64
import io
import re
import tarfile
import zipfile

from chorus_core.sandbox import fixtures as fx

WAITING = "IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP"


def _archive(kind, files):
    buffer = io.BytesIO()
    if kind == "zip":
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in files.items():
                archive.writestr(name, data)
    else:
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            for name, data in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_deposit_answer(api, facturx):
    answer = api.deposit(facturx(), name="facture.pdf", syntax="IN_DP_E2_CII_FACTURX")
    assert answer["codeRetour"] == 0
    assert answer["libelle"] == "GCU_MSG_01_000"
    assert re.fullmatch(r"CPP0011117\d{15}", answer["numeroFluxDepot"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", answer["dateDepot"])
    assert answer["syntaxeFlux"] == "IN_DP_E2_CII_FACTURX"
    second = api.deposit(b"<x/>", name="facture.xml", syntax="IN_DP_E1_CII_16B")
    assert second["numeroFluxDepot"].startswith("CPP0011106")
    assert int(second["numeroFluxDepot"][10:]) == int(answer["numeroFluxDepot"][10:]) + 1


def test_step_mode_shows_each_state_to_a_poller(api, facturx):
    flux = api.deposit(facturx(), name="facture.pdf", syntax="IN_DP_E2_CII_FACTURX")["numeroFluxDepot"]
    seen = [api.cr(flux)["etatCourantDepotFlux"] for _ in range(4)]
    assert seen == [WAITING, "IN_EN_COURS_TRAITEMENT_CPP", "IN_INTEGRE", "IN_INTEGRE"]
    report = api.cr(flux)
    assert report["libelle"] == "TRA_MSG_00.000"
    assert report["codeInterfaceDepotFlux"] == "FSO1117A"
    assert report["nomFichier"] == f"FSO1117A_CPP001_{flux}"
    assert report["listeErreurDP"] == [] and report["listeErreurTechnique"] == []
    assert "numeroFluxDepot" not in report
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", report["dateHeureEtatCourantFlux"])


def test_consulter_cr_keys_and_progression(api, cii):
    flux = api.deposit(cii())["numeroFluxDepot"]
    states = []
    for _ in range(3):
        report = api.post("transverses/v1/consulterCR", {"numeroFluxDepot": flux})
        states.append(report["etatCourantFlux"])
    assert states == [WAITING, "IN_EN_COURS_TRAITEMENT_CPP", "IN_INTEGRE"]
    assert report["numeroFluxDepot"] == flux
    assert report["codeInterfaceFlux"] == "FSO1106A"
    assert report["nomFichierFlux"] == "facture.xml"
    assert base64.b64decode(report["fichierCR"]).startswith(b"%PDF")


def test_manual_mode_and_process_route(api, sandbox, cii):
    sandbox.control.configure(flux_mode="manual")
    flux = api.deposit(cii())["numeroFluxDepot"]
    assert api.cr(flux)["etatCourantDepotFlux"] == WAITING
    assert api.cr(flux)["etatCourantDepotFlux"] == WAITING
    assert api.control("POST", "process") == {"fluxes": [flux]}
    assert api.cr(flux)["etatCourantDepotFlux"] == "IN_INTEGRE"
    assert api.control("GET", "fluxes")["fluxes"][0]["etat"] == "IN_INTEGRE"


def test_immediate_mode(api, immediate, cii):
    flux = api.deposit(cii())["numeroFluxDepot"]
    assert api.cr(flux)["etatCourantDepotFlux"] == "IN_INTEGRE"


def test_unknown_flux_and_flux_of_another_account(api, cii):
    assert api.cr("CPP0011117999999999999999") == {"codeRetour": 20001, "libelle": "POQ_MSG_01.003 - Flux introuvable."}
    flux = api.deposit(cii())["numeroFluxDepot"]
    other = api.cr(flux, login=fx.OTHER_TECH_LOGIN, password=fx.OTHER_TECH_PASSWORD)
    assert other["codeRetour"] == 20001


def test_partial_integration_from_tar_gz(api, immediate, cii):
    files = {
        "a.xml": cii(number="A-1"),
        "b.xml": cii(number="B-1", payment=None),
        "c.xml": cii(number="C-1", buyer="12345678200036"),
    }
    flux = api.deposit(_archive("tar", files), name="lot.tar.gz")["numeroFluxDepot"]
    report = api.cr(flux)
    assert report["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL"
    assert {e["numeroDP"] for e in report["listeErreurDP"]} == {"B-1", "C-1"}
    error = next(e for e in report["listeErreurDP"] if e["numeroDP"] == "C-1")
    assert error["identifiantDestinataire"] == "12345678200036"
    assert error["identifiantFournisseur"] == fx.SUPPLIER_SIRET
    assert "BuyerOrderReferencedDocument.IssuerAssignedID.value" in error["libelleErreurDP"]
    invoices = api.post("factures/v1/rechercher/fournisseur", {"numeroFluxDepot": flux})["listeFactures"]
    assert [i["numeroFacture"] for i in invoices] == ["A-1"]


def test_zip_of_factur_x_pdfs_all_integrated(api, immediate, facturx):
    files = {"f1.pdf": facturx(number="Z-1"), "f2.pdf": facturx(number="Z-2")}
    flux = api.deposit(_archive("zip", files), name="lot.zip", syntax="IN_DP_E2_CII_FACTURX")["numeroFluxDepot"]
    assert api.cr(flux)["etatCourantDepotFlux"] == "IN_INTEGRE"
    assert api.post("factures/v1/rechercher/fournisseur", {"numeroFluxDepot": flux})["parametresRetour"]["total"] == 2


def test_all_invoices_failing_rejects_the_flux_with_dp_errors(api, immediate, cii):
    flux = api.deposit(cii(payment=None))["numeroFluxDepot"]
    report = api.cr(flux)
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    assert len(report["listeErreurDP"]) == 1
    assert report["listeErreurTechnique"] == []


def _technical(api, content, name="facture.xml", syntax="IN_DP_E1_CII_16B"):
    report = api.cr(api.deposit(content, name=name, syntax=syntax)["numeroFluxDepot"])
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    assert report["listeErreurDP"] == []
    (error,) = report["listeErreurTechnique"]
    assert error["libelleErreur"].startswith("IRRECEVABILITE: ")
    assert error["natureErreur"]
    return error


def test_rejected_for_unreadable_or_xsd_invalid_files(api, immediate, cii, blank_pdf):
    assert _technical(api, b"not a pdf", "f.pdf", "IN_DP_E2_CII_FACTURX")["codeErreur"] == "ERR_FMT_001"
    assert "factur-x.xml" in _technical(api, blank_pdf, "f.pdf", "IN_DP_E2_CII_FACTURX")["libelleErreur"]
    assert _technical(api, b"<Invoice/>")["codeErreur"] == "ERR_XSD_001"
    assert _technical(api, b"<unclosed>")["codeErreur"] == "ERR_XSD_001"
    error = _technical(api, cii(amount="-1 324,60"))
    assert error["codeErreur"] == "ERR_XSD_001"
    assert "'-1 324,60' is not a valid value for 'decimal'" in error["libelleErreur"]
    assert re.search(r"ligne: \d+ - position: \d+", error["libelleErreur"])
    assert "cvc-pattern-valid" in _technical(api, cii(date="2026-11-01"))["libelleErreur"]
    assert "ram:ID" in _technical(api, cii(number=""))["libelleErreur"]
    assert _technical(api, b"garbage", "lot.tar.gz")["codeErreur"] == "ERR_FMT_001"
    assert "aucun fichier" in _technical(api, _archive("zip", {}), "lot.zip")["libelleErreur"]


def test_rejected_when_extension_does_not_match_syntax(api, immediate, cii, facturx):
    assert _technical(api, cii(), "facture.xml", "IN_DP_E2_CII_FACTURX")["codeErreur"] == "ERR_FMT_002"
    assert _technical(api, facturx(), "facture.pdf")["codeErreur"] == "ERR_FMT_002"
    assert _technical(api, _archive("zip", {"a.pdf": facturx()}), "lot.zip")["codeErreur"] == "ERR_FMT_002"
    assert _technical(api, cii(), "facture.xml", "IN_DP_E1_UBL_INVOICE")["codeErreur"] == "ERR_FMT_003"


def test_incident_fault(api, sandbox, cii):
    sandbox.control.set_fault(incident_next=1)
    first = api.deposit(cii(number="I-1"))["numeroFluxDepot"]
    second = api.deposit(cii(number="I-2"))["numeroFluxDepot"]
    api.control("POST", "process")
    assert api.cr(first)["etatCourantDepotFlux"] == "IN_INCIDENTE"
    assert api.cr(second)["etatCourantDepotFlux"] == "IN_INTEGRE"
    assert sandbox.control.faults()["incident_next"] == 0


def test_deposit_http_errors(api, sandbox, cii):
    body = {"fichierFlux": "%%%", "nomFichier": "f.xml", "syntaxeFlux": "IN_DP_E1_CII_16B"}
    assert api.raw("factures/v1/deposer/flux", body).status_code == 400
    body["fichierFlux"] = base64.b64encode(cii()).decode()
    assert api.raw("factures/v1/deposer/flux", {**body, "syntaxeFlux": "PDF"}).status_code == 400
    assert api.raw("factures/v1/deposer/flux", {**body, "nomFichier": "x" * 201 + ".xml"}).status_code == 400
    sandbox.control.configure(flux_max_bytes=100)
    response = api.raw("factures/v1/deposer/flux", body)
    assert response.status_code == 413
    assert set(response.json()) == {"codeRetour", "libelle"}
