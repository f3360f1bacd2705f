"""A small OpenID Connect provider on loopback, standing in for a MitID broker in tests.

It serves discovery, a JWKS with an RSA key made for the test, an authorize endpoint that
answers at once with a code (the user's consent, simulated) and a token endpoint that checks the
client's secret and the PKCE verifier and returns an RS256-signed ID token. `claims` is the next
user; `mutate` breaks the next ID token on purpose.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "borgerbudget-aarhus"
CLIENT_SECRET = "test-client-secret"
CPR = "0101801234"  # a made-up CPR number: it must never reach the session, the database or a log


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class LoopbackProvider:
    def __init__(self) -> None:
        self.key = _rsa_key()
        self.kid = "test-key-1"
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.claims: dict = {}
        self.mutate: str | None = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.provider = self  # type: ignore[attr-defined]
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> LoopbackProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- documents ---

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": nonce}
        claims.update(self.claims)
        key, kid = self.key, self.kid
        if self.mutate == "expired":
            claims.update(iat=now - 3600, exp=now - 1800)
        elif self.mutate == "wrong_nonce":
            claims["nonce"] = "not-the-nonce-we-sent"
        elif self.mutate == "wrong_audience":
            claims["aud"] = "someone-else"
        elif self.mutate == "wrong_issuer":
            claims["iss"] = "https://evil.example"
        elif self.mutate == "foreign_key":
            key = _rsa_key()  # same kid, another key: the signature does not verify
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
        if self.mutate == "tampered":
            header, payload, signature = token.split(".")
            body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            body["birthdate"] = "1950-01-01"
            payload = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
            token = f"{header}.{payload}.{signature}"
        elif self.mutate == "none_alg":
            token = jwt.encode(claims, None, algorithm="none")
        return token


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest's output quiet
        pass

    @property
    def provider(self) -> LoopbackProvider:
        return self.server.provider  # type: ignore[attr-defined]

    def _json(self, payload: dict, status: int = 200) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/.well-known/openid-configuration":
            return self._json(self.provider.discovery())
        if url.path == "/jwks":
            return self._json(self.provider.jwks())
        if url.path == "/authorize":
            return self._authorize(query)
        return self._json({"error": "not_found"}, 404)

    def _authorize(self, query: dict) -> None:
        ok = (
            query.get("client_id") == CLIENT_ID
            and query.get("response_type") == "code"
            and query.get("code_challenge_method") == "S256"
            and query.get("code_challenge")
            and "openid" in query.get("scope", "").split()
        )
        if not ok:
            return self._json({"error": "invalid_request"}, 400)
        code = secrets.token_urlsafe(16)
        self.provider.codes[code] = query
        target = f"{query['redirect_uri']}?{urllib.parse.urlencode({'code': code, 'state': query['state']})}"
        self.send_response(302)
        self.send_header("Location", target)
        self.end_headers()

    def do_POST(self) -> None:  # noqa: N802
        if urllib.parse.urlsplit(self.path).path != "/token":
            return self._json({"error": "not_found"}, 404)
        length = int(self.headers.get("Content-Length", 0))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        self.provider.token_requests.append(form)
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self._json({"error": "invalid_client"}, 401)
        issued = self.provider.codes.pop(form.get("code", ""), None)  # a code works once
        if issued is None or form.get("redirect_uri") != issued["redirect_uri"]:
            return self._json({"error": "invalid_grant"}, 400)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if challenge != issued["code_challenge"]:
            return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        return self._json(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.provider.id_token(issued["nonce"]),
            }
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def consent(authorize_url: str) -> str:
    """Play the voter at the provider: open the authorize URL, return where it sends them back."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(authorize_url, timeout=5)
    except urllib.error.HTTPError as exc:
        if exc.code == 302:
            return exc.headers["Location"]
        raise
    raise AssertionError("the provider did not redirect back")
