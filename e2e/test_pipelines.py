"""Pipelines of your own (pipelines.md §1-§3, §5): definitions deployed in order, validated before
anything is read or sent, redeployed statement by statement; the real executable against the
Runtime API emulator, moto (signature checking on) and the Confluent emulator."""
from __future__ import annotations

import json

import pytest
import yaml

from e2e.conftest import ROOT, run_cli
from e2e.peers import moto_peer
from e2e.test_deploy import EVENT, SECRET_VALUES, deploy

EXAMPLE = ROOT / "pipelines" / "airport-departures.yaml"


def definition(**changes) -> dict:
    """The example definition, with statements replaced or dropped by id (None drops one)."""
    pipeline = yaml.safe_load(EXAMPLE.read_text())
    statements = []
    for statement in pipeline["statements"]:
        change = changes.get(statement["id"].replace("-", "_"), statement)
        if change is not None:
            statements.append(change)
    return {**pipeline, "statements": statements}


def event(pipeline=None, **fields) -> dict:
    return {**EVENT, "pipeline": pipeline if pipeline is not None else definition(), **fields}


def of_pipeline(confluent, name="airport-departures") -> dict[str, dict]:
    return {statement_name: statement for statement_name, statement in confluent.statements.items()
            if statement["metadata"].get("labels", {}).get("user.confluent.io/pipeline") == name}


def by_id(body) -> dict[str, dict]:
    return {statement["id"]: statement for statement in body["statements"]}


@pytest.fixture
def deployer(start_function):
    return start_function()


def test_a_definition_is_deployed_in_order_with_its_set_lines_and_properties(deployer, runtime_api, confluent):
    body, invocation = deploy(runtime_api, event())
    assert body is not None, invocation.body
    assert body["pipeline"] == "airport-departures" and body["action"] == "created"
    statements = by_id(body)
    assert list(statements) == ["departures-table", "skyone-departures", "sunset-departures"]
    assert [s["kind"] for s in statements.values()] == ["ddl", "insert", "insert"]
    assert [s["action"] for s in statements.values()] == ["executed", "created", "created"]
    assert [s["phase"] for s in statements.values()] == ["COMPLETED", "RUNNING", "RUNNING"]

    table = confluent.statements[statements["departures-table"]["name"]]
    skyone = confluent.statements[statements["skyone-departures"]["name"]]
    sunset = confluent.statements[statements["sunset-departures"]["name"]]
    # The bounded statement completed before the streaming ones were submitted.
    assert table["metadata"]["updated_at"] <= skyone["metadata"]["created_at"]
    assert skyone["spec"]["statement"].startswith("INSERT INTO departures") and "SET" not in skyone["spec"]["statement"]
    assert skyone["spec"]["properties"] == {
        "sql.current-catalog": "flight_env", "sql.current-database": "flight_cluster",
        "sql.state-ttl": "1 d", "sql.tables.scan.idle-timeout": "1 s"}
    assert sunset["spec"]["properties"]["sql.state-ttl"] == "1 d" and "sql.tables.scan.idle-timeout" not in sunset["spec"]["properties"]
    labels = skyone["metadata"]["labels"]
    assert labels["user.confluent.io/statement-id"] == "skyone-departures"
    assert labels["user.confluent.io/sql-sha256"] == statements["skyone-departures"]["sql_sha256"]
    assert skyone["name"].startswith("airport-departures-skyone-departures-")
    assert skyone["spec"]["compute_pool_id"] == "lfcp-demo01" and skyone["spec"]["principal"] == "sa-demo01"
    for value in SECRET_VALUES:
        assert value not in invocation.body.decode() and value not in deployer.output


def test_streaming_statements_are_submitted_together_and_waited_for_together(deployer, runtime_api, confluent):
    confluent.set_phase_delays(pending=0.5)
    body, invocation = deploy(runtime_api, event())
    assert body is not None, invocation.body
    names = [by_id(body)[key]["name"] for key in ("skyone-departures", "sunset-departures")]
    requests = confluent.requests
    second_post = next(i for i, r in enumerate(requests) if r.method == "POST" and r.json()["name"] == names[1])
    first_get = next(i for i, r in enumerate(requests) if r.method == "GET" and r.path.endswith(names[0]))
    assert second_post < first_get, "the second INSERT waited for the first"


def test_a_failed_bounded_statement_stops_the_deploy_before_the_next_statement(deployer, runtime_api, confluent):
    confluent.fail_statement_when_created(r"airport-departures-departures-table", detail="Table options are invalid")
    _, invocation = deploy(runtime_api, event())
    assert invocation.raw_error_type == "Function.StatementFailed"
    assert "Table options are invalid" in invocation.json()["errorMessage"]
    assert [s["metadata"]["labels"]["user.confluent.io/statement-id"] for s in of_pipeline(confluent).values()] == ["departures-table"]


