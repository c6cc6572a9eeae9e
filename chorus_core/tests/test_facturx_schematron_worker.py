"""The Schematron under an address-space limit: one worker per process, reused, replaced when it fails.

SaxonC aborts a process whose RLIMIT_AS is below ~32 GB. Odoo sets a soft limit of 2.5 GB: the
scripts below set it on themselves the same way, then validate, and print what they saw as JSON.
Timings are printed, not asserted (speed targets belong to the benchmark); what is asserted is what
makes the speed: one worker started, each stylesheet compiled once.
"""

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from chorus_core.facturx import samples, schematron_client, validate
from chorus_core.facturx.cii import build_cii
from chorus_core.facturx.schematron_client import SchematronTimeout, SchematronWorker
from chorus_core.facturx.schematron_worker import SchematronError, address_space_limits

pytestmark = pytest.mark.skipif(not validate.SCHEMATRON_AVAILABLE, reason="saxonche is not installed")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT_TIMEOUT = 180  # seconds; only a guard against a hang, the scripts take a few seconds

# Set on itself, before anything else, as Odoo's prefork workers do with limit_memory_hard.
LIMIT_PRELUDE = """
import json, resource, sys, time
SOFT, HARD = {soft}, {hard}
resource.setrlimit(resource.RLIMIT_AS, (SOFT, HARD if HARD is not None else resource.RLIM_INFINITY))
popens = []
sys.addaudithook(lambda event, args: event == "subprocess.Popen" and popens.append(args[0]))
"""

ODOO_LIMIT_SCRIPT = """
from chorus_core.facturx import samples, schematron_client
from chorus_core.facturx.cii import build_cii
from chorus_core.facturx.findings import only_errors
from chorus_core.facturx.validate import validate_gate

invoices = [
    samples.invoice(number=f"FA-2026-{{index:04d}}", lines=[samples.line(1, str(index))]) for index in range(1, 8)
]
invoices.append(samples.invoice(number="FA-2026-0500", lines=[samples.line(index) for index in range(1, 301)]))
xmls = [build_cii(invoice)[0] for invoice in invoices]
wrong = xmls[0].replace(b"<ram:GrandTotalAmount>120.00", b"<ram:GrandTotalAmount>121.00")
xmls += [wrong, wrong.replace(b"FA-2026-0001", b"FA-2026-0999")]
results, seconds = [], []
for xml in xmls:
    start = time.perf_counter()
    results.append(sorted({{finding.rule_id for finding in only_errors(validate_gate(xml))}}))
    seconds.append(round(time.perf_counter() - start, 3))
worker = schematron_client.shared_worker()
print(json.dumps({{
    "results": results,
    "seconds": seconds,
    "starts": worker.starts,
    "popens": len(popens),
    "worker": worker.stats(),
    "own_limit": resource.getrlimit(resource.RLIMIT_AS)[0],
}}))
"""

LOW_HARD_LIMIT_SCRIPT = """
from chorus_core.facturx import samples
from chorus_core.facturx.cii import build_cii
from chorus_core.facturx.validate import RULESET_EN16931, validate_schematron, validate_xsd

xml = build_cii(samples.invoice())[0]
answer = {{"xsd": len(validate_xsd(xml))}}
try:
    validate_schematron(xml, RULESET_EN16931)
except RuntimeError as error:
    answer["error"] = str(error)
answer["popens"] = len(popens)
print(json.dumps(answer))
"""

ORPHAN_SCRIPT = """
import sys, time
from chorus_core.facturx.schematron_client import SchematronWorker
worker = SchematronWorker()
print(worker.stats()["pid"], flush=True)
time.sleep(600)
"""

# Odoo's prefork server forks its workers from a master that may have validated already.
FORK_SCRIPT = """
import os
from chorus_core.facturx.schematron_client import shared_worker
before = shared_worker().stats()["pid"]
read_end, write_end = os.pipe()
child = os.fork()
if child == 0:
    os.write(write_end, json.dumps(shared_worker().stats()).encode())
    os._exit(0)
os.close(write_end)
_pid, status = os.waitpid(child, 0)
in_child = json.loads(os.read(read_end, 65536))
after = shared_worker().stats()
print(json.dumps({{"before": before, "in_child": in_child, "after": after, "starts": shared_worker().starts,
                   "status": status}}))
"""

COUNT_XSLT = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text"/>
  <xsl:template match="/"><xsl:value-of select="count(//*)"/></xsl:template>
</xsl:stylesheet>"""

# Endless in practice: n * n additions, n read from the document so that none is done at compile time.
SLOW_XSLT = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xsl:output method="text"/>
  <xsl:template match="/">
    <xsl:value-of select="let $n := xs:integer(/slow/@n)
                          return sum(for $i in 1 to $n, $j in 1 to $n return ($i + $j) mod 7)"/>
  </xsl:template>
</xsl:stylesheet>"""


def run_script(body, soft=None, hard=None, **format_values):
    prelude = LIMIT_PRELUDE.format(soft=soft, hard=hard) if soft is not None else "import json, sys, time\n"
    script = textwrap.dedent(prelude) + textwrap.dedent(body).format(**format_values)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=SCRIPT_TIMEOUT, check=False
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    return json.loads(result.stdout.decode().splitlines()[-1])


def document(elements):
    return ("<root>" + "<e/>" * (elements - 1) + "</root>").encode()


