"""Fixed data of the sandbox: credentials, the test supplier and the public buyers.

Plain data only, so tests and demo scripts can import them. The buyers mirror the
Chorus Pro qualification data set (shared/docs/chorus-pro-api.md §8); the supplier is
the private structure a "matelas de données" would create for us. Each buyer knows the
engagement numbers (EJ) it issued: the demo's, the tests' and a few more.
"""

CLIENT_ID = "sandbox-client-id"
CLIENT_SECRET = "sandbox-client-secret"

SUPPLIER_SIRET = "83256174000016"
SUPPLIER_ID_STRUCTURE_CPP = 25610001
TECH_LOGIN = f"TECH_1_{SUPPLIER_SIRET}@cpro.fr"
TECH_PASSWORD = "Sandbox-Tech-Pwd-1!"

# A second supplier with its own technical account: fluxes and invoices of one
# account must stay invisible to the other.
OTHER_SUPPLIER_SIRET = "98765432100015"
OTHER_SUPPLIER_ID_STRUCTURE_CPP = 25610002
OTHER_TECH_LOGIN = f"TECH_1_{OTHER_SUPPLIER_SIRET}@cpro.fr"
OTHER_TECH_PASSWORD = "Sandbox-Tech-Pwd-2!"

# What the add-on needs; engagementsJuridiques is subscribed to separately on PISTE (§3.16).
DEFAULT_SUBSCRIPTIONS = ("factures", "structures", "transverses")
API_GROUPS = (*DEFAULT_SUBSCRIPTIONS, "engagementsJuridiques")

# PISTE applications: secret and the API groups they subscribed to.
CLIENTS = {
    CLIENT_ID: {"secret": CLIENT_SECRET, "subscriptions": list(DEFAULT_SUBSCRIPTIONS)},
}

TECH_ACCOUNTS = {
    TECH_LOGIN: {"password": TECH_PASSWORD, "supplier_siret": SUPPLIER_SIRET},
    OTHER_TECH_LOGIN: {
        "password": OTHER_TECH_PASSWORD,
        "supplier_siret": OTHER_SUPPLIER_SIRET,
    },
}

SUPPLIERS = {
    SUPPLIER_SIRET: {
        "idStructureCPP": SUPPLIER_ID_STRUCTURE_CPP,
        "designationStructure": "SANDBOX FOURNISSEUR SAS",
        "statut": "ACTIVE",
        "numeroTVA": "FR28832561740",
        # recupererCoordonneesBancairesValides (go-choruspro's keys).
        "coordonneesBancaires": [{"idCoordonneeBancaire": 7100001, "nomCoordonneeBancaire": "Compte principal"}],
    },
    OTHER_SUPPLIER_SIRET: {
        "idStructureCPP": OTHER_SUPPLIER_ID_STRUCTURE_CPP,
        "designationStructure": "AUTRE FOURNISSEUR SARL",
        "statut": "ACTIVE",
        "numeroTVA": "FR23987654321",
        "coordonneesBancaires": [{"idCoordonneeBancaire": 7100002, "nomCoordonneeBancaire": "Compte courant"}],
    },
}

# Private companies that validate subcontractor (A9) and co-contractor (A12) invoices: a main
# contractor with a service, a group's representative, and a company closed since.
MAIN_CONTRACTOR_SIRET = "44233318001000"
REPRESENTATIVE_SIRET = "51244107001002"
CLOSED_CONTRACTOR_SIRET = "33018729001001"
CONTRACTORS = {
    MAIN_CONTRACTOR_SIRET: {
        "idStructureCPP": 25620001,
        "designationStructure": "ENTREPRISE GENERALE BATIMENT SA",
        "statut": "ACTIVE",
        "services": [
            {
                "idService": 35620011,
                "codeService": "SERVICE_TRAVAUX",
                "libelleService": "Direction des travaux",
                "estActif": True,
                "numeroEngagement": False,
            }
        ],
    },
    REPRESENTATIVE_SIRET: {
        "idStructureCPP": 25620002,
        "designationStructure": "MANDATAIRE GROUPEMENT SAS",
        "statut": "ACTIVE",
        "services": [],
    },
    CLOSED_CONTRACTOR_SIRET: {
        "idStructureCPP": 25620003,
        "designationStructure": "ANCIEN ENTREPRENEUR SARL",
        "statut": "INACTIVE",
        "services": [],
    },
}


def _params(service=False, engagement=False, either=False, payment_not_reported=False):
    return {
        "codeServiceDoitEtreRenseigne": service,
        "numeroEJDoitEtreRenseigne": engagement,
        "gestionNumeroEJOuCodeService": either,
        "statutMiseEnPaiementNestPasRemonte": payment_not_reported,
    }


