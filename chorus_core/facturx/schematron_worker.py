"""Saxon for the Schematron: the in-process engine and the validation worker that serves it over pipes.

SaxonC (saxonche) is a GraalVM native image that reserves about 32 GB of address space when its
processor starts, and aborts the whole process, with no Python exception, when ``RLIMIT_AS`` is
lower. Odoo sets such a soft limit from ``limit_memory_hard`` (2.5 GB by default). A process
under it hands its Schematron work to one worker, a child that lifts its own soft limit to the
hard one, compiles each stylesheet once and then validates documents for as long as it lives
(``schematron_client`` starts it and talks to it).

This file is also the worker's program, run as a script (``python schematron_worker.py``): it
imports nothing but the standard library and saxonche, so the worker never loads Odoo nor the
rest of the add-on, and it runs Saxon in-process unconditionally: a worker never starts a worker.

Protocol, on the worker's stdin and stdout: every frame is a 4-byte big-endian length followed by
that many bytes. A request is three frames (command, stylesheet path, document); the answer is two
frames (status ``ok`` or ``error``, body). Commands:

- ``transform``: body of the answer is the SVRL report of the document (an absolute stylesheet
  path, compiled on its first use), or the error message;
- ``stats``: body is a JSON object (pid, compilations, transforms, address-space limits).

The worker exits with status 0 when its stdin reaches end of file between two requests, which
is what happens when its parent closes the pipe or dies, however it dies.
"""

import json
import os
import struct
import sys
import threading

WORKER_ENV = "CHORUS_SCHEMATRON_WORKER"  # set to "1" in the worker's environment
# Measured: saxonche 13 starts with RLIMIT_AS at 33 GB and aborts at 32 GB; a little margin on top.
SAXON_ADDRESS_SPACE = 34 * 1024**3
GIGABYTE = 1024**3

COMMAND_TRANSFORM = b"transform"
COMMAND_STATS = b"stats"
STATUS_OK = b"ok"
STATUS_ERROR = b"error"
FRAME_HEADER = struct.Struct(">I")
MAX_FRAME = 512 * 1024**2  # a longer announced frame means the two sides lost each other
REQUEST_FRAMES = 3
EXIT_PROTOCOL_ERROR = 2


class SchematronError(RuntimeError):
    """The Schematron could not run: address-space limit, Saxon error, worker dead or too slow."""


def address_space_limits():
    """``(soft, hard)`` RLIMIT_AS in bytes, ``None`` for no limit; ``(None, None)`` off POSIX."""
    try:
        import resource  # noqa: PLC0415 - POSIX only
    except ImportError:
        return None, None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    return (None if soft == resource.RLIM_INFINITY else soft), (None if hard == resource.RLIM_INFINITY else hard)


def limit_too_low_message(limit):
    return (
        f"The Schematron checks cannot run under this process's address-space limit (RLIMIT_AS hard limit "
        f"{limit / GIGABYTE:.1f} GB): SaxonC reserves about {SAXON_ADDRESS_SPACE // GIGABYTE} GB of address "
        "space when it starts (it uses far less memory) and aborts below that. Lift the hard limit of the "
        "Odoo service: 'ulimit -H -v unlimited' in the shell or script that starts it, or LimitAS=infinity "
        "in its systemd unit. Odoo's limit_memory_hard sets only the soft limit, which the validation "
        "worker raises by itself."
    )


