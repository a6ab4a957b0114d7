"""Reading the CCAF settings secret from moto (signature checking on) through the real executable."""
from __future__ import annotations

import json

import boto3
import pytest

from e2e.conftest import run_cli
from e2e.peers import moto_peer

EVENT = {"catalog_name": "env-flights", "database_name": "lkc-flights", "ccaf_secrets_path": moto_peer.CCAF_SECRET_NAME}
SECRET_VALUES = [moto_peer.CCAF_SECRET["flink.api.secret"], moto_peer.CCAF_SECRET["flink.api.key"]]


@pytest.fixture(scope="module")
def broken_secrets(moto):
    """Secrets that are wrong in one way each, created as the allowed user."""
    client = boto3.client("secretsmanager", endpoint_url=moto.endpoint, region_name=moto.region,
                          aws_access_key_id=moto.access_key_id, aws_secret_access_key=moto.secret_access_key)
    broken = {
        "ccaf/broken/not-json": "flink.api.secret=hunter2",
        "ccaf/broken/array": json.dumps(["a"]),
        "ccaf/broken/missing-key": json.dumps({k: v for k, v in moto_peer.CCAF_SECRET.items() if k != "flink.compute.pool.id"}),
        "ccaf/broken/bad-region": json.dumps({**moto_peer.CCAF_SECRET, "flink.region": "us-east-1.evil.com/x"}),
        "ccaf/broken/number": json.dumps({**moto_peer.CCAF_SECRET, "flink.cloud": 3}),
    }
    for name, value in broken.items():
        client.create_secret(Name=name, SecretString=value)
    return broken


def test_the_settings_are_used_and_no_secret_value_is_printed(start_function, runtime_api, confluent):
    function = start_function(AWS_LAMBDA_LOG_LEVEL="TRACE")
    invocation = runtime_api.invoke(EVENT, timeout_ms=30_000)
    assert invocation.outcome == "response", invocation.body
    insert = next(s for s in confluent.statements.values() if s["name"].startswith("flight-consolidator-insert-"))
    assert insert["spec"]["compute_pool_id"] == "lfcp-demo01" and insert["spec"]["principal"] == "sa-demo01"
    assert all(r.path.startswith("/sql/v1/organizations/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/environments/env-demo01/")
               for r in confluent.requests)
    for value in SECRET_VALUES:
        assert value not in invocation.body.decode()
        assert value not in function.output


def test_a_missing_secret_is_secret_not_found_naming_it(start_function, runtime_api):
    start_function()
    invocation = runtime_api.invoke({**EVENT, "ccaf_secrets_path": "ccaf/missing"})
    assert invocation.raw_error_type == "Function.SecretNotFound"
    assert "secret 'ccaf/missing' was not found in region us-east-1" in invocation.json()["errorMessage"]


def test_a_role_without_access_is_secret_access_denied(start_function, runtime_api, moto):
    start_function(AWS_ACCESS_KEY_ID=moto.denied_access_key_id, AWS_SECRET_ACCESS_KEY=moto.denied_secret_access_key)
    invocation = runtime_api.invoke(EVENT)
    assert invocation.raw_error_type == "Function.SecretAccessDenied"
    assert "secretsmanager:GetSecretValue" in invocation.json()["errorMessage"]


def test_a_wrong_secret_key_is_an_aws_error_without_the_key(start_function, runtime_api):
    wrong = "wrong-secret-access-key-0123456789abcdef"
    function = start_function(AWS_SECRET_ACCESS_KEY=wrong)
    invocation = runtime_api.invoke(EVENT)
    assert invocation.raw_error_type == "Function.AWSError"
    assert "SignatureDoesNotMatch" in invocation.json()["errorMessage"]
    assert wrong not in invocation.body.decode() and wrong not in function.output


@pytest.mark.parametrize("name,expected", [
    ("ccaf/broken/not-json", "is not JSON"),
    ("ccaf/broken/array", "must be a JSON object, not an array"),
    ("ccaf/broken/missing-key", "has no 'flink.compute.pool.id'"),
    ("ccaf/broken/bad-region", "'flink.region' that is not a host name label"),
    ("ccaf/broken/number", "has 'flink.cloud' as a number; it must be a string"),
])
def test_a_malformed_secret_is_invalid_secret_naming_the_problem(start_function, runtime_api, broken_secrets, name, expected):
    function = start_function()
    invocation = runtime_api.invoke({**EVENT, "ccaf_secrets_path": name})
    assert invocation.raw_error_type == "Function.InvalidSecret"
    message = invocation.json()["errorMessage"]
    assert f"secret '{name}'" in message and expected in message
    assert "hunter2" not in message and "hunter2" not in function.output


def test_an_unreachable_endpoint_is_an_aws_error_after_retries(start_function, runtime_api, refused_port):
    start_function(AWS_ENDPOINT_URL=f"http://127.0.0.1:{refused_port}", AWS_MAX_ATTEMPTS="2")
    # Time enough for any full-jitter delay (at most 20 s) before the second attempt.
    invocation = runtime_api.invoke(EVENT, timeout_ms=30_000, wait_timeout=60)
    assert invocation.raw_error_type == "Function.AWSError"
    assert "after 2 attempts" in invocation.json()["errorMessage"]


def test_the_cli_runs_the_same_handler(binary, moto, confluent):
    result = run_cli(binary, "deploy", "--catalog-name", "env-flights", "--database-name", "lkc-flights",
                     "--ccaf-secrets-path", moto_peer.CCAF_SECRET_NAME,
                     environment={**moto.environment(), "CCAF_FLINK_ENDPOINT": confluent.base_url})
    assert result.returncode == 0, result.stderr
    assert json.loads(json.loads(result.stdout)["body"])["action"] == "created"
    assert "settings read" in result.stderr
    for value in SECRET_VALUES:
        assert value not in result.stdout + result.stderr


def test_the_cli_reads_the_event_from_a_file_or_stdin(binary, moto, confluent, tmp_path):
    environment = {**moto.environment(), "CCAF_FLINK_ENDPOINT": confluent.base_url}
    event_file = tmp_path / "event.json"
    event_file.write_text(json.dumps(EVENT))
    from_file = run_cli(binary, "deploy", "--event-file", str(event_file), environment=environment)
    from_stdin = run_cli(binary, "deploy", "--event-file", "-", stdin=json.dumps(EVENT), environment=environment)
    assert from_file.returncode == 0 and from_stdin.returncode == 0, from_file.stderr + from_stdin.stderr
    assert json.loads(json.loads(from_file.stdout)["body"])["action"] == "created"
    assert json.loads(json.loads(from_stdin.stdout)["body"])["action"] == "unchanged"


def test_the_cli_prints_the_error_json_and_fails(binary, moto):
    result = run_cli(binary, "deploy", "--catalog-name", "c", "--database-name", "d", "--ccaf-secrets-path", "ccaf/missing",
                     environment=moto.environment())
    assert result.returncode == 1
    assert json.loads(result.stdout)["errorType"] == "Function.SecretNotFound"


def test_the_cli_refuses_incomplete_flags_with_usage(binary):
    result = run_cli(binary, "deploy", "--catalog-name", "c")
    assert result.returncode == 64
    assert "give --event-file, or all of --catalog-name, --database-name and --ccaf-secrets-path" in result.stderr
