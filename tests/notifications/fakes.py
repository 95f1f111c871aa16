"""Loopback fakes of the outside services reach talks to: Aliyun SMS and a Web Push service.

Each checks what a real one checks (Aliyun's ACS3-HMAC-SHA256 request signature; the push
service's VAPID JWT), written here from the published specifications rather than with the
client's own code, and records what arrived. The push fake decrypts the payload (RFC 8291,
aes128gcm) with the browser-side keys, as a browser would.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from urllib.parse import parse_qsl, quote, urlsplit

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from werkzeug import Request, Response

ACCESS_KEY_ID = "test-ak"
ACCESS_KEY_SECRET = "test-secret"  # noqa: S105


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class FakeAliyunSms:
    """SendSms on loopback. `down` answers 503; `answer_code` forces a business error code."""

    def __init__(self):
        self.messages: list[dict] = []
        self.refused_signatures = 0
        self.down = False
        self.answer_code = "OK"
        self.calls = 0

    def _signature_ok(self, request: Request) -> bool:
        auth = request.headers.get("Authorization", "")
        algorithm, _, fields = auth.partition(" ")
        parts = dict(p.split("=", 1) for p in fields.split(",") if "=" in p)
        if algorithm != "ACS3-HMAC-SHA256" or parts.get("Credential") != ACCESS_KEY_ID:
            return False
        body_hash = hashlib.sha256(request.get_data()).hexdigest()
        if request.headers.get("x-acs-content-sha256") != body_hash:
            return False
        query = dict(parse_qsl(urlsplit(request.url).query, keep_blank_values=True))
        canonical_query = "&".join(
            f"{quote(k, safe='~')}={quote(query[k], safe='~')}" for k in sorted(query)
        )
        names = parts.get("SignedHeaders", "").split(";")
        canonical_headers = "".join(f"{n}:{request.headers.get(n, '').strip()}\n" for n in names)
        canonical = "\n".join(
            [
                request.method,
                request.path or "/",
                canonical_query,
                canonical_headers,
                ";".join(names),
                body_hash,
            ]
        )
        to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
        expected = hmac.new(ACCESS_KEY_SECRET.encode(), to_sign.encode(), "sha256").hexdigest()
        return hmac.compare_digest(expected, parts.get("Signature", ""))

    def __call__(self, request: Request) -> Response:
        self.calls += 1
        if self.down:
            return _json({"Code": "ServiceUnavailable", "Message": "down", "RequestId": "r"}, 503)
        if not self._signature_ok(request):
            self.refused_signatures += 1
            return _json({"Code": "SignatureDoesNotMatch", "Message": "bad", "RequestId": "r"}, 400)
        query = dict(parse_qsl(urlsplit(request.url).query))
        if request.headers.get("x-acs-action") != "SendSms":
            return _json({"Code": "InvalidAction", "Message": "?", "RequestId": "r"}, 400)
        if self.answer_code != "OK":
            return _json({"Code": self.answer_code, "Message": "no", "RequestId": "r"}, 200)
        message = {
            "phone": query.get("PhoneNumbers"),
            "sign": query.get("SignName"),
            "template": query.get("TemplateCode"),
            "params": json.loads(query.get("TemplateParam") or "{}"),
            "out_id": query.get("OutId"),
        }
        self.messages.append(message)
        biz = f"biz-{len(self.messages)}"
        return _json({"Code": "OK", "Message": "OK", "BizId": biz, "RequestId": "r"}, 200)


class FakePushService:
    """A push service endpoint per browser: checks the VAPID JWT, decrypts, records."""

    def __init__(self, base_url: str, vapid_public_key: str):
        self.base_url = base_url.rstrip("/")
        self.vapid_public_key = vapid_public_key
        self.browsers: dict[str, dict] = {}
        self.received: list[dict] = []
        self.gone: set[str] = set()
        self.refused = 0

    def browser(self, name: str) -> dict:
        """A browser's subscription (what PushManager.subscribe hands the page)."""
        private = ec.generate_private_key(ec.SECP256R1())
        public = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        auth = os.urandom(16)
        self.browsers[name] = {"private": private, "auth": auth}
        return {
            "endpoint": f"{self.base_url}/push/{name}",
            "keys": {"p256dh": b64url(public), "auth": b64url(auth)},
        }

    def _jwt_ok(self, header: str) -> bool:
        scheme, _, rest = header.partition(" ")
        parts = dict(p.strip().split("=", 1) for p in rest.split(",") if "=" in p)
        if scheme.lower() != "vapid" or parts.get("k") != self.vapid_public_key:
            return False
        head, claims, signature = parts["t"].split(".")
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            key.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        body = json.loads(unb64url(claims))
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base_url))
        return body.get("aud") == origin and body.get("exp", 0) > time.time() and "sub" in body

    def __call__(self, request: Request) -> Response:
        name = request.path.rsplit("/", 1)[-1]
        if name in self.gone:
            return Response("", status=410)
        if not self._jwt_ok(request.headers.get("Authorization", "")):
            self.refused += 1
            return Response("bad vapid", status=401)
        if request.headers.get("Content-Encoding") != "aes128gcm":
            return Response("encoding", status=400)
        browser = self.browsers[name]
        plain = http_ece.decrypt(
            request.get_data(),
            private_key=browser["private"],
            auth_secret=browser["auth"],
            version="aes128gcm",
        )
        self.received.append(
            {"browser": name, "message": json.loads(plain), "ttl": request.headers.get("TTL")}
        )
        return Response("", status=201)


def _json(body: dict, status: int) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