def test_the_same_definition_again_is_unchanged_and_submits_nothing(deployer, runtime_api, confluent):
    deploy(runtime_api, event())
    before = len(confluent.requests)
    body, invocation = deploy(runtime_api, event())
    assert body is not None, invocation.body
    assert body["action"] == "unchanged"
    assert {s["action"] for s in body["statements"]} == {"unchanged"}
    assert [r.method for r in confluent.requests[before:]].count("POST") == 0
    assert len(of_pipeline(confluent)) == 3


def test_a_changed_statement_is_replaced_with_carry_over_and_the_others_are_left_alone(deployer, runtime_api, confluent):
    first, _ = deploy(runtime_api, event())
    old = by_id(first)
    changed = definition(sunset_departures={
        "id": "sunset-departures",
        "sql": "INSERT INTO departures SELECT departure_airport_code, departure_time, flight_number, 'Sunset' FROM sunset_avro"})
    body, invocation = deploy(runtime_api, event(changed))
    assert body is not None, invocation.body
    statements = by_id(body)
    assert [s["action"] for s in statements.values()] == ["unchanged", "unchanged", "replaced"]
    assert body["action"] == "updated"
    new_name, old_name = statements["sunset-departures"]["name"], old["sunset-departures"]["name"]
    assert new_name != old_name
    assert confluent.statements[new_name]["spec"]["properties"]["sql.tables.initial-offset-from"] == old_name
    assert confluent.statements[new_name]["status"]["phase"] == "RUNNING"
    assert confluent.statements[old_name]["status"]["phase"] in {"STOPPING", "STOPPED"}
    assert statements["skyone-departures"]["name"] == old["skyone-departures"]["name"]
    assert confluent.statements[old["skyone-departures"]["name"]]["status"]["phase"] == "RUNNING"


def test_a_changed_property_is_a_changed_statement(deployer, runtime_api, confluent):
    deploy(runtime_api, event())
    changed = definition()
    changed["statements"][1]["properties"] = {"sql.tables.scan.idle-timeout": "5 s"}
    body, invocation = deploy(runtime_api, event(changed))
    assert body is not None, invocation.body
    assert by_id(body)["skyone-departures"]["action"] == "replaced"
    name = by_id(body)["skyone-departures"]["name"]
    assert confluent.statements[name]["spec"]["properties"]["sql.tables.scan.idle-timeout"] == "5 s"


def test_a_statement_removed_from_the_definition_is_stopped_not_deleted(deployer, runtime_api, confluent):
    first, _ = deploy(runtime_api, event())
    removed = by_id(first)["sunset-departures"]["name"]
    body, invocation = deploy(runtime_api, event(definition(sunset_departures=None)))
    assert body is not None, invocation.body
    statements = by_id(body)
    assert statements["sunset-departures"]["action"] == "stopped" and statements["sunset-departures"]["name"] == removed
    assert statements["skyone-departures"]["action"] == "unchanged"
    assert confluent.statements[removed]["status"]["phase"] in {"STOPPING", "STOPPED"}
    assert not any(r.method == "DELETE" and r.path.endswith(removed) for r in confluent.requests)
    assert removed in body["message"]


def test_per_statement_compute_pool_and_principal_override_the_secrets(deployer, runtime_api, confluent):
    changed = definition()
    changed["statements"][2] = {**changed["statements"][2], "compute_pool_id": "lfcp-other", "principal": "sa-other"}
    body, invocation = deploy(runtime_api, event(changed))
    assert body is not None, invocation.body
    sunset = confluent.statements[by_id(body)["sunset-departures"]["name"]]
    assert (sunset["spec"]["compute_pool_id"], sunset["spec"]["principal"]) == ("lfcp-other", "sa-other")


def test_teardown_stops_every_statement_of_the_definition(deployer, runtime_api, confluent):
    first, _ = deploy(runtime_api, event())
    deploy(runtime_api)  # the flight consolidator in the same target is another pipeline
    body, invocation = deploy(runtime_api, event(tf={"action": "delete"}))
    assert body is not None, invocation.body
    assert body["action"] == "stopped" and body["pipeline"] == "airport-departures"
    inserts = {by_id(first)[key]["name"] for key in ("skyone-departures", "sunset-departures")}
    assert {s["name"] for s in body["statements"]} == inserts
    for name in inserts:
        assert confluent.statements[name]["status"]["phase"] in {"STOPPING", "STOPPED"}
    flight = [s for s in of_pipeline(confluent, "flight-consolidator").values() if s["status"]["phase"] == "RUNNING"]
    assert len(flight) == 1


