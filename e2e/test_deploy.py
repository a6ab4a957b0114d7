"""The whole product: the real executable under the Runtime API emulator, moto holding the CCAF
secret (signature checking on) and the Confluent statements API emulator, all over loopback HTTP."""
from __future__ import annotations

import json
import re

import pytest

from e2e.peers import moto_peer
from e2e.peers.confluent import KICKSTARTER_AIRLINE_COLUMNS

EVENT = {"catalog_name": "flight_env", "database_name": "flight_cluster", "ccaf_secrets_path": moto_peer.CCAF_SECRET_NAME}
SECRET_VALUES = [moto_peer.CCAF_SECRET["flink.api.secret"]]


@pytest.fixture
def deployer(start_function):
    return start_function()


def deploy(runtime_api, event=None, timeout_ms=30_000):
    invocation = runtime_api.invoke(event or EVENT, timeout_ms=timeout_ms, wait_timeout=60)
    if invocation.outcome == "response":
        response = invocation.json()
        assert response["statusCode"] == 200
        return json.loads(response["body"]), invocation
    return None, invocation


def labelled(confluent, kind=None):
    return {name: statement for name, statement in confluent.statements.items()
            if statement["metadata"].get("labels", {}).get("user.confluent.io/pipeline") == "flight-consolidator"
            and (kind is None or statement["metadata"]["labels"].get("user.confluent.io/statement-kind") == kind)}


def phase(confluent, name):
    return confluent.statements[name]["status"]["phase"]


def test_a_first_deploy_creates_the_table_and_starts_the_pipeline(deployer, runtime_api, confluent):
    body, invocation = deploy(runtime_api)
    assert body is not None, invocation.body
    assert body["action"] == "created" and body["pipeline"] == "flight-consolidator"
    kinds = {statement["kind"]: statement for statement in body["statements"]}
    assert kinds["ddl"]["phase"] == "COMPLETED" and kinds["insert"]["phase"] == "RUNNING"
    insert = confluent.statements[kinds["insert"]["name"]]
    assert re.fullmatch(r"flight-consolidator-insert-[0-9a-f-]{36}", insert["name"])
    assert insert["spec"]["properties"]["sql.current-catalog"] == "flight_env"
    assert insert["spec"]["properties"]["sql.current-database"] == "flight_cluster"
    assert insert["spec"]["compute_pool_id"] == "lfcp-demo01" and insert["spec"]["principal"] == "sa-demo01"
    assert insert["spec"]["statement"].startswith("INSERT INTO `flight_env`.`flight_cluster`.`flight_avro` (`email_address`")
    assert "FROM `flight_env`.`flight_cluster`.`sunset_avro`" in insert["spec"]["statement"]
    assert insert["metadata"]["labels"]["user.confluent.io/sql-sha256"] == kinds["insert"]["sql_sha256"]
    assert len(labelled(confluent)) == 2
    for value in SECRET_VALUES:
        assert value not in invocation.body.decode() and value not in deployer.output


def test_the_same_deploy_again_is_unchanged_and_submits_nothing(deployer, runtime_api, confluent):
    first, _ = deploy(runtime_api)
    requests_before = len(confluent.requests)
    second, invocation = deploy(runtime_api)
    assert second is not None, invocation.body
    assert second["action"] == "unchanged"
    insert_names = [[s["name"] for s in body["statements"] if s["kind"] == "insert"] for body in (first, second)]
    assert insert_names[0] == insert_names[1]
    later_posts = [r for r in confluent.requests[requests_before:] if r.method == "POST"]
    assert all(r.json()["spec"]["properties"].get("sql.dry-run") == "true" for r in later_posts)
    assert len(labelled(confluent)) == 2


