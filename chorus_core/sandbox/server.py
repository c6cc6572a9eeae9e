"""HTTP layer of the sandbox: routing, gateway checks, fault injection and the server object."""

import json
import logging
import threading
import time
import urllib.parse
from collections import namedtuple
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import auth, control, engagements, factures, structures, transverses
from .responses import SERVER_ERROR_BODY, HttpError, bad_request
from .state import State

_logger = logging.getLogger(__name__)

TOKEN_PATH = "/api/oauth/token"
JSON_TYPE = "application/json;charset=utf-8"
# Largest request read at all: a 30 MB archive in base64 plus the JSON around it.
MAX_REQUEST_BYTES = 48 * 1024 * 1024
ROUTES = {
    "factures": factures.ROUTES,
    "structures": structures.ROUTES,
    "transverses": transverses.ROUTES,
    "engagementsJuridiques": engagements.ROUTES,
}
GET_ROUTES = {"transverses": transverses.GET_ROUTES}
FAULT_BODIES = {
    429: {"error": "Too Many Requests"},
    500: SERVER_ERROR_BODY,
    502: {"error": "Bad Gateway"},
    503: {"error": "Service Unavailable"},
    504: {"error": "Gateway Timeout"},
}

Call = namedtuple("Call", "state account")
Reply = namedtuple("Reply", "status payload headers")


def _json_object(raw):
    try:
        body = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad_request("le corps n'est pas un JSON valide") from exc
    if not isinstance(body, dict):
        raise bad_request("le corps doit être un objet JSON")
    return body


class App:
    """Turns one request into one reply; knows nothing of sockets."""

    def __init__(self, state):
        self.state = state
        self.control = control.Control(state)

    def handle(self, method, raw_path, headers, raw_body):
        path = urllib.parse.urlsplit(raw_path).path.rstrip("/")
        try:
            if path.startswith("/sandbox/"):
                return self._control(method, path, raw_body)
            return self._gateway(method, path, headers, raw_body)
        except HttpError as error:
            return Reply(error.status, error.payload, error.headers)
        except Exception:
            # Like the real back end, an unexpected input shape ends in a 500, not a dropped connection.
            _logger.exception("sandbox failure on %s %s", method, path)
            return Reply(500, FAULT_BODIES[500], {})

    def _control(self, method, path, raw_body):
        route = control.ROUTES.get((method, path))
        if route is None:
            return Reply(404, {"error": f"unknown control route {method} {path}"}, {})
        try:
            return Reply(200, route(self.control, _json_object(raw_body or b"")), {})
        except (TypeError, ValueError) as exc:
            return Reply(400, {"error": str(exc)}, {})

    def _gateway(self, method, path, headers, raw_body):
        service = "token" if path == TOKEN_PATH else path.removeprefix("/cpro/")
        with self.state.lock:
            self.state.count_call(service)
            fault = self._take_fault(path)
            lost_answer = not fault and self._take_lost_answer(path)
            delay = self.state.faults["delay"] if path.startswith(self.state.faults["target"]) else 0
            self.state.save()
        if delay:
            time.sleep(float(delay))
        if fault:
            return fault
        if raw_body is None:
            return Reply(413, {"codeRetour": 413, "libelle": "Requête trop volumineuse."}, {})
        if path == TOKEN_PATH:
            reply = self._token(method, headers, raw_body)
        else:
            reply = self._api(method, path, headers, raw_body)
        # The gateway gave up waiting although the back end did the work (a deposit is then recorded).
        return Reply(504, FAULT_BODIES[504], {}) if lost_answer else reply

    def _take_fault(self, path):
        faults = self.state.faults
        if not path.startswith(faults["target"]):
            return None
        for status in (429, 503, 502, 500):
            key = f"http_{status}"
            if faults[key] > 0:
                faults[key] -= 1
                extra = {"Retry-After": str(faults["retry_after"])} if status in (429, 503) else {}
                return Reply(status, FAULT_BODIES[status], extra)
        return None

    def _take_lost_answer(self, path):
        faults = self.state.faults
        if path.startswith(faults["target"]) and faults["accept_then_504"] > 0:
            faults["accept_then_504"] -= 1
            return True
        return False

    def _token(self, method, headers, raw_body):
        if method != "POST":
            return Reply(405, {"error": "method_not_allowed"}, {})
        if not headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            return Reply(415, {"error": "unsupported_media_type"}, {})
        form = dict(urllib.parse.parse_qsl(raw_body.decode("utf-8", "replace")))
        with self.state.lock:
            answer = auth.issue_token(self.state, form)
            self.state.save()
        return Reply(200, answer, {"Cache-Control": "no-store"})

    def _api(self, method, path, headers, raw_body):
        parts = path.split("/", 4)  # "", "cpro", group, "v1", operation
        if len(parts) != 5 or parts[1] != "cpro" or parts[2] not in ROUTES or parts[3] != "v1":
            return Reply(404, {"codeRetour": 404, "libelle": "API non trouvée"}, {})
        group, operation = parts[2], parts[4]
        with self.state.lock:
            client_id = auth.bearer_client(self.state, headers.get("Authorization"))
            auth.check_subscription(self.state, client_id, group)
        if method == "GET" and operation in GET_ROUTES.get(group, {}):
            return Reply(200, GET_ROUTES[group][operation](), {})
        account = auth.technical_account(headers.get("cpro-account"))
        handler = ROUTES[group].get(operation)
        if handler is None:
            return Reply(404, {"codeRetour": 404, "libelle": "API non trouvée"}, {})
        if method != "POST":
            return Reply(405, {"codeRetour": 405, "libelle": "Méthode non autorisée"}, {})
        if not headers.get("Content-Type", "").replace(" ", "").lower().startswith("application/json"):
            return Reply(
                415,
                {"codeRetour": 415, "libelle": "Format de la requête non supporté"},
                {},
            )
        body = _json_object(raw_body)
        with self.state.lock:
            answer = handler(Call(self.state, account), body)
            self.state.save()
        return Reply(200, answer, {})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ChorusProSandbox/1.0"
    # Keep-alive answers otherwise wait ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    app = None  # set on the subclass made for each server

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            # Not read: the connection is closed after the 413.
            self.close_connection = True
            raw_body = None
        else:
            raw_body = self.rfile.read(length)
        reply = self.app.handle(self.command, self.path, self.headers, raw_body)
        data = b"" if reply.payload is None else json.dumps(reply.payload, ensure_ascii=False).encode("utf-8")
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", JSON_TYPE)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, message, *args):
        _logger.debug("%s %s", self.address_string(), message % args)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True


class SandboxServer:
    """A local Chorus Pro + PISTE, on 127.0.0.1 by default.

    ``with SandboxServer(port=0) as sandbox:`` serves in a background thread at
    ``sandbox.base_url``; ``sandbox.control`` drives it from tests.
    """

    def __init__(self, port=0, host="127.0.0.1", state_file=None):
        self.state = State(state_file)
        self.app = App(self.state)
        self.control = self.app.control
        handler = type("SandboxHandler", (_Handler,), {"app": self.app})
        self.httpd = _HTTPServer((host, port), handler)
        self.host, self.port = self.httpd.server_address[:2]
        self._thread = None

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}"

    @property
    def oauth_url(self):
        return self.base_url + TOKEN_PATH

    def start(self):
        # A short poll interval keeps close() fast.
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="chorus-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self):
        self.httpd.serve_forever()

    def close(self):
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.close()
