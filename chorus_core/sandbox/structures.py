"""``/cpro/structures/v1/*``: the public buyers and the caller's own structure (§3.7–§3.10)."""

from . import fixtures
from .responses import NO_RESULT, SUCCESS_TRA, bad_request, fail, ok, paging, require

STRUCTURE_NOT_FOUND = (20001, "La structure demandée n'existe pas.")
SERVICE_NOT_FOUND = (20002, "Le service demandé n'existe pas pour cette structure.")
ADDRESS = {
    "adresse": "1 rue du Bac à sable",
    "codePostal": "75001",
    "ville": "PARIS",
    "pays": "FR",
}


def _structures(call, include_all_private):
    """``(siret, data, kind)`` visible to the caller: public ones plus its own private one."""
    for siret, data in fixtures.BUYERS.items():
        yield siret, data, "PUBLIQUE"
    for siret, data in fixtures.SUPPLIERS.items():
        if include_all_private or siret == call.account["supplier_siret"]:
            yield siret, data, "PRIVEE"
    if include_all_private:
        for siret, data in fixtures.CONTRACTORS.items():
            yield siret, data, "PRIVEE"


def _by_id(call, identifier):
    for siret, data, kind in _structures(call, include_all_private=False):
        if str(data["idStructureCPP"]) == str(identifier):
            return siret, data, kind
    return None


def _matches(siret, data, kind, criteria):
    """Names match by a part of them, cities by their start, postcodes by their first digits, any case."""
    name = (
        criteria.get("raisonSocialeStructure") or criteria.get("libelleStructure") or criteria.get("nomStructure") or ""
    )
    wanted_status = {"ACTIF": "ACTIVE", "INACTIF": "INACTIVE"}.get(criteria.get("statutStructure"))
    address = data.get("adresse", ADDRESS)
    city = (criteria.get("adresseVille") or "").casefold()
    postcode = criteria.get("adresseCodePostal") or ""
    return (
        (not criteria.get("identifiantStructure") or criteria["identifiantStructure"] == siret)
        and criteria.get("typeIdentifiantStructure") in (None, "", "SIRET")
        and (not name or name.casefold() in data["designationStructure"].casefold())
        and (not city or address["ville"].casefold().startswith(city))
        and address["codePostal"].startswith(postcode)
        and (not wanted_status or data["statut"] == wanted_status)
        and (not criteria.get("typeStructure") or criteria["typeStructure"] == kind)
    )


# triColonne of ParametresRechercherStructure and the key of a listeStructures item it sorts by.
SORT_KEYS = {
    "IdentifiantStructure": "identifiantStructure",
    "DesignationStructure": "designationStructure",
    "TypeIdentifiantStructure": "typeIdentifiantStructure",
    "Statut": "statut",
}


def _sorted(found, options):
    """The order asked (a stable sort, so the fixtures' order within equal keys), else the fixtures' order."""
    column = options.get("triColonne")
    if column is None:
        return found
    if column not in SORT_KEYS:
        raise bad_request(f"triColonne inconnue : {column}")
    return sorted(found, key=lambda item: item[SORT_KEYS[column]], reverse=options.get("triSens") == "Descendant")


def rechercher(call, body):
    criteria = body.get("structure") or {}
    include_all = body.get("restreindreStructuresPrivees") is False
    found = [
        {
            "idStructureCPP": data["idStructureCPP"],
            "identifiantStructure": siret,
            "designationStructure": data["designationStructure"],
            "statut": data["statut"],
            "typeIdentifiantStructure": "SIRET",
        }
        for siret, data, kind in _structures(call, include_all)
        if _matches(siret, data, kind, criteria)
    ]
    if not found and call.state.settings["empty_search_error"]:
        return fail(NO_RESULT)
    options = body.get("parametres") or {}
    found = _sorted(found, options)
    start, end, page = paging(
        len(found),
        options.get("pageResultatDemandee"),
        options.get("nbResultatsParPage"),
    )
    return ok(SUCCESS_TRA, listeStructures=found[start:end], parametresRetour=page)


def consulter(call, body):
    require(body, "idStructureCPP")
    found = _by_id(call, body["idStructureCPP"])
    if found is None:
        return fail(STRUCTURE_NOT_FOUND)
    siret, data, kind = found
    flags = dict.fromkeys(
        (
            "connexionEDI",
            "estMoaUniquement",
            "estValideurDelegue",
            "getaMoa",
            "nonDiffusibleInsee",
            "recevoirDonneesViaEDI",
        ),
        False,
    )
    flags.update(data.get("parametres", {}))
    # consulterStructure answers GCU_MSG_01_000, unlike the searches (§2).
    return ok(
        adressePostaleDuSiege=data.get("adresse", ADDRESS),
        informationGenerales={
            "idStructureCPP": data["idStructureCPP"],
            "identifiantStructure": siret,
            "typeIdentifiantStructure": "SIRET",
            "raisonSocialeStructure": data["designationStructure"],
            "libelleStructure": data["designationStructure"],
            "numeroTVA": data.get("numeroTVA"),
            "structurePriveePublique": kind,
            "estValideurDeleguee": False,
            "dateExpirationMotPasseCompteTech": "2027-12-31T00:00:00.000+01:00" if kind == "PRIVEE" else None,
        },
        parametres=flags,
    )


def _service_item(service):
    return {
        "idService": service["idService"],
        "codeService": service["codeService"],
        "libelleService": service["libelleService"],
        "estActif": service["estActif"],
        "statutService": "ACTIF" if service["estActif"] else "INACTIF",
        "dateDbtService": "2020-01-01",
        "dateFinService": None if service["estActif"] else "2024-12-31",
    }


def rechercher_services(call, body):
    require(body, "idStructure")
    found = _by_id(call, body["idStructure"])
    if found is None:
        return fail(STRUCTURE_NOT_FOUND)
    services = [_service_item(service) for service in found[1].get("services", ())]
    if not services and call.state.settings["empty_search_error"]:
        return fail(NO_RESULT)
    options = body.get("parametresRechercherServicesStructure") or {}
    start, end, page = paging(
        len(services),
        options.get("pageResultatDemandee"),
        options.get("nbResultatsParPage"),
    )
    return ok(SUCCESS_TRA, listeServices=services[start:end], parametresRetour=page)


def consulter_service(call, body):
    require(body, "idStructure", "idService")
    found = _by_id(call, body["idStructure"])
    if found is None:
        return fail(STRUCTURE_NOT_FOUND)
    service = next(
        (s for s in found[1].get("services", ()) if str(s["idService"]) == str(body["idService"])),
        None,
    )
    if service is None:
        return fail(SERVICE_NOT_FOUND)
    return ok(
        SUCCESS_TRA,
        informationsGenerales={
            "codeService": service["codeService"],
            "nomService": service["libelleService"],
            "descriptionService": service["libelleService"],
        },
        parametres={
            "numeroEngagement": service["numeroEngagement"],
            "miseEnPaiement": True,
            "dateCreation": "2020-01-01T00:00:00.000+01:00",
            "dateDebutValidite": "2020-01-01T00:00:00.000+01:00",
            "dateFinValidite": None if service["estActif"] else "2024-12-31T00:00:00.000+01:00",
            "dateModification": None,
        },
        adressePostale=ADDRESS,
        pageCourante=1,
        pages=1,
        nbResultatsParPage=1,
        total=1,
    )


ROUTES = {
    "rechercher": rechercher,
    "consulter": consulter,
    "rechercher/services": rechercher_services,
    "consulter/service": consulter_service,
}