def is_running(pid):
    """Alive and not a zombie (an orphan's zombie waits for an init that may never reap it)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def ended(pid):
    """True once the process is gone; waits for it a while (a guard against a hang, not a measure)."""
    deadline = time.monotonic() + 30
    while is_running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not is_running(pid)


@pytest.fixture(scope="module")
def stylesheets(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xslt")
    (folder / "count.xslt").write_text(COUNT_XSLT, encoding="utf-8")
    (folder / "slow.xslt").write_text(SLOW_XSLT, encoding="utf-8")
    return str(folder / "count.xslt"), str(folder / "slow.xslt")


@pytest.fixture
def worker():
    worker = SchematronWorker()
    yield worker
    worker.close()


def test_under_odoo_memory_limit_one_worker_validates_every_invoice():
    seen = run_script(ODOO_LIMIT_SCRIPT, soft=2560 * 1024**2)
    seconds = seen["seconds"]
    print(f"\nunder a 2.5 GB soft RLIMIT_AS: first {seconds[0]} s (worker start + compilation), then {seconds[1:]}")
    print(f"mean after the first: {sum(seconds[1:]) / len(seconds[1:]):.3f} s per invoice")
    assert seen["results"][:8] == [[]] * 8  # seven small invoices and a 300-line one: valid
    assert all("BR-CO-15" in rule_ids for rule_ids in seen["results"][8:]), seen["results"]
    assert seen["starts"] == seen["popens"] == 1
    assert seen["worker"]["compilations"] == 1
    assert seen["worker"]["transforms"] == 10
    assert seen["worker"]["address_space_soft"] == seen["worker"]["address_space_hard"]  # lifted in the worker
    assert seen["own_limit"] == 2560 * 1024**2  # and only there: the parent keeps Odoo's limit


def test_hard_limit_too_low_gives_a_clear_error_and_starts_no_process():
    seen = run_script(LOW_HARD_LIMIT_SCRIPT, soft=3 * 1024**3, hard=3 * 1024**3)
    assert seen["xsd"] == 0  # the XSD still runs
    assert "address-space limit" in seen["error"]
    assert "ulimit" in seen["error"]
    assert seen["popens"] == 0  # no worker, hence no worker starting workers


def test_without_limit_saxon_runs_in_this_process(monkeypatch):
    if address_space_limits()[0] is not None:
        pytest.skip("this pytest runs under an address-space limit")

    def no_process(*args, **kwargs):
        raise AssertionError("a process was started")

    monkeypatch.setattr(schematron_client.subprocess, "Popen", no_process)
    xml = build_cii(samples.invoice())[0].replace(b"<ram:GrandTotalAmount>120.00", b"<ram:GrandTotalAmount>121.00")
    assert "BR-CO-15" in {finding.rule_id for finding in validate.validate_schematron(xml, validate.RULESET_EN16931)}


def test_worker_answers_many_requests_and_compiles_once(worker, stylesheets):
    count, _slow = stylesheets
    assert [worker.transform(count, document(size)) for size in (1, 5, 300_000)] == [b"1", b"5", b"300000"]
    stats = worker.stats()
    assert (worker.starts, stats["compilations"], stats["transforms"]) == (1, 1, 3)


def test_threads_share_the_worker_and_each_gets_its_own_answer(worker, stylesheets):
    count, _slow = stylesheets
    sizes = list(range(1, 41))
    answers = {}

    def ask(size):
        answers[size] = worker.transform(count, document(size))

    threads = [threading.Thread(target=ask, args=(size,)) for size in sizes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {size: str(size).encode() for size in sizes}
    assert worker.starts == 1


def test_killed_worker_is_replaced(worker, stylesheets):
    count, _slow = stylesheets
    assert worker.transform(count, document(2)) == b"2"
    first = worker.pid
    os.kill(first, signal.SIGKILL)
    assert worker.transform(count, document(3)) == b"3"
    assert worker.pid != first
    assert worker.starts == 2


def test_slow_request_times_out_and_the_next_gets_a_new_worker(worker, stylesheets):
    count, slow = stylesheets
    assert worker.transform(count, document(2)) == b"2"
    first = worker.pid
    with pytest.raises(SchematronTimeout, match="no answer within 1 s"):
        worker.transform(slow, b'<slow n="1000000000"/>', timeout=1)
    assert not is_running(first)
    assert worker.transform(count, document(4)) == b"4"
    assert worker.starts == 2


def test_saxon_errors_are_answers_and_the_worker_goes_on(worker, stylesheets, tmp_path):
    count, _slow = stylesheets
    with pytest.raises(SchematronError, match="could not apply"):
        worker.transform(count, b"<not-closed>")
    with pytest.raises(SchematronError, match="could not compile"):
        worker.transform(str(tmp_path / "missing.xslt"), document(1))
    assert worker.transform(count, document(6)) == b"6"
    assert worker.starts == 1


def test_closed_worker_leaves_no_process(stylesheets):
    count, _slow = stylesheets
    worker = SchematronWorker()
    assert worker.transform(count, document(1)) == b"1"
    pid = worker.pid
    worker.close()
    assert not os.path.exists(f"/proc/{pid}")  # exited and reaped: no zombie


def test_forked_process_gets_its_own_worker():
    seen = run_script(FORK_SCRIPT)
    assert seen["status"] == 0
    assert seen["in_child"]["pid"] != seen["before"]  # never the parent's worker: answers would cross
    assert seen["after"]["pid"] == seen["before"]  # and the parent keeps its own, untouched
    assert seen["starts"] == 1
    assert ended(seen["in_child"]["pid"])  # the child's worker ends with the child


def test_worker_ends_when_its_parent_is_killed():
    process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(ORPHAN_SCRIPT)], cwd=ROOT, stdout=subprocess.PIPE)
    try:
        pid = int(process.stdout.readline())
        assert is_running(pid)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    assert ended(pid)
