"""Structures API: the public buyers of the qualification data set and their services."""

from chorus_core.sandbox import fixtures as fx

SEARCH = "structures/v1/rechercher"


def _id(api, siret):
    found = api.post(SEARCH, {"structure": {"identifiantStructure": siret, "typeIdentifiantStructure": "SIRET"}})
    assert found["libelle"] == "TRA_MSG_00.000"
    (structure,) = found["listeStructures"]
    return structure["idStructureCPP"]


def test_rechercher_by_siret(api):
    found = api.post(SEARCH, {"structure": {"identifiantStructure": "12345678200051"}})
    assert found["listeStructures"] == [
        {
            "idStructureCPP": fx.BUYERS["12345678200051"]["idStructureCPP"],
            "identifiantStructure": "12345678200051",
            "designationStructure": "DESTINATAIRE SANS CONTRAINTE",
            "statut": "ACTIVE",
            "typeIdentifiantStructure": "SIRET",
        }
    ]
    assert found["parametresRetour"]["total"] == 1
    assert api.post(SEARCH, {"structure": {"identifiantStructure": "00000000000000"}})["codeRetour"] == 20000


def test_rechercher_sees_own_private_structure_only(api):
    assert _id(api, fx.SUPPLIER_SIRET) == fx.SUPPLIER_ID_STRUCTURE_CPP
    hidden = api.post(SEARCH, {"structure": {"identifiantStructure": fx.OTHER_SUPPLIER_SIRET}})
    assert hidden["codeRetour"] == 20000
    shown = api.post(
        SEARCH, {"structure": {"identifiantStructure": fx.OTHER_SUPPLIER_SIRET}, "restreindreStructuresPrivees": False}
    )
    assert shown["codeRetour"] == 0


def test_rechercher_filters_and_paging(api):
    public = api.post(SEARCH, {"structure": {"typeStructure": "PUBLIQUE"}, "parametres": {"nbResultatsParPage": 2}})
    assert public["parametresRetour"] == {"pageCourante": 1, "pages": 17, "nbResultatsParPage": 2, "total": 33}
    inactive = api.post(SEARCH, {"structure": {"statutStructure": "INACTIF"}})["listeStructures"]
    assert [s["identifiantStructure"] for s in inactive] == ["12345678200069", "21128382000101"]
    by_name = api.post(SEARCH, {"structure": {"raisonSocialeStructure": "etat"}})["listeStructures"]
    assert [s["identifiantStructure"] for s in by_name] == ["11000201100044"]


def test_consulter_parametres_follow_the_data_set(api):
    expected = {
        "12345678200051": (False, False, False),
        "12345678200036": (False, True, False),
        "12345678200028": (True, False, False),
        "12345678200044": (False, False, True),
        "11000201100044": (True, False, False),
    }
    for siret, flags in expected.items():
        answer = api.post("structures/v1/consulter", {"idStructureCPP": _id(api, siret), "codeLangue": "FR"})
        assert answer["libelle"] == "GCU_MSG_01_000"
        params = answer["parametres"]
        got = (params["codeServiceDoitEtreRenseigne"], params["numeroEJDoitEtreRenseigne"])
        assert got + (params["gestionNumeroEJOuCodeService"],) == flags, siret
        assert params["statutMiseEnPaiementNestPasRemonte"] is False
        assert answer["informationGenerales"]["structurePriveePublique"] == "PUBLIQUE"
        assert answer["informationGenerales"]["identifiantStructure"] == siret
    silent = api.post("structures/v1/consulter", {"idStructureCPP": _id(api, "12345678200077")})["parametres"]
    assert silent["statutMiseEnPaiementNestPasRemonte"] is True
    own = api.post("structures/v1/consulter", {"idStructureCPP": fx.SUPPLIER_ID_STRUCTURE_CPP})
    assert own["informationGenerales"]["structurePriveePublique"] == "PRIVEE"
    assert own["informationGenerales"]["dateExpirationMotPasseCompteTech"]
    assert api.post("structures/v1/consulter", {"idStructureCPP": 1})["codeRetour"] == 20001
    assert api.raw("structures/v1/consulter", {}).status_code == 400


def test_services_paging_and_flags(api):
    buyer = _id(api, "12345678200028")
    first = api.post(
        "structures/v1/rechercher/services",
        {"idStructure": buyer, "parametresRechercherServicesStructure": {"nbResultatsParPage": 3}},
    )
    assert first["parametresRetour"] == {"pageCourante": 1, "pages": 2, "nbResultatsParPage": 3, "total": 4}
    second = api.post(
        "structures/v1/rechercher/services",
        {
            "idStructure": buyer,
            "parametresRechercherServicesStructure": {"nbResultatsParPage": 3, "pageResultatDemandee": 2},
        },
    )
    services = first["listeServices"] + second["listeServices"]
    by_code = {s["codeService"]: s for s in services}
    assert set(by_code) == {"SERVICE_DEST_SERV_OBL", "SERVICE_SERV_EJ_OBL", "SERVICE_FERME", "FACTURES_PUBLIQUES"}
    assert by_code["SERVICE_FERME"]["estActif"] is False
    assert set(by_code["SERVICE_DEST_SERV_OBL"]) >= {
        "idService",
        "codeService",
        "libelleService",
        "estActif",
        "statutService",
    }
    detail = api.post(
        "structures/v1/consulter/service",
        {"idStructure": buyer, "idService": by_code["SERVICE_SERV_EJ_OBL"]["idService"]},
    )
    assert detail["parametres"]["numeroEngagement"] is True
    assert detail["informationsGenerales"]["codeService"] == "SERVICE_SERV_EJ_OBL"
    plain = api.post(
        "structures/v1/consulter/service",
        {"idStructure": buyer, "idService": by_code["SERVICE_DEST_SERV_OBL"]["idService"]},
    )
    assert plain["parametres"]["numeroEngagement"] is False
    assert api.post("structures/v1/consulter/service", {"idStructure": buyer, "idService": 1})["codeRetour"] == 20002
    assert api.post("structures/v1/rechercher/services", {"idStructure": 1})["codeRetour"] == 20001


def test_every_buyer_has_the_service_kinds_clients_must_handle():
    for siret, buyer in fx.BUYERS.items():
        if buyer["statut"] != "ACTIVE":
            continue
        codes = {s["codeService"] for s in buyer["services"]}
        assert "FACTURES_PUBLIQUES" in codes, siret
        assert any(not s["estActif"] for s in buyer["services"]), siret
    assert any(s["numeroEngagement"] for b in fx.BUYERS.values() for s in b["services"])
    assert "SERVICE_DEST_SERV_OBL" in {s["codeService"] for s in fx.BUYERS["12345678200028"]["services"]}
    assert "SERVICE_DEST_EJ_OU_SERV_OBL" in {s["codeService"] for s in fx.BUYERS["12345678200044"]["services"]}
    assert "SFACETAT" in {s["codeService"] for s in fx.BUYERS["11000201100044"]["services"]}
