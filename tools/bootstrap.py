"""Prepare what `make demo` and `make test` need on a machine where python3 cannot import Odoo 18.

Steps, each timed, each skipped when a previous run finished it (so an interrupted run resumes):
the system packages (apt-get when root, else the command to run), PostgreSQL started with a role for
this user, a virtual environment (.venv), Odoo 18.0's source (ODOO_SRC, or a shallow fetch of
ODOO_GIT_URL at ODOO_REF), Odoo's requirements, Odoo itself, then this add-on's requirements.
Standard library only: it runs before anything is installed.
"""

import argparse
import getpass
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ODOO_GIT_URL = "https://github.com/odoo/odoo"
# The 18.0 branch, resolved to one commit at the first fetch and kept from then on (see the README).
ODOO_REF = "18.0"
# Odoo 18's requirements pin packages that build with setuptools' older API (Python 3.11).
BUILD_CONSTRAINT = "setuptools<70\n"
# Debian packages: what Odoo's requirements compile against, what the demo and the tests run.
SYSTEM_PACKAGES = {
    "postgresql": "the database",
    "wkhtmltopdf": "the invoice PDFs",
    "chromium": "the browser tours",
    "git": "fetching Odoo",
    "gcc": "building Odoo's requirements",
    "libpq-dev": "psycopg2",
    "libldap2-dev": "python-ldap",
    "libsasl2-dev": "python-ldap",
}
STAMPS = ".chorus-bootstrap"


def say(message):
    print(message, flush=True)


def run(command, **kwargs):
    subprocess.run(command, check=True, **kwargs)


def succeeds(command):
    try:
        return subprocess.run(command, check=False, capture_output=True).returncode == 0
    except FileNotFoundError:  # the command itself is missing (no PostgreSQL client, say)
        return False


