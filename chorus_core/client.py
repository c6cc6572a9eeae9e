"""Chorus Pro client over PISTE: one method per service the add-on uses, plus ``lookup_buyer``.

Usage from the Odoo side::

    client = ChorusClient(ChorusConfig(environment="qualification", client_id=..., client_secret=...,
                                       login=..., password=...))
    answer = client.deposit_flux(pdf_bytes, "FAC_2026_0001.pdf")

Methods return the decoded JSON answers (dicts) unless their docstring says otherwise, and
raise the typed errors of ``errors.py``. Request bodies use only keys of the official
Swagger definitions (chorus-pro-api.md §3; tested against the Swagger files).
"""

import base64
import datetime
import json
import logging
import math
import os
import time

from .auth import JSON_CONTENT_TYPE, ChorusAuth, TokenProvider, bearer_token_of
from .config import ChorusConfig
from .errors import ChorusAuthError, ChorusBusinessError, ChorusNotSubscribedError, ChorusTransportError
from .limits import ENGAGEMENT_MAX, FORBIDDEN_SERVICE_CODES
from .siret import normalize
from .transport import Transport, error_for_status, outcome_unknown

__all__ = ["ChorusClient", "ChorusConfig"]

_logger = logging.getLogger(__name__)

# "La recherche n'a retourné aucun résultat": an empty search, not an error (§3.4, §6.1).
NO_RESULT = 20000
# consulterCRDetaille: "POQ_MSG_01.003 - Flux introuvable." (§3.3).
FLUX_NOT_FOUND = 20001
DEFAULT_PAGE_SIZE = 100
# Upper bound of pages fetched by one search, against a server that never says "last page".
MAX_PAGES = 500
# completerFacture: commentaire of at most 2000 characters (§3.15).
COMPLETE_COMMENT_MAX = 2000
# Public structures per page of a directory search: each is then read (consulterStructure) for its city
# and requirements, so a page stays small.
DIRECTORY_PAGE_SIZE = 10
# The only engagement state a supplier may invoice against, as OCA asks for it (§3.16).
ENGAGEMENT_ORDERED = "COMMANDE"

# Criteria of RechercherFactureParFournisseurParam; paging is the client's business.
SUPPLIER_INVOICE_CRITERIA = frozenset(
    {
        "idUtilisateurCourant", "listeDestinataire", "rechercheSirenDestinataire", "numeroFacture",
        "periodeDateDepotDu", "periodeDateDepotAu", "typeFacture", "idFournisseur", "idServiceFournisseur",
        "idStructureValideur", "cadreFacturation", "statutCourant", "periodeDateFactureDu", "periodeDateFactureAu",
        "montantHTMin", "montantHTMax", "montantTTCMin", "montantTTCMax", "montantApayerMin", "montantApayerMax",
        "coordonneeBancaire", "idUtilisateurCreateur", "numeroMarche", "numeroBonCommande", "numeroFactureOrigine",
        "modeDepot", "numeroFluxDepot", "recupererTaille", "periodeDateHeureEtatCourantDu",
        "periodeDateHeureEtatCourantAu", "rejetTraite",
    }
)  # fmt: skip


