"""Checks an HS256 JWT the way PyJWT's jwt.decode(token, key, algorithms=["HS256"]) does:
HMAC-SHA256 over "header.payload" keyed with the UTF-8 bytes of the key, a JSON header naming
HS256, a string "sub", an unexpired "exp". Prints the payload as JSON; exits 1 if any check fails.
PyJWT itself is not installable on machines without PyPI access; this uses the standard library only.
"""
import base64
import hashlib
import hmac
import json
import sys
import time


def b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def main(key: str, token: str) -> int:
    header_segment, payload_segment, signature_segment = token.split(".")
    header = json.loads(b64decode(header_segment))
    payload = json.loads(b64decode(payload_segment))
    expected = hmac.new(key.encode("utf-8"), f"{header_segment}.{payload_segment}".encode("ascii"), hashlib.sha256).digest()
    checks = {
        "signature": hmac.compare_digest(expected, b64decode(signature_segment)),
        "alg": header.get("alg") == "HS256",
        "sub is a string": isinstance(payload.get("sub"), str),
        "exp in the future": isinstance(payload.get("exp"), int) and payload["exp"] > time.time(),
        "iat is an integer": isinstance(payload.get("iat"), int),
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    print(json.dumps(payload))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
