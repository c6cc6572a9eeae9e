"""Build backend for `pip install`: OCA's whool, given the add-on under its technical name.

whool names the distribution and the `odoo/addons/<name>` folder after the directory it builds, and a
clone may be called anything (pip builds a git URL in a temporary folder): it builds from a link named
after the add-on instead. The rest is whool's: the manifest's version and dependencies, git's file list.
"""

import subprocess
import tempfile
from pathlib import Path

from whool import buildapi

ADDON = "l10n_fr_chorus_pro"


def _link(parent):
    """The add-on under its technical name in ``parent``: whool takes git's file list from there.

    Outside a git checkout (a downloaded archive), whool copies the whole folder: it gets a folder of links
    to the checkout's entries instead, without what is local to it (.venv, .demo, build/, other dot entries).
    """
    link = Path(parent) / ADDON
    if link.exists():
        return link
    if not _in_git_checkout():
        link.mkdir()
        for entry in Path.cwd().iterdir():
            if not entry.name.startswith(".") and entry.name != "build":
                (link / entry.name).symlink_to(entry)
    else:
        link.symlink_to(Path.cwd(), target_is_directory=True)
    return link


def _in_git_checkout():
    try:
        command = ["git", "ls-files", "--error-unmatch", "__manifest__.py"]
        return subprocess.run(command, check=False, capture_output=True).returncode == 0
    except FileNotFoundError:  # no git on this machine
        return False


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with tempfile.TemporaryDirectory() as parent:
        return buildapi._build_wheel(_link(parent), Path(wheel_directory), editable=False)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # The editable install points at the link, so it lives as long as the checkout (build/ is ignored).
    parent = Path.cwd() / "build" / "addon"
    parent.mkdir(parents=True, exist_ok=True)
    return buildapi._build_wheel(_link(parent), Path(wheel_directory), editable=True)


def build_sdist(sdist_directory, config_settings=None):
    with tempfile.TemporaryDirectory() as parent:
        return buildapi._build_sdist(_link(parent), Path(sdist_directory))


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    with tempfile.TemporaryDirectory() as parent:
        return buildapi._make_dist_info(buildapi._get_metadata(_link(parent)), Path(metadata_directory))


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel
