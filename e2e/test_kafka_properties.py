"""`ccaf-deploy kafka-properties` against moto (signature checking on), read back by Java."""
from __future__ import annotations

import json
import os
import stat
import subprocess

import boto3
import pytest

from e2e.conftest import BINARY, ROOT, run_cli

USER = "kafka_e2e"
PREFIX = "/confluent_cloud_resource"
SECRET = {
    "bootstrap.servers": "pkc-e2e.us-east-1.aws.confluent.cloud:9092",
    "sasl.jaas.config": 'org.apache.kafka.common.security.plain.PlainLoginModule required username="KEY" password="pw-Kafka!9#secret";',
    "security.protocol": "SASL_SSL",
    "client.dns.lookup": "use_all_dns_ips",
    "session.timeout.ms": 45000,
    "key with spaces": " leading space, inner = and : and # and ! \\ backslash",
    "uni☃": "é☃𝄞",
    "multi\nline": "a\nb\tc\rd\fe",
    "max.poll.records": "from-the-secret",
}
SECURE_VALUE = "ssm-Secure-Value-7$x"
CONSUMER = {
    **{f"p{index:02d}.setting": f"value-{index}" for index in range(11)},
    "max.poll.records": ("500", "String"),
    "fetch.max.bytes": ("52,428,800", "String"),
    "ratio": ("0.75", "String"),
    "version": ("v1.2", "String"),
    "brokers": ("a,b,c", "StringList"),
    "sasl.password": (SECURE_VALUE, "SecureString"),
    "nested/deep.setting": ("deep", "String"),
}
PRODUCER = {"acks": ("all", "String"), "linger.ms": ("5", "String")}


def _expected_consumer(recursive: bool = False) -> dict:
    expected = {key: value for key, value in SECRET.items()}
    for name, spec in CONSUMER.items():
        if "/" in name and not recursive:
            continue
        value = spec[0] if isinstance(spec, tuple) else spec
        expected[name] = value
    expected.update({"max.poll.records": 500, "fetch.max.bytes": 52428800, "ratio": 0.75})
    return expected


@pytest.fixture(scope="module")
def seeded(moto):
    keys = dict(endpoint_url=moto.endpoint, region_name=moto.region, aws_access_key_id=moto.access_key_id,
                aws_secret_access_key=moto.secret_access_key)
    boto3.client("secretsmanager", **keys).create_secret(
        Name=f"{PREFIX}/{USER}/kafka_cluster/java_client", SecretString=json.dumps(SECRET))
    ssm = boto3.client("ssm", **keys)
    for folder, parameters in (("consumer_kafka_client", CONSUMER), ("producer_kafka_client", PRODUCER)):
        for name, spec in parameters.items():
            value, kind = spec if isinstance(spec, tuple) else (spec, "String")
            ssm.put_parameter(Name=f"{PREFIX}/{USER}/{folder}/{name}", Value=value, Type=kind)
    boto3.client("secretsmanager", **keys).create_secret(
        Name=f"{PREFIX}/not_object/kafka_cluster/java_client", SecretString="[1,2]")
    boto3.client("secretsmanager", **keys).create_secret(
        Name=f"{PREFIX}/no_params/kafka_cluster/java_client", SecretString=json.dumps({"a": "b"}))
    return moto


def kafka_properties(moto, *arguments, environment=None):
    return run_cli(BINARY, "kafka-properties", *arguments,
                   environment={**moto.environment(), **(environment or {})})


def test_consumer_properties_as_json_merge_the_secret_and_every_parameter(seeded):
    result = kafka_properties(seeded, "--user", USER, "--consumer", "--format", "json")
    assert result.returncode == 0, result.stderr
    properties = json.loads(result.stdout)
    assert properties == _expected_consumer()
    assert isinstance(properties["session.timeout.ms"], int) and isinstance(properties["ratio"], float)
    assert properties["version"] == "v1.2" and properties["brokers"] == "a,b,c"
    assert "overriddenSecretKeys=max.poll.records" in result.stderr


def test_recursive_reads_include_nested_parameters_by_their_relative_name(seeded):
    result = kafka_properties(seeded, "--user", USER, "--consumer", "--format", "json", "--recursive")
    assert json.loads(result.stdout) == _expected_consumer(recursive=True)


def test_producer_properties_come_from_the_producer_folder(seeded):
    result = kafka_properties(seeded, "--user", USER, "--producer", "--format", "json")
    properties = json.loads(result.stdout)
    assert properties["acks"] == "all" and properties["linger.ms"] == 5
    assert "p00.setting" not in properties and properties["max.poll.records"] == "from-the-secret"


def test_the_properties_file_survives_javas_properties_load(seeded, tmp_path):
    output = tmp_path / "consumer.properties"
    result = kafka_properties(seeded, "--user", USER, "--consumer", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert stat.S_IMODE(os.stat(output).st_mode) == 0o600
    assert [name for name in os.listdir(tmp_path)] == ["consumer.properties"]
    java = subprocess.run(["java", str(ROOT / "e2e/java/PropertiesDump.java"), str(output)], capture_output=True, text=True, timeout=120)
    assert java.returncode == 0, java.stderr
    loaded = json.loads(java.stdout)
    expected = {key: value if isinstance(value, str) else json.dumps(value) for key, value in _expected_consumer().items()}
    assert loaded == expected


def test_an_existing_file_is_replaced_with_owner_only_permissions(seeded, tmp_path):
    output = tmp_path / "consumer.properties"
    output.write_text("old")
    os.chmod(output, 0o644)
    assert kafka_properties(seeded, "--user", USER, "--consumer", "--output", str(output)).returncode == 0
    assert stat.S_IMODE(os.stat(output).st_mode) == 0o600
    assert "old" not in output.read_text()


@pytest.mark.parametrize("user,expected", [
    ("nobody", f"secret '{PREFIX}/nobody/kafka_cluster/java_client' was not found"),
    ("not_object", "must be a JSON object of Kafka client properties, not an array"),
    ("no_params", f"there are no SSM parameters under '{PREFIX}/no_params/consumer_kafka_client'"),
])
def test_errors_name_the_secret_or_path(seeded, user, expected):
    result = kafka_properties(seeded, "--user", user, "--consumer")
    assert result.returncode == 1
    assert expected in result.stderr
    assert result.stdout == ""


def test_access_denied_names_the_secret_and_the_permission(seeded):
    result = kafka_properties(seeded, "--user", USER, "--consumer", environment={
        "AWS_ACCESS_KEY_ID": seeded.denied_access_key_id, "AWS_SECRET_ACCESS_KEY": seeded.denied_secret_access_key})
    assert result.returncode == 1
    assert f"access to secret '{PREFIX}/{USER}/kafka_cluster/java_client' was denied" in result.stderr


def test_a_user_that_would_escape_the_layout_is_refused(seeded):
    result = kafka_properties(seeded, "--user", "../other", "--consumer")
    assert result.returncode == 1 and "must be 1\N{EN DASH}128 ASCII letters" in result.stderr


def test_no_secret_value_reaches_the_logs(seeded, tmp_path):
    result = kafka_properties(seeded, "--user", USER, "--consumer", "--output", str(tmp_path / "x.properties"), "--recursive")
    for secret in (SECURE_VALUE, "pw-Kafka!9#secret", seeded.secret_access_key):
        assert secret not in result.stderr and secret not in result.stdout
