"""Hardening checks that span the whole product: no secret or credential in any byte the
process writes, and no leak over a thousand deployments in a row."""
from __future__ import annotations

import json
import sys

from e2e.conftest import ROOT, SANITIZER, run_cli
from e2e.peers import moto_peer

EVENT = {"catalog_name": "flight_env", "database_name": "flight_cluster", "ccaf_secrets_path": moto_peer.CCAF_SECRET_NAME}


def secrets_of(moto) -> dict[str, str]:
    """Every secret and credential the process holds, by what it is."""
    return {
        "flink.api.secret": moto_peer.CCAF_SECRET["flink.api.secret"],
        "flink.api.key": moto_peer.CCAF_SECRET["flink.api.key"],
        "AWS secret access key": moto.secret_access_key,
        "AWS access key id": moto.access_key_id,
        "AWS session token": moto.session_token,
        "Kafka password": "kafka-pw-Xy7$secret",
        "SSM SecureString": moto_peer.SECURE_PARAMETER_VALUE,
    }


def assert_nothing_secret(text: str, secrets: dict[str, str], where: str) -> None:
    leaked = [what for what, value in secrets.items() if value in text]
    assert not leaked, f"{', '.join(leaked)} written to {where}"


def test_no_secret_or_credential_in_anything_the_process_writes(start_function, runtime_api, confluent, moto, binary, tmp_path):
    secrets = secrets_of(moto)
    function = start_function(AWS_LAMBDA_LOG_LEVEL="TRACE", AWS_LAMBDA_LOG_FORMAT="JSON",
                              AWS_ACCESS_KEY_ID=moto.session_access_key_id, AWS_SECRET_ACCESS_KEY=moto.session_secret_access_key,
                              AWS_SESSION_TOKEN=moto.session_token)
    secrets.update({"AWS secret access key": moto.session_secret_access_key, "AWS access key id": moto.session_access_key_id})
    confluent.fail_next("POST", r"/statements$", 429, retry_after=0)
    confluent.fail_next("GET", r"/statements/", 503)
    runs = [EVENT, EVENT, {**EVENT, "dry_run": True}, {**EVENT, "tf": {"action": "delete", "prev_input": EVENT}},
            {**EVENT, "ccaf_secrets_path": "ccaf/missing"}, {"catalog_name": moto_peer.CCAF_SECRET["flink.api.secret"]}]
    outcomes = [runtime_api.invoke(event, timeout_ms=30_000, wait_timeout=60) for event in runs]
    confluent.fail_statement_when_created(r"flight-consolidator-insert", detail="failed on purpose")
    confluent.define_table("sunset_avro", [c for c in __import__("e2e.peers.confluent", fromlist=["x"]).KICKSTARTER_AIRLINE_COLUMNS])
    outcomes.append(runtime_api.invoke(EVENT, timeout_ms=30_000, wait_timeout=60))
    assert [o.outcome for o in outcomes[:4]] == ["response"] * 4

    for request in runtime_api.requests:
        assert_nothing_secret(request.text, secrets, f"the Runtime API ({request.path})")
    assert_nothing_secret(function.output, secrets, "the function's logs")
    for request in confluent.requests:
        body_and_query = request.text + json.dumps(request.query)
        assert_nothing_secret(body_and_query, {k: v for k, v in secrets.items() if k != "flink.api.key"}, f"Confluent ({request.path})")

    # The CLI: deploy, plan, and the Kafka properties (the file holds Kafka settings by design,
    # but never the CCAF or AWS credentials; logs hold none of either).
    environment = {**moto.environment(), "CCAF_FLINK_ENDPOINT": confluent.base_url}
    cli_runs = [
        run_cli(binary, "deploy", "--event-file", "-", "--log-level", "TRACE", stdin=json.dumps(EVENT), environment=environment),
        run_cli(binary, "deploy", "--event-file", "-", "--json-logs", stdin=json.dumps({**EVENT, "ccaf_secrets_path": "ccaf/missing"}),
                environment=environment),
        run_cli(binary, "plan", "--catalog-name", "c", "--database-name", "d"),
        run_cli(binary, "kafka-properties", "--user", moto_peer.KAFKA_USER, "--consumer", "--output", str(tmp_path / "k.properties"),
                environment={**environment, "AWS_ENDPOINT_URL": moto.endpoint}),
    ]
    for result in cli_runs:
        assert_nothing_secret(result.stdout + result.stderr, secrets, "the CLI's output")
    kafka_file = (tmp_path / "k.properties").read_text() if (tmp_path / "k.properties").exists() else ""
    assert_nothing_secret(kafka_file, {k: v for k, v in secrets.items() if k.startswith(("AWS", "flink"))}, "the Kafka properties file")


def test_a_thousand_deployments_in_a_row_keep_memory_and_descriptors_flat(start_function, runtime_api):
    function = start_function()
    first = runtime_api.invoke(EVENT, timeout_ms=30_000)
    assert first.outcome == "response", first.body
    for _ in range(50):
        runtime_api.invoke(EVENT, timeout_ms=30_000)
    rss_start, files_start = function.rss_kib(), function.open_files()
    outcomes = [runtime_api.invoke(EVENT, timeout_ms=30_000).outcome for _ in range(950)]
    rss_end, files_end = function.rss_kib(), function.open_files()
    figures = (f"1,000 deployments (the first created, then unchanged): RSS {rss_start} KiB after 51, {rss_end} KiB after 1,001 "
               f"({rss_end - rss_start:+d} KiB); open descriptors {files_start} → {files_end}")
    print(figures, file=sys.__stderr__)
    (ROOT / ".build").mkdir(exist_ok=True)
    (ROOT / ".build" / "load-figures.txt").write_text(figures + "\n")
    assert outcomes.count("response") == 950
    assert SANITIZER or rss_end - rss_start < 2048, figures
    assert files_end == files_start, figures
