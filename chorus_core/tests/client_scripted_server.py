"""A throw-away HTTP server on 127.0.0.1 that answers from a script, for the client's transport tests.

The sandbox simulates Chorus Pro; this one plays exact answers (a 401 with a given header,
a Retry-After date, a 502 on a deposit...) and records every request it received.
"""

import dataclasses
import http.server
import itertools
import json
import threading
import time

from chorus_core.client import ChorusClient, ChorusConfig

TOKEN_PATH = "/api/oauth/token"
CLIENT_SECRET = "piste-s3cret-value"
LOGIN = "TECH_1_83256174000016@cpro.fr"
PASSWORD = "Tech-Pwd-s3cret!"


@dataclasses.dataclass
class Reply:
    status: int = 200
    body: object = None  # dict/list -> JSON, str/bytes -> as is, None -> empty
    headers: dict = dataclasses.field(default_factory=dict)
    delay: float = 0.0

    def payload(self):
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclasses.dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def ok(**fields):
    return Reply(body={"codeRetour": 0, "libelle": "GCU_MSG_01_000", **fields})


class ScriptedServer:
    """``script(path, *replies)``: answers in order, the last one repeating; unscripted paths get 404.

    The token endpoint answers a new token ("token-1", "token-2"...) valid one hour unless scripted.
    """

    def __init__(self):
        self.received = []
        self._scripts = {}
        self._token_numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01})

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def token_url(self):
        return self.base_url + TOKEN_PATH

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()

    def script(self, path, *replies):
        with self._lock:
            self._scripts[path] = list(replies)

    def requests_to(self, path):
        return [item for item in self.received if item.path == path]

    def _reply_for(self, path):
        with self._lock:
            replies = self._scripts.get(path)
            if replies:
                return replies.pop(0) if len(replies) > 1 else replies[0]
        if path == TOKEN_PATH:
            return Reply(body={"access_token": f"token-{next(self._token_numbers)}", "expires_in": 3600})
        return Reply(status=404)

    def _handler_class(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self._answer()

            def do_POST(self):
                self._answer()

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.received.append(Received(self.command, self.path, dict(self.headers), body))
                reply = server._reply_for(self.path)
                reply = reply(server.received[-1]) if callable(reply) else reply
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.payload()
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout tests)

            def log_message(self, *args):
                pass  # keep the test output clean

        return Handler


def scripted_client(server, sleeps=None, page_size=100, **overrides):
    """A client of the scripted server with tiny backoffs; delays it would sleep go to ``sleeps``."""
    settings = {
        "environment": "custom",
        "api_url": server.base_url,
        "oauth_url": server.token_url,
        "client_id": "client-id",
        "client_secret": CLIENT_SECRET,
        "login": LOGIN,
        "password": PASSWORD,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
        **overrides,
    }
    recorder = sleeps.append if sleeps is not None else (lambda _delay: None)
    return ChorusClient(ChorusConfig(**settings), sleep=recorder, page_size=page_size)