def plan_of(body) -> dict[str, tuple[str, str]]:
    return {line["id"]: (line["action"], line["reason"]) for line in body["plan"]}


def test_a_dry_run_of_a_first_deploy_plans_and_validates_what_it_can_and_submits_nothing(deployer, runtime_api, confluent):
    body, invocation = deploy(runtime_api, event(dry_run=True))
    assert body is not None, invocation.body
    assert body["action"] == "planned" and len(body["sql"]) == 3 and body["statements"] == []
    plan = plan_of(body)
    assert plan["departures-table"][0] == "execute" and "validated by Confluent" in plan["departures-table"][1]
    for key in ("skyone-departures", "sunset-departures"):
        assert plan[key][0] == "create"
        assert "not validated: departures-table creates `departures` first" in plan[key][1]
    assert of_pipeline(confluent) == {}
    assert all(s["spec"]["properties"].get("sql.dry-run") == "true" for s in confluent.statements.values())


def test_a_dry_run_once_the_tables_exist_validates_every_statement_it_would_submit(deployer, runtime_api, confluent):
    deploy(runtime_api, event())
    before = set(confluent.statements)
    changed = definition()
    changed["statements"][1]["sql"] = changed["statements"][1]["sql"].replace("IS NOT NULL", "<> ''")
    body, invocation = deploy(runtime_api, event(changed, dry_run=True))
    assert body is not None, invocation.body
    plan = plan_of(body)
    old_skyone = next(name for name, s in of_pipeline(confluent).items()
                      if s["metadata"]["labels"]["user.confluent.io/statement-id"] == "skyone-departures")
    assert plan["departures-table"][0] == "unchanged" and plan["sunset-departures"][0] == "unchanged"
    assert plan["skyone-departures"] == (f"replace (carry-over from {old_skyone})", plan["skyone-departures"][1])
    assert "validated by Confluent" in plan["skyone-departures"][1]
    dry = [r.json() for r in confluent.requests if r.method == "POST" and r.json()["spec"]["statement"].startswith("INSERT")
           and r.json()["spec"]["properties"].get("sql.dry-run") == "true"]
    assert len(dry) == 1 and dry[0]["spec"]["properties"]["sql.tables.initial-offset-from"] == old_skyone
    assert dry[0]["spec"]["properties"]["sql.state-ttl"] == "1 d"
    assert set(of_pipeline(confluent)) <= before
    assert confluent.statements[old_skyone]["status"]["phase"] == "RUNNING"


