"""Verifies a JWT with PyJWT against a JWK Set, as a resource server written in Python would:
   pyjwt_verify.py JWKS_JSON TOKEN ALGORITHM AUDIENCE ISSUER
picks the key the token's `kid` names, checks signature, algorithm, exp, aud and iss, and prints
the payload as JSON; exits 1 with PyJWT's message otherwise. Needs PyJWT with its crypto extra
(Debian: python3-jwt, python3-cryptography); run it with /usr/bin/python3.
"""
import json
import sys

import jwt


def main(jwks_json: str, token: str, algorithm: str, audience: str, issuer: str) -> int:
    keys = jwt.PyJWKSet.from_dict(json.loads(jwks_json))
    kid = jwt.get_unverified_header(token).get("kid")
    matching = [key for key in keys.keys if key.key_id == kid]
    if not matching:
        print(f"no key with kid {kid!r}", file=sys.stderr)
        return 1
    try:
        payload = jwt.decode(token, matching[0].key, algorithms=[algorithm], audience=audience, issuer=issuer)
    except jwt.PyJWTError as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(payload))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