class SaxonEngine:
    """Compiled stylesheets and one Saxon processor; calls serialised (SaxonC is not thread-safe)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._processor = None
        self._executables = {}
        self.compilations = 0
        self.transforms = 0

    def transform(self, stylesheet, xml_bytes):
        """The output (bytes) of an XSLT file applied to a document; raises SchematronError."""
        with self._lock:
            executable = self._executable(stylesheet)
            try:
                document = self._processor.parse_xml(xml_text=xml_bytes.decode("utf-8"))
                report = executable.transform_to_string(xdm_node=document)
            except Exception as error:  # PySaxonApiError, UnicodeDecodeError
                raise SchematronError(f"Saxon could not apply {os.path.basename(stylesheet)}: {error}") from error
            self.transforms += 1
        if report is None:
            raise SchematronError(f"Saxon returned no report for {os.path.basename(stylesheet)}.")
        return report.encode("utf-8")

    def _executable(self, stylesheet):
        """The compiled stylesheet, compiled on first use. Call with the lock held."""
        executable = self._executables.get(stylesheet)
        if executable is not None:
            return executable
        if self._processor is None:
            # Better a plain error than SaxonC aborting the process from inside its native code.
            soft, _hard = address_space_limits()
            if soft is not None and soft < SAXON_ADDRESS_SPACE:
                raise SchematronError(limit_too_low_message(soft))
            import saxonche  # noqa: PLC0415 - the worker imports it only after lifting its limit

            self._processor = saxonche.PySaxonProcessor(license=False)
        try:
            executable = self._processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=stylesheet)
        except Exception as error:  # PySaxonApiError
            raise SchematronError(f"Saxon could not compile {os.path.basename(stylesheet)}: {error}") from error
        if executable is None:
            raise SchematronError(f"Saxon could not compile {os.path.basename(stylesheet)}.")
        self._executables[stylesheet] = executable
        self.compilations += 1
        return executable

    def stats(self):
        soft, hard = address_space_limits()
        return {
            "pid": os.getpid(),
            "compilations": self.compilations,
            "transforms": self.transforms,
            "address_space_soft": soft,
            "address_space_hard": hard,
        }


def pack_frames(*payloads):
    return b"".join(FRAME_HEADER.pack(len(payload)) + payload for payload in payloads)


def _read_exactly(stream, size):
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


class _ProtocolError(Exception):
    pass


def read_request(stream):
    """The frames of the next request, or None at end of file before it starts."""
    frames = []
    for _index in range(REQUEST_FRAMES):
        header = _read_exactly(stream, FRAME_HEADER.size)
        if header is None:
            if frames:
                raise _ProtocolError("end of file inside a request")
            return None
        (size,) = FRAME_HEADER.unpack(header)
        if size > MAX_FRAME:
            raise _ProtocolError(f"frame of {size} bytes announced")
        payload = _read_exactly(stream, size) if size else b""
        if payload is None:
            raise _ProtocolError("end of file inside a frame")
        frames.append(payload)
    return frames


def answer(engine, command, stylesheet, document):
    """``(status, body)`` of one request; errors are answers, the worker goes on."""
    try:
        if command == COMMAND_TRANSFORM:
            return STATUS_OK, engine.transform(stylesheet.decode("utf-8"), document)
        if command == COMMAND_STATS:
            return STATUS_OK, json.dumps(engine.stats()).encode("utf-8")
        return STATUS_ERROR, f"unknown command {command!r}".encode()
    except Exception as error:
        return STATUS_ERROR, str(error).encode("utf-8", "replace")


def serve(requests, answers, engine):
    """Answer requests until end of file; returns the exit status."""
    while True:
        try:
            frames = read_request(requests)
        except _ProtocolError as error:
            sys.stderr.write(f"schematron worker {os.getpid()}: protocol error, {error}\n")
            return EXIT_PROTOCOL_ERROR
        if frames is None:
            return 0
        status, body = answer(engine, *frames)
        answers.write(pack_frames(status, body))
        answers.flush()


def _lift_address_space_limit():
    """Soft RLIMIT_AS up to the hard one (always allowed), before Saxon starts."""
    try:
        import resource  # noqa: PLC0415 - POSIX only
    except ImportError:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def main():
    # Run as a script, Python put this file's folder first on sys.path, where model.py, pdf.py...
    # would shadow top-level modules of the same name.
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or os.curdir) == here:
        del sys.path[0]
    os.environ[WORKER_ENV] = "1"
    # Lifted here rather than in a preexec_fn: code between fork and exec is unsafe in a threaded parent.
    _lift_address_space_limit()
    import signal  # noqa: PLC0415

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the parent; the worker ends with its stdin
    # The answers get a descriptor of their own; whatever Saxon or Python prints goes to stderr.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    return serve(sys.stdin.buffer, answers, SaxonEngine())


if __name__ == "__main__":
    sys.exit(main())
