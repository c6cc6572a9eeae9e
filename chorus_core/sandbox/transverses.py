"""``/cpro/transverses/v1/*``: processing reports (CR) of fluxes and attachments (§3.2, §3.3, §3.12)."""

import base64

from .. import limits
from . import lifecycle, submission
from .factures import decode_file
from .responses import SUCCESS_TRA, bad_request, fail, ok, require

FLUX_NOT_FOUND = (20001, "POQ_MSG_01.003 - Flux introuvable.")

# consulterCR carries the report as a PDF; a one-page placeholder is enough for clients.
PLACEHOLDER_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PLACEHOLDER_PDF_B64 = base64.b64encode(PLACEHOLDER_PDF).decode("ascii")

# 20003 for a file over 10 MB is documented (go-choruspro); the other codes are the sandbox's.
ATTACHMENT_ERRORS = {
    "too_big": (
        20003,
        "La taille du fichier dépasse la taille maximale autorisée (10 Mo).",
    ),
    "empty": (20004, "Le fichier est vide."),
    "name_too_long": (
        20005,
        f"Le nom du fichier dépasse {limits.ATTACHMENT_NAME_MAX} caractères.",
    ),
    "bad_extension": (20006, "L'extension du fichier n'est pas autorisée."),
}


def _own_flux(call, body):
    require(body, "numeroFluxDepot")
    flux = call.state.fluxes.get(str(body["numeroFluxDepot"]))
    # A flux of another technical account is as unknown as a wrong number.
    if flux is None or flux["login"] != call.account["login"]:
        return None
    return flux


def _step(call, flux):
    """In step mode each report read moves the flux on, so a poller sees every state once."""
    if call.state.settings["flux_mode"] == "step":
        lifecycle.advance_flux(call.state, flux)


def consulter_cr(call, body):
    flux = _own_flux(call, body)
    if flux is None:
        return fail(FLUX_NOT_FOUND)
    code = lifecycle.interface_code(flux["syntaxeFlux"])
    answer = ok(
        SUCCESS_TRA,
        numeroFluxDepot=flux["numeroFluxDepot"],
        etatCourantFlux=flux["etat"],
        dateDepotFlux=flux["dateDepotFlux"],
        dateHeureEtatCourantFlux=flux["dateHeureEtat"],
        codeAppliPartenaire="SANDBOX",
        codeInterfaceFlux=f"FSO{code}A",
        designationPartenaire="Bac à sable Chorus Pro",
        nomFichierFlux=flux["nomFichier"],
        fichierCR=PLACEHOLDER_PDF_B64,
    )
    _step(call, flux)
    return answer


def consulter_cr_detaille(call, body):
    flux = _own_flux(call, body)
    if flux is None:
        return fail(FLUX_NOT_FOUND)
    code = lifecycle.interface_code(flux["syntaxeFlux"])
    answer = ok(
        SUCCESS_TRA,
        codeInterfaceDepotFlux=f"FSO{code}A",
        dateDepotFlux=flux["dateDepotFlux"],
        dateHeureEtatCourantFlux=flux["dateHeureEtat"],
        etatCourantDepotFlux=flux["etat"],
        nomFichier=f"FSO{code}A_CPP001_{flux['numeroFluxDepot']}",
        listeErreurDP=flux["listeErreurDP"],
        listeErreurTechnique=flux["listeErreurTechnique"],
    )
    _step(call, flux)
    return answer


def ajouter_fichier(call, body):
    require(body, "pieceJointeNom")
    if body.get("pieceJointeFichier") is None:  # "" is a real, empty file
        raise bad_request("paramètre obligatoire absent : pieceJointeFichier")
    content = decode_file(body["pieceJointeFichier"], "pieceJointeFichier")
    name = body["pieceJointeNom"]
    problems = [problem for problem, _name in limits.attachment_problems([(name, len(content))])]
    declared = (body.get("pieceJointeExtension") or "").upper()
    if declared and declared not in limits.ATTACHMENT_EXTENSIONS:
        problems.append("bad_extension")
    if problems:
        return fail(ATTACHMENT_ERRORS[problems[0]])
    extension = declared or limits.attachment_extension(name)
    identifier = call.state.next_id("attachment")
    call.state.data["attachments"][str(identifier)] = {
        "pieceJointeId": identifier,
        "pieceJointeNom": name,
        "pieceJointeExtension": extension,
        "pieceJointeTypeMime": body.get("pieceJointeTypeMime"),
        "taille": len(content),
        "contenu": body["pieceJointeFichier"],
        "login": call.account["login"],
    }
    return ok(pieceJointeId=identifier)


def health_check():
    return {"body": "OK", "statusCodeValue": 200, "statusCode": "OK"}


ROUTES = {
    "consulterCR": consulter_cr,
    "consulterCRDetaille": consulter_cr_detaille,
    "ajouter/fichier": ajouter_fichier,
    "recuperer/coordbanc/valides": submission.coordonnees_bancaires,
    "recuperer/structures/actives/fournisseur": submission.structures_actives_fournisseur,
}
GET_ROUTES = {"health-check": health_check}