def test_changed_sql_replaces_the_pipeline_with_carry_over_and_stops_the_old_one(deployer, runtime_api, confluent):
    first, _ = deploy(runtime_api)
    old_insert = next(s["name"] for s in first["statements"] if s["kind"] == "insert")
    # The sources' columns come in another order: the SELECT changes, so does its hash.
    reordered = [KICKSTARTER_AIRLINE_COLUMNS[0], KICKSTARTER_AIRLINE_COLUMNS[2], KICKSTARTER_AIRLINE_COLUMNS[1], *KICKSTARTER_AIRLINE_COLUMNS[3:]]
    confluent.define_table("skyone_avro", reordered)
    confluent.define_table("sunset_avro", reordered)
    second, invocation = deploy(runtime_api)
    assert second is not None, invocation.body
    assert second["action"] == "replaced"
    new_insert = next(s["name"] for s in second["statements"] if s["kind"] == "insert")
    assert new_insert != old_insert
    assert confluent.statements[new_insert]["spec"]["properties"]["sql.tables.initial-offset-from"] == old_insert
    assert phase(confluent, new_insert) == "RUNNING"
    assert phase(confluent, old_insert) in {"STOPPING", "STOPPED"}
    assert old_insert in second["message"]


def test_terraform_delete_stops_the_pipeline_and_keeps_the_table(deployer, runtime_api, confluent):
    first, _ = deploy(runtime_api)
    insert = next(s["name"] for s in first["statements"] if s["kind"] == "insert")
    body, invocation = deploy(runtime_api, {**EVENT, "tf": {"action": "delete", "prev_input": EVENT}})
    assert body is not None, invocation.body
    assert body["action"] == "stopped"
    assert [s["name"] for s in body["statements"]] == [insert]
    assert phase(confluent, insert) in {"STOPPING", "STOPPED"}
    deleted = [r.path.rsplit("/", 1)[-1] for r in confluent.requests if r.method == "DELETE"]
    assert all(name.startswith("flight-consolidator-dry-") for name in deleted), deleted


def test_delete_with_nothing_running_is_still_a_success(deployer, runtime_api, confluent):
    body, invocation = deploy(runtime_api, {**EVENT, "tf": {"action": "delete"}})
    assert body is not None, invocation.body
    assert body["action"] == "stopped" and body["statements"] == []


def test_a_dry_run_validates_both_statements_and_submits_nothing(deployer, runtime_api, confluent):
    body, invocation = deploy(runtime_api, {**EVENT, "dry_run": True})
    assert body is not None, invocation.body
    assert body["action"] == "planned"
    assert len(body["sql"]) == 2 and body["sql"][0].startswith("CREATE TABLE IF NOT EXISTS")
    assert labelled(confluent) == {}
    assert all(s["spec"]["properties"].get("sql.dry-run") == "true" for s in confluent.statements.values())


def test_a_failed_statement_is_reported_with_the_servers_reason(deployer, runtime_api, confluent):
    confluent.fail_statement_when_created(r"flight-consolidator-insert", detail="The 'kafka.partitions' option is not supported",
                                          exceptions=[("org.apache.flink.table.api.ValidationException", "Column 'x' not found")])
    _, invocation = deploy(runtime_api)
    assert invocation.raw_error_type == "Function.StatementFailed"
    message = invocation.json()["errorMessage"]
    assert "The 'kafka.partitions' option is not supported" in message and "Column 'x' not found" in message
    assert "flight-consolidator-insert-" in message


def test_a_degraded_statement_fails_the_deploy(deployer, runtime_api, confluent):
    confluent.degrade(r"flight-consolidator-insert")
    _, invocation = deploy(runtime_api)
    assert invocation.raw_error_type == "Function.StatementFailed"
    assert "DEGRADED" in invocation.json()["errorMessage"]


def test_an_exhausted_compute_pool_fails_the_deploy(deployer, runtime_api, confluent):
    confluent.exhaust_pool(r"flight-consolidator-insert")
    _, invocation = deploy(runtime_api)
    assert invocation.raw_error_type == "Function.StatementFailed"
    assert "compute pool" in invocation.json()["errorMessage"].lower()


def test_the_lambda_deadline_bounds_the_wait(deployer, runtime_api, confluent):
    # The statement stays PENDING far past the deadline; the deployer gives up 2 s before it, which
    # leaves 8 s for the calls before the wait however busy the machine is.
    confluent.set_phase_delays(pending=600)
    _, invocation = deploy(runtime_api, timeout_ms=10_000)
    assert invocation.raw_error_type == "Function.DeployTimeout"
    assert "PENDING" in invocation.json()["errorMessage"]
    assert invocation.completed_at - invocation.delivered_at < 10.0, "answered after the Lambda deadline"


