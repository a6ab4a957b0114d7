"""moto's server as a real AWS peer for the tests: started on a free loopback port, seeded
through boto3, then switched to SigV4 signature checking (moto recomputes every signature
with botocore and refuses unknown keys and wrong signatures).

Run as a program it prints one JSON line describing the peer (endpoint, keys, seeded names)
and keeps moto alive until its standard input closes, which is how the Swift tests use it.
"""
from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field

import boto3

REGION = "us-east-1"
# The keys moto accepts while auth is off; used only to seed.
SEED_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

CCAF_SECRET_NAME = "ccaf/demo/settings"
CCAF_SECRET = {
    "environment.id": "env-demo01",
    "flink.api.key": "FLINKKEYDEMO0001",
    "flink.api.secret": "flink-secret-Zq9!vR2#demo",
    "flink.cloud": "AWS",
    "flink.compute.pool.id": "lfcp-demo01",
    "flink.principal.id": "sa-demo01",
    "flink.region": "us-east-1",
    "organization.id": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
}
BINARY_SECRET_NAME = "ccaf/demo/binary"
BINARY_SECRET = bytes(range(256))
KAFKA_USER = "demo_user"
KAFKA_SECRET = {
    "bootstrap.servers": "pkc-demo.us-east-1.aws.confluent.cloud:9092",
    "sasl.jaas.config": 'org.apache.kafka.common.security.plain.PlainLoginModule required username="KAFKAKEY" password="kafka-pw-Xy7$secret";',
    "security.protocol": "SASL_SSL",
    "sasl.mechanism": "PLAIN",
}
PARAMETER_PATH = "/ccaf/kafka"
SECURE_PARAMETER_VALUE = "ssm-secure-Qw3#value"


@dataclass
class MotoPeer:
    endpoint: str
    region: str
    access_key_id: str
    secret_access_key: str
    denied_access_key_id: str
    denied_secret_access_key: str
    session_access_key_id: str
    session_secret_access_key: str
    session_token: str
    parameters: dict = field(default_factory=dict)
    secrets: dict = field(default_factory=dict)
    process: subprocess.Popen | None = field(default=None, repr=False)

    def environment(self) -> dict[str, str]:
        """Variables that point an AWS client at this peer with the allowed user's keys."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_REGION": self.region,
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
        }

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(log_path: str = os.devnull) -> MotoPeer:
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = open(log_path, "ab")
    process = subprocess.Popen(
        ["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL)
    try:
        _wait_until_up(endpoint, process)
        peer = _seed(endpoint)
        peer.process = process
        _enable_signature_checking(endpoint)
        return peer
    except BaseException:
        process.kill()
        raise


def _wait_until_up(endpoint: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("moto_server did not start")


def _client(service: str, endpoint: str, **keys):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, **(keys or SEED_KEYS))


def _user_with_policy(iam, name: str, actions: list[str]) -> dict:
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="access", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
    }))
    return iam.create_access_key(UserName=name)["AccessKey"]


def _seed(endpoint: str) -> MotoPeer:
    iam = _client("iam", endpoint)
    allowed = _user_with_policy(iam, "ccaf-deployer", ["secretsmanager:*", "ssm:*", "sts:AssumeRole", "kms:Decrypt"])
    denied = _user_with_policy(iam, "ccaf-no-secrets", ["ssm:*"])
    role = iam.create_role(RoleName="ccaf-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }))["Role"]
    iam.put_role_policy(RoleName="ccaf-role", PolicyName="access", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["secretsmanager:*", "ssm:*"], "Resource": "*"}],
    }))
    session = _client("sts", endpoint).assume_role(RoleArn=role["Arn"], RoleSessionName="tests")["Credentials"]

    secrets = _client("secretsmanager", endpoint)
    secrets.create_secret(Name=CCAF_SECRET_NAME, SecretString=json.dumps(CCAF_SECRET))
    secrets.create_secret(Name=BINARY_SECRET_NAME, SecretBinary=BINARY_SECRET)
    secrets.create_secret(
        Name=f"/confluent_cloud_resource/{KAFKA_USER}/kafka_cluster/java_client", SecretString=json.dumps(KAFKA_SECRET))

    ssm = _client("ssm", endpoint)
    parameters = {f"{PARAMETER_PATH}/p{index:02d}": f"value-{index:02d}" for index in range(13)}
    for name, value in parameters.items():
        ssm.put_parameter(Name=name, Value=value, Type="String")
    ssm.put_parameter(Name=f"{PARAMETER_PATH}/secure", Value=SECURE_PARAMETER_VALUE, Type="SecureString")
    ssm.put_parameter(Name=f"{PARAMETER_PATH}/nested/deep", Value="deep-value", Type="String")
    parameters[f"{PARAMETER_PATH}/secure"] = SECURE_PARAMETER_VALUE
    parameters[f"{PARAMETER_PATH}/nested/deep"] = "deep-value"

    return MotoPeer(
        endpoint=endpoint, region=REGION,
        access_key_id=allowed["AccessKeyId"], secret_access_key=allowed["SecretAccessKey"],
        denied_access_key_id=denied["AccessKeyId"], denied_secret_access_key=denied["SecretAccessKey"],
        session_access_key_id=session["AccessKeyId"], session_secret_access_key=session["SecretAccessKey"],
        session_token=session["SessionToken"],
        parameters=parameters,
        secrets={
            CCAF_SECRET_NAME: CCAF_SECRET,
            BINARY_SECRET_NAME: base64.b64encode(BINARY_SECRET).decode(),
        },
    )


def _enable_signature_checking(endpoint: str) -> None:
    # moto reads the count from a raw body; a form content type would make it read nothing.
    request = urllib.request.Request(
        f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(request, timeout=5).read()


if __name__ == "__main__":
    peer = start(log_path=os.environ.get("MOTO_LOG", os.devnull))
    try:
        description = {key: value for key, value in vars(peer).items() if key != "process"}
        print(json.dumps(description), flush=True)
        sys.stdin.read()
    finally:
        peer.stop()