class ChorusClient:
    """Calls the Chorus Pro services of one configuration.

    ``session`` (a ``requests.Session``) and ``sleep`` are injectable for tests; ``page_size``
    is the ``nbResultatsParPage`` of the searches that fetch every page.
    """

    def __init__(self, config, *, session=None, sleep=time.sleep, page_size=DEFAULT_PAGE_SIZE):
        self.config = config
        self.page_size = page_size
        self._transport = Transport(config, session=session, sleep=sleep)
        self._tokens = TokenProvider(config, self._transport)
        self._auth = ChorusAuth(self._tokens, config.login, config.password)

    def __repr__(self):
        return f"ChorusClient({self.config!r})"

    def close(self):
        self._transport.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # Authentication and health ---------------------------------------------------------

    def get_token(self):
        """The PISTE access token (str), from the process-wide cache when still valid."""
        return self._tokens.token()

    def health_check(self):
        return self._call("transverses", "health-check", method="GET")

    # Deposit and follow-up of invoices -------------------------------------------------

    def deposit_flux(self, file_bytes, file_name, syntax="IN_DP_E2_CII_FACTURX"):
        """Deposit one file (Factur-X PDF, XML or archive); the answer holds ``numeroFluxDepot``.

        Never repeated after an ambiguous failure (``outcome_unknown``): it would deposit twice.
        """
        body = {
            "fichierFlux": base64.b64encode(file_bytes).decode("ascii"),
            "nomFichier": file_name,
            "syntaxeFlux": syntax,
            "avecSignature": False,
        }
        answer = self._call("factures", "deposer/flux", body, idempotent=False)
        _logger.info("Chorus flux %s deposited (%s bytes)", answer.get("numeroFluxDepot"), len(file_bytes))
        return answer

    def flux_report(self, flux_number):
        """Detailed processing report (consulterCRDetaille): ``etatCourantDepotFlux`` and the error lists.

        ``listeErreurDP`` and ``listeErreurTechnique`` are always lists (empty when absent).
        """
        body = {"numeroFluxDepot": flux_number}
        codes = {FLUX_NOT_FOUND: "flux_not_found"}
        answer = self._call("transverses", "consulterCRDetaille", body, code_kinds=codes)
        for key in ("listeErreurDP", "listeErreurTechnique"):
            answer[key] = _as_list(answer.get(key))
        return answer

    def search_supplier_invoices(self, **criteria):
        """Every invoice of the supplier matching the criteria (Chorus field names), as a list.

        Fetches all pages; "no result" gives an empty list. The period criteria
        (``periodeDateHeureEtatCourantDu/Au``: the date-time of the current status, so the invoices
        whose status changed in a window; ``periodeDateDepotDu/Au``, ``periodeDateFactureDu/Au``)
        take a string, a ``datetime.date`` or an aware ``datetime.datetime``; a naive datetime
        raises ``ValueError`` (say which time zone it is in, e.g. ``tzinfo=datetime.timezone.utc``
        for an Odoo datetime).
        """
        unknown = set(criteria) - SUPPLIER_INVOICE_CRITERIA
        if unknown:
            raise TypeError(f"Unknown supplier invoice search criteria: {', '.join(sorted(unknown))}")
        criteria = {key: _period_value(key, value) for key, value in criteria.items()}
        return self._all_pages(
            "factures", "rechercher/fournisseur", criteria, "rechercheFactureParFournisseur", "listeFactures"
        )

    def invoice_history(self, invoice_id, paged=True):
        """Status history of an invoice: ``statutCourantCode`` and ``historiquesDesStatuts``.

        Reads every page (``page_size`` lines each): the answer is the first page's, its ``histoStatut``
        holding the lines of all pages. A history that grows meanwhile (``totalHistoStatut``) is read
        again from its first page, since its lines moved from page to page. ``paged=False`` sends
        ``idFacture`` alone, as production clients do (OCA), and takes the one answer Chorus Pro gives.
        """
        if not paged:
            return self._call("factures", "consulter/historique", {"idFacture": int(invoice_id)})
        page = 1
        for _request in range(MAX_PAGES):
            paging = {
                "pageResultatDemandeeListeHistoStatut": page,
                "nbResultatsParPageListeHistoStatut": self.page_size,
            }
            body = {"idFacture": int(invoice_id), "paramRechercheHistoStatuts": paging}
            answer = self._call("factures", "consulter/historique", body)
            history = answer.get("historiquesDesStatuts") or {}
            total = history.get("totalHistoStatut")
            if page == 1:
                first, first_total, lines = answer, total, []
            elif total != first_total:
                page = 1
                continue
            batch = _as_list(history.get("histoStatut"))
            lines.extend(batch)
            pages = _page_count({"pages": history.get("pagesHistoStatut"), "total": total}, self.page_size)
            if not batch or page >= pages:
                break
            page += 1
        else:
            _logger.warning("Chorus history of invoice %s: stopped after %s requests", invoice_id, MAX_PAGES)
        first["historiquesDesStatuts"] = {**(first.get("historiquesDesStatuts") or {}), "histoStatut": lines}
        return first

    def invoice_details(self, invoice_id):
        return self._call("factures", "consulter/fournisseur", {"identifiantFactureCPP": int(invoice_id)})

    def complete_invoice(self, invoice_id, comment, attachments=()):
        """Complete a SUSPENDUE invoice (completerFacture): it becomes COMPLETEE and goes back to the buyer.

        ``comment`` (at most 2000 characters) answers the suspension; ``attachments`` are
        ``pieceJointeId`` values from ``add_attachment``, or ``(pieceJointeId, designation)`` pairs.
        Returns the answer (``identifiantFactureCPP``, ``numeroFacture``, ``dateTraitement``). An
        invoice that is not SUSPENDUE is a ``ChorusBusinessError`` with ``code_retour`` 20002
        (GDP_MSG_11.033). Not repeated after an ambiguous failure (``outcome_unknown``): read the
        history to know whether it was done.
        """
        comment = comment or ""
        if len(comment) > COMPLETE_COMMENT_MAX:
            raise ValueError(f"A Chorus Pro completion comment has at most {COMPLETE_COMMENT_MAX} characters.")
        pieces = []
        for attachment in attachments:
            attachment_id, name = attachment if isinstance(attachment, (tuple, list)) else (attachment, None)
            piece = {"pieceJointeComplementaireId": int(attachment_id)}
            if name:
                piece["pieceJointeComplementaireDesignation"] = name
            pieces.append(piece)
        body = {"identifiantFactureCPP": int(invoice_id), "commentaire": comment}
        if pieces:
            body["pieceJointeComplementaire"] = pieces
        answer = self._call("factures", "completer", body, idempotent=False)
        _logger.info("Chorus invoice %s completed (%s attachments)", invoice_id, len(pieces))
        return answer

    def recycle_invoice(self, invoice_id, service_code=None, engagement=None, buyer_siret=None, comment=None):
        """Send an A_RECYCLER invoice again with a new routing (recyclerFacture), keeping its number.

        ``service_code`` (BT-10, codeServiceExecutant), ``engagement`` (BT-13, numeroBonCommande)
        and ``buyer_siret`` (codeDestinataire) are the new values; at least one is required. Chorus
        checks them against the buyer's rules; the invoice goes back to DEPOSEE, then
        MISE_A_DISPOSITION. Returns the answer (``statutFacture``, ``numeroFacture``, ``dateDepot``).
        Not repeated after an ambiguous failure (``outcome_unknown``).
        """
        if not (service_code or engagement or buyer_siret):
            raise ValueError("Recycling an invoice needs a new service code, engagement number or recipient.")
        if engagement and len(engagement) > ENGAGEMENT_MAX:
            raise ValueError(f"A Chorus Pro engagement number has at most {ENGAGEMENT_MAX} characters.")
        body = {"identifiantFactureCPP": int(invoice_id)}
        recipient = {}
        if buyer_siret:
            recipient["codeDestinataire"] = normalize(buyer_siret)
        if service_code:
            recipient["codeServiceExecutant"] = service_code
        if recipient:
            body["destinataire"] = recipient
        if engagement:
            body["reference"] = {"numeroBonCommande": engagement}
        if comment:
            body["commentaire"] = comment
        answer = self._call("factures", "recycler", body, idempotent=False)
        _logger.info("Chorus invoice %s recycled", invoice_id)
        return answer

    def add_attachment(self, file_bytes, file_name, mime_type):
        """Upload a file to Chorus Pro; return its ``pieceJointeId`` (int)."""
        body = {
            "pieceJointeFichier": base64.b64encode(file_bytes).decode("ascii"),
            "pieceJointeNom": file_name,
            "pieceJointeTypeMime": mime_type,
            "pieceJointeExtension": os.path.splitext(file_name)[1].lstrip(".").upper(),
        }
        service = "transverses/ajouter/fichier"
        answer = self._call("transverses", "ajouter/fichier", body, idempotent=False)
        attachment_id = answer.get("pieceJointeId")
        if not isinstance(attachment_id, int):
            raise _invalid_response(service, "no pieceJointeId")
        _logger.info("Chorus attachment %s uploaded (%s bytes)", attachment_id, len(file_bytes))
        return attachment_id

    # Subcontractors and co-contractors: soumettre and the validator ---------------------

    def submit_invoice(self, body):
        """Submit one invoice from its data (soumettreFacture); ``body`` from ``submission.submit_body``.

        Returns the answer: ``identifiantFactureCPP``, ``numeroFacture``, ``statutFacture``, ``dateDepot``
        and ``empreinteCertificatDepot``. Never repeated after an ambiguous failure (``outcome_unknown``):
        the invoice may be on Chorus Pro already, found later by its number.
        """
        service = "factures/soumettre"
        answer = self._call("factures", "soumettre", body, idempotent=False)
        try:
            answer["identifiantFactureCPP"] = int(answer["identifiantFactureCPP"])
        except (KeyError, TypeError, ValueError):
            # Accepted (codeRetour 0) but unreadable: the invoice is most likely on Chorus Pro.
            raise outcome_unknown(service, 200) from None
        _logger.info("Chorus invoice %s submitted", answer["identifiantFactureCPP"])
        return answer

    def correct_validator(self, invoice_id, validator_siret):
        """Name another validator on an invoice its validator declined (corrigerValideurFacture).

        Only for an invoice in ERREUR_FOURNISSEUR_SUR_VALIDEUR or ERREUR_COTRAITANT_SUR_VALIDEUR; it
        goes back to A_VALIDER_1 with the new validator. Not repeated after an ambiguous failure.
        """
        body = {
            "idFacture": int(invoice_id),
            "typeIdentifiantStructure": "SIRET",
            "identifiantStructure": normalize(validator_siret),
        }
        answer = self._call("factures", "corriger/valideur/facture", body, idempotent=False)
        _logger.info("Chorus invoice %s: validator corrected", invoice_id)
        return answer

    def lookup_structure(self, siret, private=False):
        """``{structure_id, name, active}`` of the structure with this SIRET, or None when Chorus Pro has none.

        ``private`` looks among private companies too (a main contractor validating a subcontractor's
        invoice), which the search leaves out unless told (``restreindreStructuresPrivees``).
        """
        siret = normalize(siret)
        matches = [
            item
            for item in self.search_structure(siret, private=private)["listeStructures"]
            if item.get("identifiantStructure") == siret
        ]
        if not matches:
            return None
        structure = next((item for item in matches if item.get("statut") == "ACTIVE"), matches[0])
        return {
            "structure_id": structure["idStructureCPP"],
            "name": structure.get("designationStructure"),
            "active": structure.get("statut") == "ACTIVE",
        }

    def supplier_structures(self):
        """The active structures the technical account invoices for (recupererStructuresActivesFournisseur).

        A list of ``listeStructures`` items (``idStructureCPP``, ``identifiantStructure``...): the
        ``idFournisseur`` of a submission is one's own ``idStructureCPP``.
        """
        answer = self._call("transverses", "recuperer/structures/actives/fournisseur", {}, accepted_codes={NO_RESULT})
        return _as_list(answer.get("listeStructures"))

    def bank_accounts(self, structure_id):
        """The valid bank details of one's own structure (recupererCoordonneesBancairesValides), as a list.

        Items hold ``idCoordonneeBancaire`` and ``nomCoordonneeBancaire`` (go-choruspro); some answers add
        the ``iban``.
        """
        body = {"idStructure": int(structure_id)}
        answer = self._call("transverses", "recuperer/coordbanc/valides", body, accepted_codes={NO_RESULT})
        return _as_list(answer.get("listeCoordonneeBancaire"))

    # Structures (buyers) and their services ---------------------------------------------

    def search_structure(self, siret, private=False):
        """Search structures by SIRET; ``listeStructures`` is always a list (empty when none).

        ``private``: private companies other than one's own too (``restreindreStructuresPrivees`` false).
        """
        body = {
            "structure": {"identifiantStructure": normalize(siret), "typeIdentifiantStructure": "SIRET"},
            "parametres": {"pageResultatDemandee": 1, "nbResultatsParPage": self.page_size},
        }
        if private:
            body["restreindreStructuresPrivees"] = False
        answer = self._call("structures", "rechercher", body, accepted_codes={NO_RESULT})
        answer["listeStructures"] = _as_list(answer.get("listeStructures"))
        return answer

    def structure_details(self, structure_id):
        return self._call("structures", "consulter", {"idStructureCPP": int(structure_id)})

    def structure_services(self, structure_id):
        """Every service of a structure (all pages), as a list of ``listeServices`` items."""
        return self._all_pages(
            "structures",
            "rechercher/services",
            {"idStructure": int(structure_id)},
            "parametresRechercherServicesStructure",
            "listeServices",
        )

    def service_details(self, structure_id, service_id):
        body = {"idStructure": int(structure_id), "idService": int(service_id)}
        return self._call("structures", "consulter/service", body)

    def lookup_buyer(self, siret):
        """What invoicing this public buyer requires, as a plain dict for the partner form.

        ``requirement`` follows OCA's mapping of consulterStructure.parametres; the service
        FACTURES_PUBLIQUES is left out since a supplier must never use it.
        """
        siret = normalize(siret)
        structures = self.search_structure(siret)["listeStructures"]
        matches = [item for item in structures if item.get("identifiantStructure") == siret]
        if not matches:
            raise ChorusBusinessError(
                f"Chorus Pro knows no structure with the SIRET {siret}: check the customer's SIRET "
                "(14 digits, not the SIREN); only structures registered on Chorus Pro can receive invoices.",
                kind="structure_not_found",
                service="structures/rechercher",
            )
        structure = next((item for item in matches if item.get("statut") == "ACTIVE"), matches[0])
        structure_id = structure["idStructureCPP"]
        details = self.structure_details(structure_id)
        parameters = details.get("parametres") or {}
        general = details.get("informationGenerales") or {}
        return {
            "structure_id": structure_id,
            "name": general.get("raisonSocialeStructure") or structure.get("designationStructure"),
            "requirement": buyer_requirement(parameters),
            "services": self._buyer_services(structure_id),
            "payment_status_not_reported": bool(parameters.get("statutMiseEnPaiementNestPasRemonte")),
        }

    def search_public_structures(self, name="", city="", postcode="", page=1, page_size=DIRECTORY_PAGE_SIZE):
        """One page of the public structures whose name contains ``name``, in ``city`` and ``postcode``.

        Active structures come first (sorted by status: ACTIVE before INACTIVE). Returns ``{"structures",
        "page", "pages", "total"}``; each structure is ``describe_structure``'s dict with its SIRET and status.
        """
        criteria = {"typeStructure": "PUBLIQUE"}
        for key, value in (("raisonSocialeStructure", name), ("adresseVille", city), ("adresseCodePostal", postcode)):
            if value and value.strip():
                criteria[key] = value.strip()
        body = {
            "structure": criteria,
            "parametres": {
                "pageResultatDemandee": int(page),
                "nbResultatsParPage": int(page_size),
                "triColonne": "Statut",
                "triSens": "Ascendant",
            },
        }
        answer = self._call("structures", "rechercher", body, accepted_codes={NO_RESULT})
        items = [] if answer.get("codeRetour") == NO_RESULT else _as_list(answer.get("listeStructures"))
        paging = answer.get("parametresRetour") or {}
        structures = [
            {
                **self.describe_structure(item["idStructureCPP"]),
                "siret": item.get("identifiantStructure"),
                "active": item.get("statut") == "ACTIVE",
            }
            for item in items
        ]
        total = paging.get("total") if isinstance(paging.get("total"), int) else len(structures)
        return {
            "structures": structures,
            "page": int(page),
            "pages": _page_count(answer, int(page_size)) if items else 0,
            "total": total,
        }

    def describe_structure(self, structure_id):
        """Name, postal address and invoicing requirement of a structure (consulterStructure), as a plain dict."""
        details = self.structure_details(structure_id)
        general = details.get("informationGenerales") or {}
        address = details.get("adressePostaleDuSiege") or {}
        return {
            "structure_id": structure_id,
            "name": general.get("raisonSocialeStructure") or general.get("libelleStructure") or "",
            "street": address.get("adresse") or "",
            "street2": address.get("complementAdresse1") or "",
            "zip": address.get("codePostal") or "",
            "city": address.get("ville") or "",
            "country": address.get("pays") or "",
            "requirement": buyer_requirement(details.get("parametres") or {}),
        }

    def own_structure_id(self, siret):
        """The idStructureCPP of the caller's own structure: the one with this SIRET among the structures the
        technical account invoices for (recupererStructuresActivesFournisseur, as production clients find it).
        """
        siret = normalize(siret)
        structures = self.supplier_structures()
        identifier = next(
            (item["idStructureCPP"] for item in structures if item.get("identifiantStructure") == siret), None
        )
        if identifier is None:
            raise ChorusBusinessError(
                f"The technical account does not invoice for the SIRET {siret}: check the SIRET of your company.",
                kind="own_structure_not_found",
                service="transverses/recuperer/structures/actives/fournisseur",
            )
        return identifier

    def engagement_exists(self, receiving_structure_id, number):
        """Whether Chorus Pro knows the engagement number ``number`` as an order to the supplier's structure.

        ``receiving_structure_id`` is the supplier's own idStructureCPP: the structure receiving the order, as
        OCA asks in production (docs/engagement-check.md). A separate PISTE subscription: without it, a
        ``ChorusNotSubscribedError``.
        """
        body = {
            "structureReceptriceEngagementJuridique": str(receiving_structure_id),
            "numeroEngagementJuridique": number,
            "etatCourantEngagementJuridique": ENGAGEMENT_ORDERED,
        }
        answer = self._call("engagementsJuridiques", "rechercher", body, accepted_codes={NO_RESULT})
        return answer.get("codeRetour") != NO_RESULT and bool(_as_list(answer.get("listeEngagementJuridique")))

    def _buyer_services(self, structure_id):
        services = []
        for service in self.structure_services(structure_id):
            if service.get("codeService") in FORBIDDEN_SERVICE_CODES:
                continue
            active = bool(service.get("estActif"))
            engagement_required = False
            # Inactive services cannot receive invoices: no need to ask for their parameters.
            if active:
                parameters = self.service_details(structure_id, service["idService"]).get("parametres") or {}
                engagement_required = bool(parameters.get("numeroEngagement"))
            services.append(
                {
                    "service_id": service["idService"],
                    "code": service.get("codeService"),
                    "name": service.get("libelleService"),
                    "active": active,
                    "engagement_required": engagement_required,
                }
            )
        return services

    # Plumbing ------------------------------------------------------------------------

    def _all_pages(self, group, path, body, paging_key, list_key):
        items = []
        for page in range(1, MAX_PAGES + 1):
            paging = {"pageResultatDemandee": page, "nbResultatsParPage": self.page_size}
            answer = self._call(group, path, {**body, paging_key: paging}, accepted_codes={NO_RESULT})
            batch = [] if answer.get("codeRetour") == NO_RESULT else _as_list(answer.get(list_key))
            items.extend(batch)
            if not batch or page >= _page_count(answer, self.page_size):
                return items
        _logger.warning("Chorus %s/%s: stopped after %s pages", group, path, MAX_PAGES)
        return items

    def _call(self, group, path, body=None, *, method="POST", idempotent=True, accepted_codes=(), code_kinds=None):
        """Send one service request and return its decoded answer (``codeRetour``, when present, as an int)."""
        service = f"{group}/{path}"
        url = f"{self.config.api_base_url}/cpro/{group}/v1/{path}"
        headers = {"Accept": JSON_CONTENT_TYPE}
        data = None
        if body is not None:
            headers["Content-Type"] = JSON_CONTENT_TYPE
            data = json.dumps(body).encode("utf-8")
        for token_renewed in (False, True):
            response = self._transport.request(
                method, url, service=service, idempotent=idempotent, auth=self._auth, headers=headers, data=data
            )
            if response.status_code != 401:
                break
            self._check_technical_account(response, service)
            if token_renewed:
                raise ChorusAuthError(
                    "Chorus Pro refused the authentication even with a new token: check the PISTE client id and "
                    "secret and the technical login and password, and that the technical account is linked to "
                    "this PISTE application on Chorus Pro.",
                    kind="unauthorized",
                    http_status=401,
                    service=service,
                )
            _logger.info("Chorus %s: token refused (HTTP 401), asking for a new one", service)
            self._tokens.invalidate(bearer_token_of(response.request))
        return self._decode(response, service, group, accepted_codes, code_kinds or {}, idempotent)

    def _check_technical_account(self, response, service):
        if "login or password" in response.headers.get("WWW-Authenticate", "").lower():
            raise ChorusAuthError(
                "Chorus Pro refused the technical account: check the technical login and password in the "
                "Chorus Pro settings (the password expires every 14 months; the main manager of the structure "
                "renews it on Chorus Pro) and the PISTE client id and secret.",
                kind="invalid_technical_account",
                http_status=401,
                service=service,
            )

    def _decode(self, response, service, group, accepted_codes, code_kinds, idempotent):
        status = response.status_code

        def unreadable(problem):
            # A request not to repeat was accepted (2xx) and may have taken effect: not a plain failure.
            return _invalid_response(service, problem, status) if idempotent else outcome_unknown(service, status)

        if status == 403:
            raise ChorusNotSubscribedError(
                f"Access refused to the Chorus Pro '{group}' API: in PISTE, subscribe the application to the "
                f"'{group}' API of the {self.config.environment} environment (accept its terms of use) and check "
                "that the technical account has rights on the structure.",
                api_group=group,
                http_status=403,
                service=service,
            )
        if status == 400:
            answer = _json_or_none(response) or {}
            raise ChorusBusinessError(
                f"Chorus Pro refused the request as invalid ({service}): {answer.get('libelle') or 'no detail'}.",
                kind="bad_request",
                http_status=400,
                code_retour=answer.get("codeRetour"),
                libelle=answer.get("libelle"),
                service=service,
            )
        if not 200 <= status < 300:
            raise error_for_status(response, service)
        answer = _json_or_none(response)
        if not isinstance(answer, dict):
            raise unreadable("not a JSON object")
        # Absent from the health check only; some answers send it as a string.
        code = answer.get("codeRetour")
        if code is None:
            return answer
        try:
            code = answer["codeRetour"] = int(code)
        except (TypeError, ValueError):
            raise unreadable("codeRetour is not a number") from None
        if code and code not in accepted_codes:
            libelle = answer.get("libelle")
            raise ChorusBusinessError(
                f"Chorus Pro refused the request ({service}): {libelle} (code {code}).",
                kind=code_kinds.get(code, "business"),
                http_status=status,
                code_retour=code,
                libelle=libelle,
                service=service,
            )
        return answer