def test_throttling_and_lost_responses_are_recovered_without_duplicates(deployer, runtime_api, confluent):
    confluent.fail_next("POST", r"/statements$", 429, retry_after=1)
    confluent.lose_next_create_response()
    confluent.fail_next("GET", r"/statements/", 503, times=2)
    body, invocation = deploy(runtime_api)
    assert body is not None, invocation.body
    assert body["action"] == "created"
    assert len(labelled(confluent)) == 2


@pytest.mark.parametrize("retry_after", ["1e300", "9223372036854775807", "86401"])
def test_a_retry_after_beyond_the_deadline_fails_at_once_with_the_servers_reason(deployer, runtime_api, confluent, retry_after):
    """Found by fuzzing: a Retry-After whose milliseconds overflow Int64 once crashed the function."""
    confluent.fail_next("POST", r"/statements$", 429, retry_after=retry_after)
    _, invocation = deploy(runtime_api)
    assert invocation.raw_error_type == "Function.ConfluentError", invocation.body
    message = invocation.json()["errorMessage"]
    assert "429" in message and "would pass the deadline" in message, message
    # "At once": measured from the 429, an upper bound generous for a busy machine and far below the
    # 28 s a deployer that slept until its deadline would take.
    throttled = next(r for r in confluent.requests if r.status == 429)
    assert invocation.completed_at - throttled.at < 10.0
    assert deployer.process.poll() is None


def test_a_server_error_after_creation_is_adopted_not_resubmitted(deployer, runtime_api, confluent):
    confluent.fail_next("POST", r"/statements$", 500, perform=True, times=3)
    body, invocation = deploy(runtime_api)
    assert body is not None, invocation.body
    assert len(labelled(confluent, "insert")) == 1


def test_a_wrong_flink_key_is_confluent_auth(start_function, runtime_api, moto):
    from e2e.conftest import confluent_for
    with confluent_for({**moto_peer.CCAF_SECRET, "flink.api.secret": "another-secret"}) as other:
        start_function(CCAF_FLINK_ENDPOINT=other.base_url)
        _, invocation = deploy(runtime_api)
    assert invocation.raw_error_type == "Function.ConfluentAuth"
    assert moto_peer.CCAF_SECRET["flink.api.secret"] not in invocation.body.decode()


@pytest.mark.parametrize("change,expected", [
    (lambda c: c.define_table("sunset_avro", [col for col in KICKSTARTER_AIRLINE_COLUMNS if col[0] != "flight_number"]),
     "sunset_avro"),
    (lambda c: c.drop_table("skyone_avro"), "skyone_avro"),
])
def test_a_source_that_does_not_fit_is_a_schema_mismatch_before_anything_is_submitted(deployer, runtime_api, confluent, change, expected):
    change(confluent)
    _, invocation = deploy(runtime_api)
    assert invocation.raw_error_type == "Function.SchemaMismatch"
    assert expected in invocation.json()["errorMessage"]
    assert labelled(confluent) == {}


def test_every_log_line_of_a_deploy_carries_the_invocations_request_id(start_function, runtime_api, confluent):
    """CloudWatch queries by Lambda request id must find every line of the invocation; the
    services' own request ids go under their own names."""
    function = start_function(AWS_LAMBDA_LOG_FORMAT="JSON", AWS_LAMBDA_LOG_LEVEL="DEBUG")
    body, invocation = deploy(runtime_api)
    assert body is not None, invocation.body
    runtime_api.invoke(EVENT)  # the next invocation has begun once this one's lines are all written
    lines = [json.loads(line) for line in function.lines]
    start = next(i for i, line in enumerate(lines) if line.get("message") == "invocation received"
                 and line.get("requestId") == invocation.request_id)
    end = next(i for i, line in enumerate(lines) if i > start and line.get("message") == "invocation received")
    during = lines[start:end]
    assert len(during) > 10
    assert {line.get("requestId") for line in during} == {invocation.request_id}
    assert any(line.get("confluentRequestId", "-") != "-" for line in during), "Confluent's ids are logged under their own name"
    assert any("awsRequestId" in line for line in during), "AWS's ids are logged under their own name"