MALFORMED = [
    ({"statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1"}]}, "pipeline.name is required"),
    ({"name": "Orders", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1"}]}, "pipeline.name 'Orders' must start with a lower-case letter"),
    ({"name": "o" * 31, "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1"}]}, "is 31 characters long; at most 30"),
    ({"name": "orders", "statements": []}, "pipeline.statements has 0 statements; 1 to 50 are allowed"),
    ({"name": "orders", "statements": [{"id": f"s{i}", "sql": f"INSERT INTO t{i} SELECT 1"} for i in range(51)]}, "has 51 statements"),
    ({"name": "orders", "statements": [{"sql": "INSERT INTO t SELECT 1"}]}, "pipeline.statements[0].id is required"),
    ({"name": "orders", "statements": [{"id": "Bad", "sql": "INSERT INTO t SELECT 1"}]}, "pipeline.statements[0] (id 'Bad').id 'Bad' must start"),
    ({"name": "orders", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1"}, {"id": "a", "sql": "INSERT INTO u SELECT 1"}]},
     "pipeline.statements[1] (id 'a').id repeats the id of statements[0]"),
    ({"name": "orders", "statements": [{"id": "a"}]}, "pipeline.statements[0] (id 'a').sql is required"),
    ({"name": "orders", "statements": [{"id": "a", "sql": 5}]}, "sql must be a string of Flink SQL, not a number"),
    ({"name": "orders", "statements": [{"id": "a", "sql": " "}]}, "pipeline.statements[0] (id 'a').sql is empty"),
    ({"name": "orders", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1; INSERT INTO u SELECT 1"}]}, "holds more than one statement"),
    ({"name": "orders", "statements": [{"id": "a", "sql": "SELECT * FROM t"}]}, "is a query that writes nowhere"),
    ({"name": "orders", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1", "properties": {"sql.current-catalog": "x"}}]},
     "properties['sql.current-catalog'] is set by the deployer"),
    ({"name": "orders", "statements": [{"id": "a", "sql": "SET 'sql.tables.initial-offset-from' = 'x';\nINSERT INTO t SELECT 1"}]},
     "sql['sql.tables.initial-offset-from'] is set by a SET line, but is set by the deployer"),
    ({"name": "orders", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1", "properties": {"sql.dry-run": "false"}}]},
     "properties['sql.dry-run'] is set by the deployer"),
    ({"name": "orders", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1", "properties": {"parallelism": 4}}]},
     "properties['parallelism'] must be a string, not a number"),
    ({"name": "orders", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1", "allow_reprocess": "no"}]},
     "allow_reprocess must be true or false"),
    ({"name": "orders", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1", "compute_pool_id": 7}]}, "compute_pool_id must be a string"),
    ("not-a-pipeline", "pipeline 'not-a-pipeline' is not a built-in pipeline (built-in: flight-consolidator)"),
    (["flight-consolidator"], "pipeline must be a built-in pipeline's name or a definition object, not an array"),
]


@pytest.mark.parametrize("pipeline,message", MALFORMED, ids=range(len(MALFORMED)))
def test_a_malformed_definition_is_an_invalid_event_before_anything_is_read_or_sent(start_function, runtime_api, confluent, pipeline, message):
    # A secret that does not exist: reading it would be SecretNotFound, not InvalidEvent.
    start_function()
    _, invocation = deploy(runtime_api, {**EVENT, "ccaf_secrets_path": "no/such/secret", "pipeline": pipeline})
    assert invocation.raw_error_type == "Function.InvalidEvent", invocation.body
    assert message in invocation.json()["errorMessage"], invocation.json()["errorMessage"]
    assert confluent.requests == []


def test_the_cli_deploys_a_definition_file(binary, moto, confluent, tmp_path):
    environment = {**moto.environment(), "CCAF_FLINK_ENDPOINT": confluent.base_url}
    flags = ["--catalog-name", "flight_env", "--database-name", "flight_cluster", "--ccaf-secrets-path", moto_peer.CCAF_SECRET_NAME]
    result = run_cli(binary, "deploy", *flags, "--pipeline-file", str(EXAMPLE), environment=environment)
    assert result.returncode == 0, result.stdout + result.stderr
    body = json.loads(json.loads(result.stdout)["body"])
    assert body["pipeline"] == "airport-departures" and body["action"] == "created"
    # The same definition as JSON is the same pipeline: nothing changes.
    as_json = tmp_path / "airport-departures.json"
    as_json.write_text(json.dumps(yaml.safe_load(EXAMPLE.read_text())))
    again = run_cli(binary, "deploy", *flags, "--pipeline-file", str(as_json), environment=environment)
    assert again.returncode == 0, again.stderr
    assert json.loads(json.loads(again.stdout)["body"])["action"] == "unchanged"


def test_the_cli_names_the_line_of_a_problem_in_a_definition_file(binary, confluent, tmp_path):
    broken = tmp_path / "orders.yaml"
    broken.write_text("name: orders\nstatements:\n  - id: copy\n    sql: INSERT INTO t SELECT 1\n    properties:\n      parallelism: 4\n")
    result = run_cli(binary, "deploy", "--catalog-name", "c", "--database-name", "d", "--ccaf-secrets-path", "s",
                     "--pipeline-file", str(broken), environment={"AWS_REGION": "us-east-1"})
    assert result.returncode == 1
    error = json.loads(result.stdout)
    assert error["errorType"] == "Function.InvalidEvent"
    assert f"{broken}, line 6: statements[0] (id 'copy').properties['parallelism'] must be a string" in error["errorMessage"]
    assert confluent.requests == []


def test_the_offline_plan_prints_a_definitions_statements_and_properties(binary):
    result = run_cli(binary, "plan", "--catalog-name", "flight_env", "--database-name", "flight_cluster", "--pipeline-file", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "-- airport-departures / departures-table: bounded statement" in result.stdout
    assert ("-- properties: sql.current-catalog = 'flight_env', sql.current-database = 'flight_cluster', "
            "sql.state-ttl = '1 d', sql.tables.scan.idle-timeout = '1 s'") in result.stdout
    assert sum(line.endswith(";") for line in result.stdout.splitlines()) == 3


def test_the_readme_shows_the_real_built_in_pipeline():
    source = (ROOT / "Sources/BuiltinPipelines/FlightConsolidator/FlightConsolidator.swift").read_text()
    example = source[source.index("public struct FlightConsolidator"):]
    assert example in (ROOT / "README.md").read_text(), "README's built-in pipeline example differs from the file"
