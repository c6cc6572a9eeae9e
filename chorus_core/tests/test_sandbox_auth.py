"""PISTE token, Bearer, API subscriptions, cpro-account and the gateway's HTTP errors."""

import base64
import time

import requests

from chorus_core.sandbox import fixtures as fx

SEARCH = "structures/v1/rechercher"


def test_token_success_shape(api):
    response = api.token()
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "openid"
    assert body["access_token"]


def test_bad_client_id_and_bad_secret_give_the_same_invalid_client(api):
    unknown = api.token(client_id="nobody")
    wrong_secret = api.token(secret="wrong")
    for response in (unknown, wrong_secret):
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_client"
        assert response.json()["error_description"]
    assert unknown.json() == wrong_secret.json()


def test_token_without_scope_and_bad_grant(sandbox):
    form = {"grant_type": "client_credentials", "client_id": fx.CLIENT_ID, "client_secret": fx.CLIENT_SECRET}
    assert requests.post(sandbox.oauth_url, data=form, timeout=5).status_code == 200
    form["grant_type"] = "password"
    response = requests.post(sandbox.oauth_url, data=form, timeout=5)
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    assert requests.post(sandbox.oauth_url, json=form, timeout=5).status_code == 415


def test_missing_or_bad_bearer_is_401(api):
    headers = api.headers()
    del headers["Authorization"]
    assert api.raw(SEARCH, {}, headers=headers).status_code == 401
    headers["Authorization"] = "Bearer not-a-token"
    response = api.raw(SEARCH, {}, headers=headers)
    assert response.status_code == 401
    assert "invalid_token" in response.headers["WWW-Authenticate"]


def test_expired_token_is_401(api, sandbox):
    sandbox.control.set_fault(token_lifetime=0.2)
    token = api.token().json()
    assert token["expires_in"] == 0
    api._token = token["access_token"]
    time.sleep(0.3)
    assert api.raw(SEARCH, {}, headers=api.headers()).status_code == 401


def test_expire_tokens_route(api):
    assert api.raw(SEARCH, {}).status_code == 200
    api.control("POST", "tokens/expire")
    assert api.raw(SEARCH, {}).status_code == 401


def test_bad_cpro_account_is_401_with_piste_challenge(api):
    bad_values = [
        base64.b64encode(f"{fx.TECH_LOGIN}:wrong".encode()).decode(),
        base64.b64encode(b"TECH_1_00000000000000@cpro.fr:x").decode(),
        "not base64!",
        "",
    ]
    for value in bad_values:
        headers = {**api.headers(), "cpro-account": value}
        response = api.raw(SEARCH, {}, headers=headers)
        assert response.status_code == 401, value
        assert response.headers["WWW-Authenticate"] == (
            'Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects"'
        )


def test_cpro_account_is_utf8_base64_of_login_and_password(api):
    assert api.post(SEARCH, {"structure": {"identifiantStructure": "12345678200051"}})["codeRetour"] == 0


def test_unsubscribed_api_group_is_403_with_empty_body(api):
    api.control("POST", "subscriptions", {"groups": ["factures", "transverses"]})
    response = api.raw(SEARCH, {})
    assert response.status_code == 403
    assert response.content == b""
    assert api.raw("transverses/v1/consulterCR", {"numeroFluxDepot": "X"}).status_code == 200
    api.control("POST", "subscriptions", {"groups": list(fx.API_GROUPS)})
    assert api.raw(SEARCH, {}).status_code == 200


def test_unsubscribe_method(api, sandbox):
    sandbox.control.unsubscribe("transverses")
    assert api.raw("transverses/v1/consulterCR", {"numeroFluxDepot": "X"}).status_code == 403
    assert sandbox.control.subscriptions()[fx.CLIENT_ID] == ["factures", "structures"]


def test_wrong_content_type_is_415(api):
    response = requests.post(
        f"{api.base}/cpro/{SEARCH}", data="{}", headers={**api.headers(), "Content-Type": "text/plain"}, timeout=5
    )
    assert response.status_code == 415
    assert set(response.json()) == {"codeRetour", "libelle"}


def test_malformed_json_and_missing_key_are_400(api):
    headers = {**api.headers(), "Content-Type": "application/json;charset=utf-8"}
    for data in ("{not json", "[1, 2]"):
        response = requests.post(f"{api.base}/cpro/{SEARCH}", data=data, headers=headers, timeout=5)
        assert response.status_code == 400
        assert set(response.json()) == {"codeRetour", "libelle"}
    response = api.raw("factures/v1/deposer/flux", {"nomFichier": "a.xml", "syntaxeFlux": "IN_DP_E1_CII_16B"})
    assert response.status_code == 400
    assert "fichierFlux" in response.json()["libelle"]


def test_unknown_route_is_404_and_health_check_is_get(api):
    assert api.raw("factures/v1/nexistepas", {}).status_code == 404
    assert api.raw("inconnu/v1/x", {}).status_code == 404
    headers = {"Authorization": api.headers()["Authorization"]}
    response = requests.get(f"{api.base}/cpro/transverses/v1/health-check", headers=headers, timeout=5)
    assert response.status_code == 200
    assert response.json() == {"body": "OK", "statusCodeValue": 200, "statusCode": "OK"}
    assert requests.get(f"{api.base}/cpro/transverses/v1/health-check", timeout=5).status_code == 401


def test_bad_paging_is_400_and_an_unexpected_shape_is_500(api):
    assert api.raw(SEARCH, {"parametres": {"nbResultatsParPage": "abc"}}).status_code == 400
    body = {"fichierFlux": "PD94", "nomFichier": 12, "syntaxeFlux": "IN_DP_E1_CII_16B"}
    response = api.raw("factures/v1/deposer/flux", body)
    assert response.status_code == 500
    assert set(response.json()) == {"codeRetour", "libelle"}
