"""``/cpro/engagementsJuridiques/v1/rechercher``: the engagement numbers (EJ) the buyers issued (§3.16).

No public Swagger describes this API. The request is OCA's
``{structureReceptriceEngagementJuridique, numeroEngagementJuridique, etatCourantEngagementJuridique}``,
and a non-empty ``listeEngagementJuridique`` means the EJ exists. The receiving structure of an EJ
is the supplier the order went to: OCA, in production for years, passes its own company's
``idStructureCPP``. The sandbox also takes a buyer's id, to search that buyer's EJs only. Each item
carries the keys of the platform's published example (Chorus Pro community page "Rechercher engagement
juridique": ``numeroEngagementJuridique``, ``libelleTypeEngagementJuridique``, ``libelleEtatCourantEJ``)
and the issuing buyer under keys of the sandbox's own.
"""

from . import fixtures
from .responses import NO_RESULT, SUCCESS_TRA, fail, ok, paging, require

# Every fixture EJ is an order in progress; the other states are not simulated.
ORDER = "COMMANDE"


def _issuers(call, structure):
    """The buyers whose EJs a search on ``structure`` (an idStructureCPP) may find."""
    own = fixtures.SUPPLIERS[call.account["supplier_siret"]]["idStructureCPP"]
    if str(structure) == str(own):
        return list(fixtures.BUYERS.items())
    return [(siret, data) for siret, data in fixtures.BUYERS.items() if str(data["idStructureCPP"]) == str(structure)]


def rechercher(call, body):
    require(body, "structureReceptriceEngagementJuridique")
    number = body.get("numeroEngagementJuridique")
    state = body.get("etatCourantEngagementJuridique")
    found = [
        {
            "numeroEngagementJuridique": engagement,
            "etatCourantEngagementJuridique": ORDER,
            "libelleEtatCourantEJ": ORDER,
            "libelleTypeEngagementJuridique": "BON_DE_COMMANDE",
            "idStructureEmettrice": data["idStructureCPP"],
            "identifiantStructureEmettrice": siret,
            "designationStructureEmettrice": data["designationStructure"],
        }
        for siret, data in _issuers(call, body["structureReceptriceEngagementJuridique"])
        for engagement in data["engagements"]
        if (not number or engagement == number) and (not state or state == ORDER)
    ]
    if not found and call.state.settings["empty_search_error"]:
        return fail(NO_RESULT)
    _start, _end, page = paging(len(found), 1, max(len(found), 1))
    return ok(SUCCESS_TRA, listeEngagementJuridique=found, parametresRetour=page)


ROUTES = {"rechercher": rechercher}