def buyer_requirement(parameters):
    """OCA's mapping of consulterStructure.parametres to what an invoice must carry (§3.8)."""
    service = parameters.get("codeServiceDoitEtreRenseigne")
    engagement = parameters.get("numeroEJDoitEtreRenseigne")
    if parameters.get("gestionNumeroEJOuCodeService"):
        return "service_or_engagement"
    if service and engagement:
        return "service_and_engagement"
    if service:
        return "service"
    if engagement:
        return "engagement"
    return "none"


def _period_value(key, value):
    """A period criterion as Chorus reads it: ISO-8601 with an offset (dates as ``YYYY-MM-DD``)."""
    if not key.startswith("periode"):
        return value
    if isinstance(value, datetime.datetime):
        if value.utcoffset() is None:
            raise ValueError(f"{key}: give an aware datetime (with its time zone), not {value!r}.")
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _as_list(value):
    """Chorus sometimes sends a lone object where a list is declared (§2, Pastell)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _page_count(answer, page_size):
    """Number of pages announced, from ``parametresRetour`` or the flattened fields; 1 when unknown."""
    paging = answer.get("parametresRetour") or answer
    pages = paging.get("pages")
    if isinstance(pages, int):
        return pages
    total = paging.get("total")
    if isinstance(total, int):
        return math.ceil(total / page_size)
    return 1


def _json_or_none(response):
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _invalid_response(service, problem, http_status=None):
    return ChorusTransportError(
        f"Chorus Pro sent an answer the client cannot read ({service}: {problem}): retry later; "
        "if it persists, check the API URL of the Chorus Pro settings.",
        kind="invalid_response",
        http_status=http_status,
        service=service,
    )
