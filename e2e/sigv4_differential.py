"""Generates requests that stress SigV4 canonicalisation (odd paths, repeated and unicode
query keys, folded header whitespace, session tokens), signs each with botocore's SigV4Auth
at a fixed time, and writes them with botocore's canonical request, string to sign and
Authorization as JSON, for the Swift differential test (Tests/AWSTests/SigV4DifferentialTests).

Usage: python3 e2e/sigv4_differential.py OUTPUT.json [COUNT] [SEED]
"""
import datetime
import json
import random
import sys
from unittest import mock
from urllib.parse import quote

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SIGNING_TIME = datetime.datetime(2024, 2, 29, 23, 59, 58)
PATH_PIECES = ["a", "b c", "ü", "%2F", "..", ".", "", "x~y", "$delete", "snow☃", "q=1", "tab\t", "plus+", "*", "ç"]
QUERY_KEYS = ["a", "A", "b", "ключ", "k~", "x y", "", "param", "Param", "é", "%", "list[]"]
QUERY_VALUES = ["", "1", "1", "two words", "ü", "a=b", "&", "~", "+", "/path/", "☃"]
HEADER_NAMES = ["X-Custom", "x-custom", "My-Header", "X-Amz-Target", "Content-Type", "X-Amz-Meta-Ü"]
HEADER_VALUES = ["v", "  lead", "trail  ", "in   side", "a\tb", "fold\n  ed", "MiXeD", "", "a,b"]


def generate(rng: random.Random) -> dict:
    method = rng.choice(["GET", "POST", "PUT", "DELETE"])
    path = "/" + "/".join(rng.choice(PATH_PIECES) for _ in range(rng.randint(0, 4)))
    if rng.random() < 0.3:
        path += "/"
    encoded_path = quote(path, safe="/~")
    query = [(rng.choice(QUERY_KEYS), rng.choice(QUERY_VALUES)) for _ in range(rng.randint(0, 5))]
    headers = [(rng.choice(HEADER_NAMES), rng.choice(HEADER_VALUES)) for _ in range(rng.randint(0, 4))]
    headers = [(name, value) for name, value in headers if name != "X-Amz-Meta-Ü"] + [("Host", "service.eu-west-1.amazonaws.com")]
    body = rng.choice(["", '{"SecretId":"x"}', "ü" * rng.randint(1, 40)])
    token = rng.choice([None, "FwoGZXIvYXdzE+/token==", "t" * 300])
    return {"method": method, "path": encoded_path, "query": query, "headers": headers, "body": body, "token": token}


class RecordingSigV4Auth(botocore.auth.SigV4Auth):
    """botocore's signer, keeping the intermediate results it computes inside add_auth."""

    def canonical_request(self, request):
        self.recorded_canonical_request = super().canonical_request(request)
        return self.recorded_canonical_request

    def string_to_sign(self, request, canonical_request):
        self.recorded_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.recorded_string_to_sign


def sign(case: dict) -> dict:
    query_string = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in case["query"])
    url = "https://service.eu-west-1.amazonaws.com" + case["path"] + ("?" + query_string if query_string else "")
    request = AWSRequest(method=case["method"], url=url, data=case["body"].encode())
    for name, value in case["headers"]:
        request.headers[name] = value  # appends: repeated names are kept in order
    credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", case["token"])
    auth = RecordingSigV4Auth(credentials, "service", "eu-west-1")
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=SIGNING_TIME):
        auth.add_auth(request)
    return {**case, "canonical_request": auth.recorded_canonical_request, "string_to_sign": auth.recorded_string_to_sign,
            "authorization": request.headers["Authorization"]}


if __name__ == "__main__":
    output, count, seed = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000, int(sys.argv[3]) if len(sys.argv) > 3 else 7
    rng = random.Random(seed)
    cases = [sign(generate(rng)) for _ in range(count)]
    with open(output, "w") as handle:
        json.dump({"signing_epoch_seconds": int(SIGNING_TIME.replace(tzinfo=datetime.UTC).timestamp()), "cases": cases}, handle)
    print(f"{len(cases)} botocore-signed requests written to {output}")
