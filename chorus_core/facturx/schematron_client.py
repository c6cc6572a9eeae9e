"""The parent's side of the Schematron worker: one long-lived child per process, started on demand.

``SchematronWorker.transform(stylesheet, xml)`` sends one request and waits for its answer (see
``schematron_worker`` for the protocol). Requests are serialised by a lock, so threads share the
worker safely. A worker found dead before a request, or that dies during a request it was
reused for, is replaced and the request sent once more; a request slower than the timeout kills
the worker (the next request starts a new one) and raises ``SchematronTimeout``. The worker is
closed at interpreter exit, and ends by itself when its stdin closes, so it never outlives its
parent. No parent-death signal: Linux sends it when the *thread* that started the child ends,
which in a threaded server is any request thread.
"""

import atexit
import json
import os
import selectors
import subprocess
import sys
import threading
import time

from .schematron_worker import (
    COMMAND_STATS,
    COMMAND_TRANSFORM,
    FRAME_HEADER,
    STATUS_OK,
    WORKER_ENV,
    SchematronError,
    pack_frames,
)

WORKER_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schematron_worker.py")
REQUEST_TIMEOUT = 60  # seconds; the first request also compiles the stylesheet (about one second)
CLOSE_TIMEOUT = 5  # seconds a closed worker gets to exit before it is killed
READ_CHUNK = 1024**2


class SchematronTimeout(SchematronError):
    """The worker did not answer in time; it was killed and the next request starts another."""


class _WorkerGone(Exception):
    """The worker closed its pipes (it exited or was killed)."""


class SchematronWorker:
    """One validation worker, started on first use and reused for every request."""

    def __init__(self, timeout=REQUEST_TIMEOUT, python=None):
        self.timeout = timeout
        self._python = python or sys.executable
        self._lock = threading.Lock()
        self._process = None
        self._owner_pid = None
        self.starts = 0  # workers started by this object in this process

    @property
    def pid(self):
        """The running worker's pid, or None."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def transform(self, stylesheet, xml_bytes, timeout=None):
        """The SVRL report (bytes) of a document against an XSLT file; raises SchematronError."""
        return self._request(COMMAND_TRANSFORM, os.fsencode(stylesheet), xml_bytes, timeout)

    def stats(self, timeout=None):
        """What the worker reports about itself: pid, compilations, transforms, address-space limits."""
        return json.loads(self._request(COMMAND_STATS, b"", b"", timeout))

    def close(self):
        """Close the worker's stdin, wait for it to exit (kill it after a few seconds)."""
        if not self._lock.acquire(timeout=CLOSE_TIMEOUT):
            # A request still running at interpreter exit: no waiting for it.
            process = self._process
            if process is not None and self._owner_pid == os.getpid():
                process.kill()
            return
        try:
            self._stop(graceful=True)
        finally:
            self._lock.release()

    def _request(self, command, stylesheet, document, timeout):
        request = pack_frames(command, stylesheet, document)
        with self._lock:
            fresh = self._ensure_started()
            try:
                status, body = self._exchange(request, timeout)
            except _WorkerGone:
                if fresh:
                    raise self._gone_error() from None
                # Reused and found dead (killed between two calls, say): once more with a new one.
                self._stop(graceful=False)
                self._ensure_started()
                try:
                    status, body = self._exchange(request, timeout)
                except _WorkerGone:
                    raise self._gone_error() from None
        if status != STATUS_OK:
            raise SchematronError(body.decode("utf-8", "replace"))
        return body

    def _ensure_started(self):
        """Start a worker unless a live one is there; True when one was started. Lock held."""
        if self._process is not None and self._owner_pid != os.getpid():
            self._forget()  # copied by fork: that worker belongs to the parent process
        if self._process is not None and self._process.poll() is not None:
            self._stop(graceful=False)
        if self._process is not None:
            return False
        if not self._python:
            raise SchematronError("No Python interpreter known (sys.executable is empty) to run the Schematron.")
        try:
            self._process = subprocess.Popen(
                [self._python, WORKER_SCRIPT],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                bufsize=0,
                env=dict(os.environ, **{WORKER_ENV: "1"}),
                close_fds=True,
            )
        except OSError as error:
            raise SchematronError(f"The Schematron worker could not start: {error}") from error
        self._owner_pid = os.getpid()
        self.starts += 1
        os.set_blocking(self._process.stdin.fileno(), False)
        os.set_blocking(self._process.stdout.fileno(), False)
        return True

    def _exchange(self, request, timeout):
        """Send a request, read its two answer frames; kill the worker when over time. Lock held."""
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        try:
            self._send(request, deadline)
            status = self._receive_frame(deadline)
            body = self._receive_frame(deadline)
        except TimeoutError:
            pid = self._process.pid
            self._stop(graceful=False)
            raise SchematronTimeout(
                f"The Schematron worker (pid {pid}) gave no answer within {limit:g} s; it was stopped "
                "and the next validation starts a new one."
            ) from None
        return status, body

    def _send(self, data, deadline):
        fd = self._process.stdin.fileno()
        view = memoryview(data)
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_WRITE)
            while view:
                self._wait(selector, deadline)
                try:
                    written = os.write(fd, view)
                except BlockingIOError:
                    continue
                except (BrokenPipeError, ConnectionResetError):
                    raise _WorkerGone from None
                view = view[written:]

    def _receive_frame(self, deadline):
        (size,) = FRAME_HEADER.unpack(self._receive(FRAME_HEADER.size, deadline))
        return self._receive(size, deadline) if size else b""

    def _receive(self, size, deadline):
        fd = self._process.stdout.fileno()
        chunks = []
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while size:
                self._wait(selector, deadline)
                try:
                    chunk = os.read(fd, min(size, READ_CHUNK))
                except BlockingIOError:
                    continue
                if not chunk:
                    raise _WorkerGone
                chunks.append(chunk)
                size -= len(chunk)
        return b"".join(chunks)

    @staticmethod
    def _wait(selector, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not selector.select(remaining):
            raise TimeoutError

    def _gone_error(self):
        process = self._process
        try:
            code = process.wait(timeout=CLOSE_TIMEOUT)
        except subprocess.TimeoutExpired:
            code = None
        self._stop(graceful=False)
        return SchematronError(
            f"The Schematron worker (pid {process.pid}) stopped before answering (exit status {code}); "
            "its error output is in the server log."
        )

    def _stop(self, graceful):
        """Stop and reap the worker, if any, so that no zombie is left. Lock held."""
        process = self._process
        if process is None:
            return
        if self._owner_pid != os.getpid():
            self._forget()
            return
        self._process = None
        try:
            process.stdin.close()
        except OSError:
            pass  # broken pipe while flushing: the worker is gone already
        if graceful:
            try:
                process.wait(timeout=CLOSE_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()

    def _forget(self):
        """Drop a worker inherited through fork without touching it: it is the parent's."""
        process, self._process = self._process, None
        for pipe in (process.stdin, process.stdout):
            try:
                pipe.close()  # this process's copies of the pipes; the parent keeps its own
            except OSError:
                pass


_shared = None
_shared_lock = threading.Lock()


def shared_worker():
    """The worker of this process, closed at interpreter exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = SchematronWorker()
            atexit.register(_shared.close)
    return _shared


def _after_fork_in_child():
    # A lock held by another thread at fork time would stay held forever in the child.
    global _shared_lock
    _shared_lock = threading.Lock()
    if _shared is not None:
        _shared._lock = threading.Lock()
        if _shared._process is not None:
            _shared._forget()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