class Bootstrap:
    def __init__(self, venv, only_odoo):
        self.venv = Path(venv).absolute()
        self.only_odoo = only_odoo
        self.python = self.venv / "bin" / "python"
        self.stamps = self.venv / STAMPS
        self.odoo_src = None

    # --- the steps' frame: a title, a time, and a stamp saying it is done ---------------------------
    def step(self, name, title, key, action):
        """Run `action` unless the stamp `name` says it was done with this `key` (None: always run)."""
        started = time.monotonic()
        stamp = self.stamps / name
        if key is not None and stamp.is_file() and stamp.read_text() == key:
            say(f"--- {title}: already done")
            return
        say(f"--- {title}...")
        action()
        if key is not None:
            self.stamps.mkdir(parents=True, exist_ok=True)
            stamp.write_text(key)
        say(f"    {title}: done in {time.monotonic() - started:.1f} s")

    def pip(self, *args, constraint=False):
        env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as constraints:
            if constraint:
                constraints.write(BUILD_CONSTRAINT)
                constraints.flush()
                env["PIP_CONSTRAINT"] = constraints.name  # applies to build environments too
            run([str(self.python), "-m", "pip", "install", "--quiet", *args], env=env)

    # --- system -------------------------------------------------------------------------------------
    def missing_packages(self):
        if not shutil.which("dpkg-query"):
            return []
        wanted = list(SYSTEM_PACKAGES)
        if not Path(sysconfig.get_paths()["include"], "Python.h").is_file():
            wanted.append("python3-dev")
        if not succeeds([sys.executable, "-c", "import ensurepip"]):
            wanted.append("python3-venv")
        if os.environ.get("ODOO_SRC"):
            wanted.remove("git")
        installed = subprocess.run(
            ["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n", *wanted],
            check=False,
            capture_output=True,
            text=True,
        ).stdout.split("\n")
        return [name for name in wanted if f"{name} installed" not in installed]

    def system_packages(self):
        missing = self.missing_packages()
        if not missing:
            return
        command = ["apt-get", "install", "-y", *missing]
        if os.geteuid() != 0:
            missing_list = ", ".join(missing)
            sys.exit(f"Missing {missing_list}. Run: sudo apt-get update && sudo {' '.join(command)}; then make again.")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["apt-get", "update", "-qq"], env=env)
        run([*command, "-qq"], env=env)

    def postgresql(self):
        if not succeeds(["pg_isready", "-q"]):
            clusters = sorted(glob.glob("/etc/postgresql/*/main"), key=lambda path: int(path.split("/")[3]))
            if clusters and os.geteuid() == 0:
                run(["pg_ctlcluster", clusters[-1].split("/")[3], "main", "start"])
        user = getpass.getuser()
        if succeeds(["psql", "-d", "postgres", "-tAc", "select 1"]):
            return
        if os.geteuid() != 0:
            start = "sudo pg_ctlcluster $(ls /etc/postgresql | sort -n | tail -1) main start"
            sys.exit(f"PostgreSQL must run with a role for you. Run: {start}; sudo -u postgres createuser -s {user}")
        run(["su", "postgres", "-c", f"createuser -s {user}"])

    # --- Python -------------------------------------------------------------------------------------
    def virtual_environment(self):
        if self.venv.exists() and not self.python.exists():
            shutil.rmtree(self.venv)  # a creation that was cut short
        run([sys.executable, "-m", "venv", str(self.venv)])

    def odoo_source(self):
        """ODOO_SRC as it is, or a shallow fetch (one commit, no history) kept outside the repository."""
        if os.environ.get("ODOO_SRC"):
            self.odoo_src = Path(os.environ["ODOO_SRC"]).absolute()
            if not (self.odoo_src / "odoo" / "release.py").is_file():
                sys.exit(f"ODOO_SRC={self.odoo_src} is not an Odoo source (no odoo/release.py).")
            say(f"    Odoo's source: {self.odoo_src} (ODOO_SRC)")
            return
        url = os.environ.get("ODOO_GIT_URL", ODOO_GIT_URL)
        ref = os.environ.get("ODOO_REF", ODOO_REF)
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "l10n_fr_chorus_pro"
        self.odoo_src = cache / ("odoo-" + hashlib.sha256(f"{url} {ref}".encode()).hexdigest()[:12])
        fetched = self.odoo_src / ".git" / "chorus-fetched"
        if fetched.is_file():
            say(f"    Odoo's source: {self.odoo_src} (commit {fetched.read_text().strip()}, fetched before)")
            return

        def fetch():
            git = ["git", "-C", str(self.odoo_src), "-c", "advice.detachedHead=false"]
            self.odoo_src.mkdir(parents=True, exist_ok=True)
            run(["git", "init", "-q", str(self.odoo_src)])
            run([*git, "fetch", "--depth", "1", url, ref])
            run([*git, "checkout", "-q", "--force", "FETCH_HEAD"])
            commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
            fetched.write_text(commit.stdout)
            say(f"    Odoo's source: {url} at {ref} = commit {commit.stdout.strip()}, in {self.odoo_src}")

        self.step("fetch", "Fetch Odoo 18.0's source (one commit, about 200 MB)", None, fetch)

    def run_steps(self):
        if not self.only_odoo:
            self.step("system", "System packages", None, self.system_packages)
            self.step("postgresql", "PostgreSQL", None, self.postgresql)
        self.step("venv", "Virtual environment in " + str(self.venv), sys.executable, self.virtual_environment)
        self.odoo_source()
        requirements = self.odoo_src / "requirements.txt"
        self.step(
            "odoo-requirements",
            "Odoo's requirements (from PyPI)",
            digest(requirements),
            lambda: self.pip("-r", str(requirements), constraint=True),
        )
        self.step(
            "odoo",
            "Odoo itself, without dependencies",
            str(self.odoo_src),
            # Odoo's folder on sys.path, as OCA's add-on wheels expect: their odoo/addons/ joins Odoo's namespace.
            lambda: self.pip(
                "--no-deps", "--config-settings", "editable_mode=compat", "-e", str(self.odoo_src), constraint=True
            ),
        )
        if not self.only_odoo:
            self.step(
                "addon-requirements",
                "The add-on's requirements",
                digest(REPO / "requirements.txt") + digest(REPO / "requirements-dev.txt"),
                lambda: self.pip("-r", str(REPO / "requirements-dev.txt")),
            )


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--venv", default=str(REPO / ".venv"), help="the virtual environment to prepare")
    parser.add_argument(
        "--only-odoo", action="store_true", help="only the virtual environment and Odoo (no system packages)"
    )
    args = parser.parse_args()
    started = time.monotonic()
    try:
        Bootstrap(args.venv, args.only_odoo).run_steps()
    except subprocess.CalledProcessError as error:
        say(f"The step above failed ({' '.join(map(str, error.cmd))}): run me again once it is fixed.")
        sys.exit(1)
    except FileNotFoundError as error:
        say(f"The step above needs {error.filename}, which is not installed: install it, then run me again.")
        sys.exit(1)
    say(f"--- ready in {time.monotonic() - started:.1f} s: {args.venv}/bin/python imports Odoo")


if __name__ == "__main__":
    main()