def _service(id_service, code, label, active=True, engagement=False):
    return {
        "idService": id_service,
        "codeService": code,
        "libelleService": label,
        "estActif": active,
        "numeroEngagement": engagement,
    }


BUYERS = {
    "12345678200051": {
        "idStructureCPP": 26000051,
        "designationStructure": "DESTINATAIRE SANS CONTRAINTE",
        "statut": "ACTIVE",
        "parametres": _params(),
        "engagements": ["EJ-2026-0042", "EJ-2026-0077", "EJ-2026-0099", "EJ-2026-77", "EJ-3"],
        "services": [
            _service(36005101, "SERVICE_GENERAL", "Service général"),
            _service(
                36005102,
                "SERVICE_EJ_OBL",
                "Service à engagement obligatoire",
                engagement=True,
            ),
            _service(36005103, "SERVICE_FERME", "Service fermé", active=False),
            _service(36005104, "FACTURES_PUBLIQUES", "Factures publiques"),
        ],
    },
    "12345678200036": {
        "idStructureCPP": 26000036,
        "designationStructure": "DESTINATAIRE EJ OBLIGATOIRE",
        "statut": "ACTIVE",
        "parametres": _params(engagement=True),
        "engagements": ["EJ-1", "EJ-0042", "EJ-HOP-2026-0815", "EJ-2026-0036"],
        "services": [
            _service(36003601, "SERVICE_DEST_EJ_OBL", "Service EJ obligatoire"),
            _service(36003602, "SERVICE_FERME", "Service fermé", active=False),
            _service(36003603, "FACTURES_PUBLIQUES", "Factures publiques"),
        ],
    },
    "12345678200028": {
        "idStructureCPP": 26000028,
        "designationStructure": "DESTINATAIRE SERVICE OBLIGATOIRE",
        "statut": "ACTIVE",
        "parametres": _params(service=True),
        "engagements": ["EJ-2026-0028"],
        "services": [
            _service(36002801, "SERVICE_DEST_SERV_OBL", "Service obligatoire"),
            _service(
                36002802,
                "SERVICE_SERV_EJ_OBL",
                "Service avec EJ obligatoire",
                engagement=True,
            ),
            _service(36002803, "SERVICE_FERME", "Service fermé", active=False),
            _service(36002804, "FACTURES_PUBLIQUES", "Factures publiques"),
        ],
    },
    "12345678200044": {
        "idStructureCPP": 26000044,
        "designationStructure": "DESTINATAIRE EJ OU SERVICE OBLIGATOIRE",
        "statut": "ACTIVE",
        "parametres": _params(either=True),
        "engagements": ["EJ-2", "EJ-0043", "EJ-2026-0044"],
        "services": [
            _service(
                36004401,
                "SERVICE_DEST_EJ_OU_SERV_OBL",
                "Service EJ ou service obligatoire",
            ),
            _service(36004402, "SERVICE_FERME", "Service fermé", active=False),
            _service(36004403, "FACTURES_PUBLIQUES", "Factures publiques"),
        ],
    },
    "11000201100044": {
        "idStructureCPP": 26000001,
        "designationStructure": "ETAT - AIFE",
        "statut": "ACTIVE",
        "parametres": _params(service=True),
        "engagements": ["EJ-2026-004217", "EJ-2026-0001"],
        "services": [
            _service(36000101, "SFACETAT", "Service facturier de l'État"),
            _service(36000102, "SFACETAT_EJ", "Service facturier avec EJ", engagement=True),
            _service(36000103, "SERVICE_FERME", "Service fermé", active=False),
            _service(36000104, "FACTURES_PUBLIQUES", "Factures publiques"),
        ],
    },
    # Not in the qualification data set: a buyer that does not report MISE_EN_PAIEMENT, so its
    # invoices end at MANDATEE, MISE_A_DISPOSITION_COMPTABLE or COMPTABILISEE (§3.8).
    "12345678200077": {
        "idStructureCPP": 26000077,
        "designationStructure": "DESTINATAIRE SANS REMONTEE DE PAIEMENT",
        "statut": "ACTIVE",
        "parametres": _params(payment_not_reported=True),
        "engagements": ["EJ-2026-0077"],
        "services": [
            _service(36007701, "SERVICE_GENERAL", "Service général"),
            _service(36007702, "SERVICE_FERME", "Service fermé", active=False),
            _service(36007703, "FACTURES_PUBLIQUES", "Factures publiques"),
        ],
    },
    # Not in the qualification data set: a closed public structure, to test that
    # invoices to an inactive buyer are refused.
    "12345678200069": {
        "idStructureCPP": 26000069,
        "designationStructure": "DESTINATAIRE INACTIF",
        "statut": "INACTIVE",
        "parametres": _params(),
        "engagements": [],
        "services": [_service(36006901, "SERVICE_GENERAL", "Service général", active=False)],
    },
}
