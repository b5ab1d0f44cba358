"""A real OpenID Connect provider for the ProConnect tests: `oidc-provider` (npm, certified),
run by Node from tests/oidc/provider.js on a free port of 127.0.0.1, once per test session.

`proconnect` sets the service up against it (the settings that the environment gives in
production); `provider.sign_in(url, sub)` plays the person at the provider, with its own
cookies, and returns the address the provider sends the browser back to.
"""

import json
import select
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import caches

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "oidc" / "provider.js"
CLIENT_ID = "conventions-rectorat"
CLIENT_SECRET = "tests-only-client-secret"
EMAILS = {
    "agent": "camille.agent@ac-aix-marseille.fr",
    "partner": "marielle@cress-paca.org",
}
# The identities the provider knows, by `sub`.
ACCOUNTS = {
    "agent-sub": {"email": EMAILS["agent"], "given_name": "Camille", "usual_name": "Agent"},
    "partner-sub": {"email": EMAILS["partner"], "given_name": "Marielle", "usual_name": "P."},
    # Another identity that now has the agent's address (an address given to someone else).
    "intruder-sub": {"email": EMAILS["agent"], "given_name": "Intrus", "usual_name": "X"},
    "unknown-sub": {"email": "personne@exemple.fr", "given_name": "Per", "usual_name": "Sonne"},
}
SERVICES = ["http://testserver", "http://localhost"]  # the test client; the live server


class Provider:
    def __init__(self, issuer, process):
        self.issuer = issuer
        self.process = process

    def tamper(self, mode):
        """The next token response carries an ID token wrong in this way (provider.js)."""
        response = requests.post(f"{self.issuer}/_test/tamper", json={"mode": mode}, timeout=5)
        assert response.status_code == 204

    def sign_in(self, url, sub, *, browser=None, service="http://testserver"):
        """Follow the provider's pages from `url` (an authorization request), signing in as
        `sub` when asked, to the address it sends back to the service. `browser` keeps the
        provider's cookies (its session) between calls."""
        browser = browser or requests.Session()
        for _ in range(10):
            response = browser.get(url, allow_redirects=False, timeout=5)
            if response.status_code == 200 and 'name="login"' in response.text:
                response = browser.post(url, data={"login": sub}, allow_redirects=False, timeout=5)
            assert response.status_code in (302, 303), response.text[:500]
            url = urljoin(url, response.headers["Location"])
            if url.startswith(service):
                return url
        raise AssertionError("the provider never sent the browser back")


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    node = shutil.which("node")
    assert node, "Node.js is needed for the ProConnect tests' provider (tests/oidc)"
    assert (SCRIPT.parent / "node_modules" / "oidc-provider").exists(), (
        "tests/oidc/node_modules is missing: run `make install`"
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key))
    jwk.update(kid="tests-key", alg="RS256", use="sig")
    jwk.pop("key_ops", None)  # PyJWT says ["sign"]: the provider would not verify with it
    folder = tmp_path_factory.mktemp("oidc")
    config = {
        "jwks": {"keys": [jwk]},
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"{s}/proconnect/retour/" for s in SERVICES],
                "post_logout_redirect_uris": [f"{s}/proconnect/deconnecte/" for s in SERVICES],
                "token_endpoint_auth_method": "client_secret_post",
                # As ProConnect: userinfo is a JWT signed by the provider.
                "userinfo_signed_response_alg": "RS256",
            }
        ],
        "accounts": ACCOUNTS,
    }
    (folder / "provider.json").write_text(json.dumps(config))
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(
        [node, str(SCRIPT), str(folder / "provider.json")],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    deadline = time.monotonic() + 30
    issuer = None
    while issuer is None and time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 1)
        if ready:
            line = process.stdout.readline()
            if line.startswith("READY "):
                issuer = line.split()[1]
            elif not line:
                break
    if issuer is None:
        process.kill()
        log.close()
        pytest.fail(
            f"the OpenID Connect provider did not start: {(folder / 'provider.log').read_text()}"
        )
    yield Provider(issuer, process)
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def proconnect(settings, oidc_provider):
    """The service set up for ProConnect against the test provider."""
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], oidc_provider.issuer],
    }
    yield oidc_provider
    caches["local"].delete(f"proconnect:discovery:{oidc_provider.issuer}")
