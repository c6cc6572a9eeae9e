"""Answer shapes shared by the handlers: the Chorus envelope and HTTP-level errors."""

SUCCESS = "GCU_MSG_01_000"
SUCCESS_TRA = "TRA_MSG_00.000"
NO_RESULT = (20000, "TRA_MSG_00.015 La recherche n'a retourné aucun résultat")
NOT_FOUND_INVOICE = (20000, "GDP_MSG_11.008 - La demande de paiement n'existe pas.")
SERVER_ERROR_BODY = {"codeRetour": 500, "libelle": "Erreur technique interne."}


class HttpError(Exception):
    """An answer that is not HTTP 200; ``payload`` None means an empty body."""

    def __init__(self, status, payload=None, headers=None):
        super().__init__(status)
        self.status = status
        self.payload = payload
        self.headers = headers or {}


def ok(libelle=SUCCESS, **fields):
    return {"codeRetour": 0, "libelle": libelle, **fields}


def fail(code_and_text):
    """Business error: HTTP 200 with a non-zero codeRetour, as Chorus does."""
    code, text = code_and_text
    return {"codeRetour": code, "libelle": text}


def bad_request(text):
    return HttpError(400, {"codeRetour": 400, "libelle": f"Requête mal formulée : {text}"})


def refused_shape():
    """A request shape the back end does not take: HTTP 500, as the platform answers to a date it does not
    parse (chorus-pro-api.md §1.5, §3.11)."""
    return HttpError(500, dict(SERVER_ERROR_BODY))


def require(body, *keys):
    """Mandatory keys of a request (the swagger marks none; the prose appendix does)."""
    missing = [key for key in keys if body.get(key) in (None, "")]
    if missing:
        raise bad_request(f"paramètre obligatoire absent : {', '.join(missing)}")


def paging(total, page, size):
    """1-based page bounds and the ``parametresRetour`` block."""
    try:
        page = max(int(page or 1), 1)
        size = max(int(size or 10), 1)
    except (TypeError, ValueError) as exc:
        raise bad_request("paramètres de pagination invalides") from exc
    pages = (total + size - 1) // size
    start = (page - 1) * size
    return (
        start,
        start + size,
        {
            "pageCourante": page,
            "pages": pages,
            "nbResultatsParPage": size,
            "total": total,
        },
    )
