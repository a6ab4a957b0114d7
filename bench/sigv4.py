"""SigV4 signatures per second: our Swift signer (release build) against botocore's SigV4Auth
signing the same request, in one run, with the ratio. Usage: python3 bench/sigv4.py"""
import json
import subprocess
import time
from pathlib import Path

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ROOT = Path(__file__).resolve().parent.parent


def botocore_per_second(iterations: int = 30_000) -> float:
    credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token")
    signer = SigV4Auth(credentials, "secretsmanager", "us-east-1")
    started = time.perf_counter()
    for _ in range(iterations):
        request = AWSRequest(
            method="POST", url="https://secretsmanager.us-east-1.amazonaws.com/", data=b'{"SecretId":"ccaf/prod/settings"}',
            headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "secretsmanager.GetSecretValue"})
        signer.add_auth(request)
    return iterations / (time.perf_counter() - started)


def swift_per_second() -> float:
    subprocess.run(["swift", "build", "-c", "release", "--product", "sigv4-bench"], cwd=ROOT, check=True, capture_output=True)
    output = subprocess.run([str(ROOT / ".build/release/sigv4-bench"), "300000"], check=True, capture_output=True, text=True)
    return json.loads(output.stdout)["per_second"]


if __name__ == "__main__":
    ours, theirs = swift_per_second(), botocore_per_second()
    print(f"SigV4 signatures per second: ccaf-deploy {ours:,.0f}, botocore {theirs:,.0f}, ratio {ours / theirs:.1f}x")
