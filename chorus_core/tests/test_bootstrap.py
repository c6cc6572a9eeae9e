"""tools/bootstrap.py without network: a local git repository stands in for Odoo's, fetched through ODOO_GIT_URL
at a pinned commit and installed into a throw-away virtual environment, as `make demo` does on a machine without
Odoo."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Odoo's layout in miniature: the package, its requirements, and a build backend of its own, so that installing
# it needs nothing from PyPI (Odoo's setup.py needs setuptools from there).
STAND_IN = {
    "odoo/__init__.py": "STAND_IN = True\n",
    "odoo/release.py": 'serie = "18.0"\n',
    "requirements.txt": "# nothing: the real one is installed from PyPI\n",
    "pyproject.toml": '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n',
    "backend.py": """\
import base64, hashlib, os, zipfile

DIST = "odoo-18.0.dist-info"


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    name = "odoo-18.0-py3-none-any.whl"
    files = {
        DIST + "/METADATA": "Metadata-Version: 2.1\\nName: odoo\\nVersion: 18.0\\n",
        DIST + "/WHEEL": "Wheel-Version: 1.0\\nGenerator: stand-in\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
        "odoo_stand_in.pth": os.path.dirname(os.path.abspath(__file__)) + "\\n",
    }
    record = [DIST + "/RECORD,,"]
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as wheel:
        for path, text in files.items():
            wheel.writestr(path, text)
            digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(text)}")
        wheel.writestr(DIST + "/RECORD", "\\n".join(record) + "\\n")
    return name
""",
}


@pytest.fixture
def odoo_repository(tmp_path):
    origin = tmp_path / "odoo-origin"
    for path, text in STAND_IN.items():
        (origin / path).parent.mkdir(parents=True, exist_ok=True)
        (origin / path).write_text(text)
    git = ["git", "-C", str(origin), "-c", "user.name=test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", "init", "-q", str(origin)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "stand-in for Odoo 18.0"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    return origin, commit


def bootstrap(tmp_path, **env):
    environment = {name: value for name, value in os.environ.items() if not name.startswith("ODOO_")}
    environment.update(XDG_CACHE_HOME=str(tmp_path / "cache"), PIP_NO_INDEX="1", **env)
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "bootstrap.py"), "--only-odoo", "--venv", str(tmp_path / ".venv")],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def imported_odoo(tmp_path):
    python = tmp_path / ".venv" / "bin" / "python"
    script = "import odoo; print(odoo.STAND_IN, odoo.__file__)"
    return subprocess.run([str(python), "-c", script], capture_output=True, text=True, check=True).stdout


def test_fetches_the_pinned_commit_installs_it_and_resumes(tmp_path, odoo_repository):
    origin, commit = odoo_repository
    pinned = {"ODOO_GIT_URL": origin.as_uri(), "ODOO_REF": commit}
    first = bootstrap(tmp_path, **pinned)
    assert f"= commit {commit}" in first
    for step in ("Virtual environment", "Fetch Odoo", "Odoo's requirements", "Odoo itself"):
        assert re.search(rf"^    {step}.*: done in [0-9.]+ s$", first, re.MULTILINE), first
    assert imported_odoo(tmp_path).startswith(f"True {tmp_path / 'cache'}")

    # A second run reuses everything.
    second = bootstrap(tmp_path, **pinned)
    assert "done in" not in second, second
    assert second.count("already done") == 3 and "fetched before" in second

    # A run cut short before Odoo was installed resumes at that step, and only there.
    (tmp_path / ".venv" / ".chorus-bootstrap" / "odoo").unlink()
    third = bootstrap(tmp_path, **pinned)
    assert third.count("done in") == 1 and "Odoo itself, without dependencies: done in" in third, third
    assert imported_odoo(tmp_path).startswith("True")


def test_odoo_src_is_used_as_it_is(tmp_path, odoo_repository):
    origin, _commit = odoo_repository
    out = bootstrap(tmp_path, ODOO_SRC=str(origin), ODOO_GIT_URL="file:///nowhere")
    assert "(ODOO_SRC)" in out and "Fetch" not in out
    assert imported_odoo(tmp_path).startswith(f"True {origin}")
