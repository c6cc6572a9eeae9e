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


def _address(postcode, city, street="1 place de la Mairie"):
    return {"adresse": street, "codePostal": postcode, "ville": city, "pays": "FR"}


# Not in the qualification data set: a directory of public structures to find by name, city or postcode,
# enough of them ("COMMUNE") to fill several pages of a search. (SIRET, idStructureCPP, name, postcode, city,
# parameters, status); each has a general service, a closed one, and one engagement number, EJ-<idStructureCPP>.
DIRECTORY = (
    ("21101234000108", 26100001, "COMMUNE DE LYON", "69001", "LYON", _params(), "ACTIVE"),
    ("21102468000103", 26100002, "COMMUNE DE VILLEURBANNE", "69100", "VILLEURBANNE", _params(), "ACTIVE"),
    ("21103702000107", 26100003, "COMMUNE DE VENISSIEUX", "69200", "VENISSIEUX", _params(), "ACTIVE"),
    ("21104936000103", 26100004, "COMMUNE DE BRON", "69500", "BRON", _params(), "ACTIVE"),
    ("21106170000103", 26100005, "COMMUNE DE MARSEILLE", "13001", "MARSEILLE", _params(service=True), "ACTIVE"),
    ("21107404000109", 26100006, "COMMUNE D'AIX-EN-PROVENCE", "13100", "AIX-EN-PROVENCE", _params(), "ACTIVE"),
    ("21108638000105", 26100007, "COMMUNE DE TOULOUSE", "31000", "TOULOUSE", _params(engagement=True), "ACTIVE"),
    ("21109872000108", 26100008, "COMMUNE DE NANTES", "44000", "NANTES", _params(), "ACTIVE"),
    ("21111106000102", 26100009, "COMMUNE DE RENNES", "35000", "RENNES", _params(), "ACTIVE"),
    ("21112340000106", 26100010, "COMMUNE DE LILLE", "59000", "LILLE", _params(), "ACTIVE"),
    ("21113574000101", 26100011, "COMMUNE DE ROUBAIX", "59100", "ROUBAIX", _params(), "ACTIVE"),
    ("21114808000107", 26100012, "COMMUNE DE STRASBOURG", "67000", "STRASBOURG", _params(), "ACTIVE"),
    ("21116042000108", 26100013, "COMMUNE DE BORDEAUX", "33000", "BORDEAUX", _params(either=True), "ACTIVE"),
    ("21117276000103", 26100014, "COMMUNE DE MONTPELLIER", "34000", "MONTPELLIER", _params(), "ACTIVE"),
    ("21118510000107", 26100015, "COMMUNE DE NICE", "06000", "NICE", _params(), "ACTIVE"),
    ("21119744000103", 26100016, "COMMUNE DE GRENOBLE", "38000", "GRENOBLE", _params(), "ACTIVE"),
    ("21120978000108", 26100017, "COMMUNE DE DIJON", "21000", "DIJON", _params(), "ACTIVE"),
    ("21122212000100", 26100018, "COMMUNE D'ANGERS", "49000", "ANGERS", _params(), "ACTIVE"),
    ("21123446000106", 26100019, "COMMUNE DE NIMES", "30000", "NIMES", _params(), "ACTIVE"),
    ("21124680000109", 26100020, "COMMUNE DE REIMS", "51100", "REIMS", _params(), "ACTIVE"),
    ("21125914000104", 26100021, "COMMUNE DE BREST", "29200", "BREST", _params(), "ACTIVE"),
    ("21127148000108", 26100022, "COMMUNE DE LIMOGES", "87000", "LIMOGES", _params(), "ACTIVE"),
    # Merged into another in 2024: still in the directory, inactive, listed after the active ones.
    ("21128382000101", 26100023, "COMMUNE D'ANCIENVILLE", "69990", "ANCIENVILLE", _params(), "INACTIVE"),
    ("21129616000107", 26100024, "COMMUNAUTE DE COMMUNES DU PAYS DE GEX", "01170", "GEX", _params(), "ACTIVE"),
    (
        "21130850000100",
        26100025,
        "CENTRE HOSPITALIER UNIVERSITAIRE DE ROUEN",
        "76000",
        "ROUEN",
        _params(engagement=True),
        "ACTIVE",
    ),
    ("21132084000104", 26100026, "UNIVERSITE DE POITIERS", "86000", "POITIERS", _params(service=True), "ACTIVE"),
)

BUYERS.update(
    {
        siret: {
            "idStructureCPP": identifier,
            "designationStructure": name,
            "statut": status,
            "parametres": parameters,
            "adresse": _address(postcode, city),
            "engagements": [f"EJ-{identifier}"],
            "services": [
                _service(identifier * 10 + 1, "SERVICE_GENERAL", "Service général", active=status == "ACTIVE"),
                _service(identifier * 10 + 2, "SERVICE_FERME", "Service fermé", active=False),
                _service(identifier * 10 + 3, "FACTURES_PUBLIQUES", "Factures publiques"),
            ],
        }
        for siret, identifier, name, postcode, city, parameters, status in DIRECTORY
    }
)
