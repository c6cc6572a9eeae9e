"""`pip install` of this repository as OCA's add-ons install: into odoo/addons/, named and versioned by the manifest."""

import ast
import subprocess
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ADDON = "l10n_fr_chorus_pro"


def pip(*args):
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def manifest():
    return ast.literal_eval((REPO / "__manifest__.py").read_text())


def test_a_wheel_from_a_clone_of_any_name_installs_the_addon_where_odoo_finds_it(tmp_path):
    # The committed tree, in a folder not named after the add-on (pip builds a git URL in such a folder).
    checkout = tmp_path / "chorus-pro-checkout"
    subprocess.run(["git", "clone", "-q", str(REPO), str(checkout)], check=True)
    # No build isolation: whool comes from requirements-dev.txt, so the test needs no network.
    pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(checkout))
    [wheel] = (tmp_path / "dist").glob("*.whl")
    pip("install", "--no-deps", "--target", str(tmp_path / "site"), str(wheel))

    addon = tmp_path / "site" / "odoo" / "addons" / ADDON
    installed = ast.literal_eval((addon / "__manifest__.py").read_text())
    assert installed["version"] == manifest()["version"]
    assert (addon / "chorus_core" / "client.py").is_file()
    # A namespace, as in OCA's odoo-addon-* wheels: an __init__ there would hide Odoo's own package.
    assert not (tmp_path / "site" / "odoo" / "__init__.py").exists()
    assert not (tmp_path / "site" / "odoo" / "addons" / "__init__.py").exists()

    [dist_info] = (tmp_path / "site").glob("*.dist-info")
    metadata = HeaderParser().parse(open(dist_info / "METADATA", encoding="utf-8"))
    assert metadata["Name"] == f"odoo-addon-{ADDON}"
    assert metadata["Version"] == manifest()["version"]
    requires = metadata.get_all("Requires-Dist")
    assert set(manifest()["external_dependencies"]["python"]) <= set(requires)
    assert "odoo==18.0.*" in requires
    # Only what git tracks: nothing of a local .venv, .demo or build folder.
    names = zipfile.ZipFile(wheel).namelist()
    assert not [name for name in names if "/.venv" in name or "/.demo/" in name or "/build/" in name]


def test_a_wheel_from_a_downloaded_archive_leaves_out_what_is_local_to_the_checkout(tmp_path):
    # An archive of the repository (GitHub's "Download ZIP"), no git: whool would copy the whole folder.
    archive = tmp_path / "l10n_fr_chorus_pro-main"
    archive.mkdir()
    tar = subprocess.run(["git", "-C", str(REPO), "archive", "HEAD"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(archive)], input=tar, check=True)
    (archive / ".venv").mkdir()
    (archive / ".venv" / "local.py").write_text("")
    (archive / "build" / "addon").mkdir(parents=True)
    (archive / "build" / "addon" / ADDON).symlink_to(archive)  # left by an editable install
    pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(archive))
    [wheel] = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert f"odoo/addons/{ADDON}/__manifest__.py" in names
    assert not [name for name in names if "/.venv/" in name or "/build/" in name]
