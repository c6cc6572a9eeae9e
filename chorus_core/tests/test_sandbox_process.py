"""State file persistence and the command line entry point."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import requests

from chorus_core.sandbox import SandboxServer
from chorus_core.sandbox import fixtures as fx

ROOT = Path(__file__).resolve().parents[2]


def _token(sandbox):
    form = {"grant_type": "client_credentials", "client_id": fx.CLIENT_ID, "client_secret": fx.CLIENT_SECRET}
    return requests.post(sandbox.oauth_url, data=form, timeout=5).json()["access_token"]


def test_state_file_survives_a_restart(tmp_path, cii):
    state_file = tmp_path / "sandbox.json"
    with SandboxServer(port=0, state_file=str(state_file)) as first:
        first.control.configure(flux_mode="immediate")
        first.control.unsubscribe("structures")
        headers = {
            "Authorization": f"Bearer {_token(first)}",
            "cpro-account": base64.b64encode(f"{fx.TECH_LOGIN}:{fx.TECH_PASSWORD}".encode()).decode(),
        }
        body = {
            "fichierFlux": base64.b64encode(cii()).decode(),
            "nomFichier": "f.xml",
            "syntaxeFlux": "IN_DP_E1_CII_16B",
        }
        flux = requests.post(f"{first.base_url}/cpro/factures/v1/deposer/flux", json=body, headers=headers, timeout=5)
        flux = flux.json()["numeroFluxDepot"]
    assert json.loads(state_file.read_text())["fluxes"][flux]["etat"] == "IN_INTEGRE"
    with SandboxServer(port=0, state_file=str(state_file)) as second:
        report = requests.post(
            f"{second.base_url}/cpro/transverses/v1/consulterCRDetaille",
            json={"numeroFluxDepot": flux},
            headers=headers,  # the token of the first run is still valid
            timeout=5,
        )
        assert report.json()["etatCourantDepotFlux"] == "IN_INTEGRE"
        assert second.control.subscriptions()[fx.CLIENT_ID] == ["factures", "transverses"]
        assert second.control.stats()["calls"]["factures/v1/deposer/flux"] == 1
        assert len(second.control.invoices()) == 1
        second.control.reset()
    assert json.loads(state_file.read_text())["fluxes"] == {}
    assert not os.path.exists(f"{state_file}.tmp")


def test_in_memory_by_default():
    with SandboxServer() as sandbox:
        assert sandbox.state.state_file is None
        assert sandbox.base_url.startswith("http://127.0.0.1:")
        assert sandbox.oauth_url == sandbox.base_url + "/api/oauth/token"


def test_command_line_starts_and_stops(tmp_path):
    state_file = tmp_path / "cli.json"
    command = [sys.executable, "-m", "chorus_core.sandbox", "--port", "0", "--state-file", str(state_file)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("Chorus Pro sandbox listening on http://127.0.0.1:")
        base_url = line.rsplit(" ", 1)[1].strip()
        form = {"grant_type": "client_credentials", "client_id": fx.CLIENT_ID, "client_secret": fx.CLIENT_SECRET}
        assert requests.post(f"{base_url}/api/oauth/token", data=form, timeout=5).status_code == 200
        assert requests.get(f"{base_url}/sandbox/stats", timeout=5).json() == {"calls": {"token": 1}}
    finally:
        process.terminate()
        process.wait(timeout=5)
        process.stdout.close()
    assert json.loads(state_file.read_text())["calls"] == {"token": 1}
