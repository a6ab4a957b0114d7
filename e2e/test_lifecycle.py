"""The lifecycle rules (pipelines.md §4, §6): each with the real executable against the Runtime
API emulator, moto (signature checking on) and the Confluent emulator, whose offsets ledger
proves that nothing is read twice or skipped."""
from __future__ import annotations

import base64
import http.client
import json
import subprocess
import threading
import time
from urllib.parse import urlparse

import pytest

from e2e.conftest import run_cli
from e2e.peers import moto_peer
from e2e.test_deploy import EVENT, deploy
from e2e.test_pipelines import by_id, definition, event, of_pipeline, plan_of

FLIGHT = {"user.confluent.io/pipeline": "flight-consolidator"}
# The original Python Lambda's INSERT (seed article): positional, SkyOne read twice, no labels.
SEED_INSERT_SQL = ("INSERT INTO flight_avro SELECT email_address, departure_time, departure_airport_code, arrival_time, "
                   "arrival_airport_code, flight_number, confirmation_code, 'SkyOne' AS airline FROM skyone_avro")


@pytest.fixture
def deployer(start_function):
    return start_function()


def insert_of(body) -> str:
    return next(s["name"] for s in body["statements"] if s["kind"] == "insert")


def running(confluent, labels: dict[str, str], statement_id: str | None = None) -> list[str]:
    return [name for name, s in confluent.statements.items()
            if all(s["metadata"].get("labels", {}).get(k) == v for k, v in labels.items())
            and (statement_id is None or s["metadata"]["labels"].get("user.confluent.io/statement-id") == statement_id)
            and s["status"]["phase"] == "RUNNING"]


def submit_foreign_statement(confluent, name: str, sql: str, catalog="flight_env", database="flight_cluster") -> None:
    """What another tool (the original Lambda) deployed: no labels, created over the API."""
    secret = moto_peer.CCAF_SECRET
    url = urlparse(confluent.base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    token = base64.b64encode(f"{secret['flink.api.key']}:{secret['flink.api.secret']}".encode()).decode()
    body = {"name": name, "spec": {"statement": sql, "compute_pool_id": "lfcp-demo01", "principal": "sa-demo01",
                                   "properties": {"sql.current-catalog": catalog, "sql.current-database": database}}}
    connection.request("POST", f"/sql/v1/organizations/{secret['organization.id']}/environments/{secret['environment.id']}/statements",
                       body=json.dumps(body), headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 201, response.read()
    connection.close()


def wait_for_phase(confluent, name: str, phase: str, timeout: float = 60) -> None:
    """Until the statement is in `phase` (its phase delays are 0.05 s); the deadline is only for a broken emulator."""
    deadline = time.monotonic() + timeout
    while confluent.statements[name]["status"]["phase"] != phase:
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} never reached {phase}: {confluent.statements[name]['status']}")
        time.sleep(0.01)


# ---- resume and carry-over from stopped versions ------------------------------------------------
def test_destroy_then_apply_resumes_the_same_statement_from_its_offsets(deployer, runtime_api, confluent):
    first, _ = deploy(runtime_api)
    insert = insert_of(first)
    stopped, _ = deploy(runtime_api, {**EVENT, "tf": {"action": "delete"}})
    assert stopped["action"] == "stopped"
    body, invocation = deploy(runtime_api, {**EVENT, "tf": {"action": "create"}})
    assert body is not None, invocation.body
    assert body["action"] == "resumed" and insert_of(body) == insert
    assert by_id(body)["ddl"]["action"] == "unchanged"
    assert [start["from"] for start in confluent.starts(insert)] == ["earliest", "own-offsets"]
    assert confluent.fresh_starts(FLIGHT) == [insert], "the sources were read from the start once"
    assert running(confluent, FLIGHT) == [insert]


def test_a_changed_insert_after_a_stop_carries_over_from_the_stopped_version(deployer, runtime_api, confluent):
    first, _ = deploy(runtime_api, event())
    old = by_id(first)["skyone-departures"]["name"]
    deploy(runtime_api, event(tf={"action": "delete"}))
    changed = definition()
    changed["statements"][1]["sql"] = changed["statements"][1]["sql"].replace("IS NOT NULL", "<> ''")
    body, invocation = deploy(runtime_api, event(changed))
    assert body is not None, invocation.body
    statements = by_id(body)
    assert statements["skyone-departures"]["action"] == "replaced"
    assert statements["sunset-departures"]["action"] == "resumed"
    new = statements["skyone-departures"]["name"]
    assert confluent.starts(new) == [{"from": "carry-over", "predecessor": old}]
    assert confluent.statements[old]["status"]["phase"] == "STOPPED"


# ---- concurrent deploys -------------------------------------------------------------------------
@pytest.mark.parametrize("round_", range(8))
def test_two_deploys_at_the_same_moment_leave_one_insert_running(binary, moto, confluent, round_):
    confluent.set_phase_delays(pending=0.3)
    environment = {**moto.environment(), "CCAF_FLINK_ENDPOINT": confluent.base_url}
    database = f"cluster_{round_}"
    confluent.define_table("skyone_avro", confluent.table_columns("skyone_avro"))  # visible from every database
    arguments = ["deploy", "--catalog-name", "flight_env", "--database-name", database, "--ccaf-secrets-path", moto_peer.CCAF_SECRET_NAME]
    results: list[subprocess.CompletedProcess] = [None, None]  # type: ignore[list-item]

    def run(index: int) -> None:
        results[index] = run_cli(binary, *arguments, "--pipeline-file", "pipelines/airport-departures.yaml", environment=environment)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
    bodies = [json.loads(json.loads(result.stdout)["body"]) for result in results]
    target = [s for s in of_pipeline(confluent).values()
              if s["spec"]["properties"]["sql.current-database"] == database and s["spec"]["properties"].get("sql.dry-run") != "true"]
    ids = [s["metadata"]["labels"]["user.confluent.io/statement-id"] for s in target]
    assert sorted(ids) == ["departures-table", "skyone-departures", "sunset-departures"], "each statement exactly once"
    assert by_id(bodies[0])["skyone-departures"]["name"] == by_id(bodies[1])["skyone-departures"]["name"]


# ---- a changed target ---------------------------------------------------------------------------
def test_a_changed_database_stops_the_previous_targets_statements_once_the_new_ones_run(deployer, runtime_api, confluent):
    old_event = {**EVENT, "database_name": "old_cluster"}
    first, _ = deploy(runtime_api, old_event)
    old_insert = insert_of(first)
    body, invocation = deploy(runtime_api, {**EVENT, "tf": {"action": "update", "prev_input": old_event}})
    assert body is not None, invocation.body
    new_insert = next(s["name"] for s in body["statements"] if s["kind"] == "insert" and s["action"] == "created")
    stopped = [s for s in body["statements"] if s["action"] == "stopped"]
    assert [s["name"] for s in stopped] == [old_insert]
    assert confluent.statements[old_insert]["status"]["phase"] in {"STOPPING", "STOPPED"}
    assert confluent.statements[new_insert]["status"]["phase"] == "RUNNING"
    assert confluent.statements[new_insert]["spec"]["properties"]["sql.current-database"] == "flight_cluster"
    assert body["action"] == "created", "the streaming statements' action; the stopped ones are listed"


def test_teardown_of_a_moved_pipeline_stops_the_target_it_names(deployer, runtime_api, confluent):
    deploy(runtime_api, {**EVENT, "database_name": "old_cluster"})
    moved, _ = deploy(runtime_api, {**EVENT, "tf": {"action": "update", "prev_input": {**EVENT, "database_name": "old_cluster"}}})
    body, invocation = deploy(runtime_api, {**EVENT, "tf": {"action": "delete"}})
    assert body is not None, invocation.body
    assert [s["name"] for s in body["statements"]] == [insert_of({"statements": [s for s in moved["statements"] if s["action"] != "stopped"]})]
    assert running(confluent, FLIGHT) == []


# ---- adopting what another tool deployed --------------------------------------------------------
SINK_COLUMNS = [(name, "STRING") for name in ("departure_airport_code", "flight_number", "email_address", "departure_time",
                                              "arrival_time", "arrival_airport_code", "confirmation_code", "airline")]


def test_the_seeds_insert_is_adopted_with_carry_over_and_stopped(deployer, runtime_api, confluent):
    confluent.define_table("flight_avro", SINK_COLUMNS)  # the original created it
    submit_foreign_statement(confluent, "combined-flight-data-0001", SEED_INSERT_SQL)
    submit_foreign_statement(confluent, "combined-flight-data-0002", SEED_INSERT_SQL)  # a second run of the original
    for name in ("combined-flight-data-0001", "combined-flight-data-0002"):
        wait_for_phase(confluent, name, "RUNNING")
    body, invocation = deploy(runtime_api, {**EVENT, "adopt": ["combined-flight-data-0001", "combined-flight-data-0002"]})
    assert body is not None, invocation.body
    assert body["action"] == "replaced"
    insert = insert_of(body)
    predecessor = confluent.starts(insert)[0]["predecessor"]
    assert confluent.starts(insert) == [{"from": "carry-over", "predecessor": predecessor}]
    assert predecessor in {"combined-flight-data-0001", "combined-flight-data-0002"}
    for name in ("combined-flight-data-0001", "combined-flight-data-0002"):
        assert confluent.statements[name]["status"]["phase"] in {"STOPPING", "STOPPED"}, name
    assert confluent.fresh_starts(FLIGHT) == []
    again, _ = deploy(runtime_api, {**EVENT, "adopt": ["combined-flight-data-0001", "combined-flight-data-0002"]})
    assert again["action"] == "unchanged"


def test_adopting_a_statement_that_is_gone_is_refused_before_anything_changes(deployer, runtime_api, confluent):
    _, invocation = deploy(runtime_api, {**EVENT, "adopt": ["combined-flight-data-gone"]})
    assert invocation.raw_error_type == "Function.DeployRefused"
    message = invocation.json()["errorMessage"]
    assert "combined-flight-data-gone" in message and "allow_reprocess" in message
    assert of_pipeline(confluent, "flight-consolidator") == {}


def test_allow_reprocess_starts_fresh_when_the_adopted_statement_is_gone_and_says_so(deployer, runtime_api, confluent):
    fresh = definition()
    fresh["statements"][1] = {**fresh["statements"][1], "adopt": ["gone-1"], "allow_reprocess": True}
    body, invocation = deploy(runtime_api, event(fresh))
    assert body is not None, invocation.body
    skyone = by_id(body)["skyone-departures"]
    assert skyone["action"] == "created"
    assert any("start offsets" in warning for warning in skyone["warnings"])


# ---- a refused carry-over ----------------------------------------------------------------------
STATEFUL = ("INSERT INTO departures SELECT departure_airport_code, MAX(departure_time), COUNT(*) AS flight_number, 'SkyOne' "
            "FROM skyone_avro GROUP BY departure_airport_code")


def test_a_refused_carry_over_fails_the_deploy_and_resumes_the_previous_version(deployer, runtime_api, confluent):
    first, _ = deploy(runtime_api, event())
    old = by_id(first)["skyone-departures"]["name"]
    changed = definition()
    changed["statements"][1] = {"id": "skyone-departures", "sql": STATEFUL}
    _, invocation = deploy(runtime_api, event(changed))
    assert invocation.raw_error_type == "Function.StatementFailed"
    message = invocation.json()["errorMessage"]
    assert "only stateless statements can carry offsets over" in message
    assert f"{old} was resumed" in message and "allow_reprocess" in message
    wait_for_phase(confluent, old, "RUNNING")
    assert [start["from"] for start in confluent.starts(old)] == ["earliest", "own-offsets"]
    assert len(running(confluent, {"user.confluent.io/pipeline": "airport-departures"}, "skyone-departures")) == 1


def test_a_refused_carry_over_with_allow_reprocess_starts_fresh_and_says_so(deployer, runtime_api, confluent):
    first, _ = deploy(runtime_api, event())
    old = by_id(first)["skyone-departures"]["name"]
    changed = definition()
    changed["statements"][1] = {"id": "skyone-departures", "sql": STATEFUL, "allow_reprocess": True}
    body, invocation = deploy(runtime_api, event(changed))
    assert body is not None, invocation.body
    skyone = by_id(body)["skyone-departures"]
    assert skyone["action"] == "replaced" and skyone["phase"] == "RUNNING"
    assert any("started fresh" in warning for warning in skyone["warnings"])
    assert confluent.starts(skyone["name"]) == [{"from": "earliest", "predecessor": None}]
    assert confluent.statements[old]["status"]["phase"] == "STOPPED"


# ---- a sink that drifted ------------------------------------------------------------------------
def test_a_sink_that_exists_with_other_columns_is_refused_before_any_streaming_statement_changes(deployer, runtime_api, confluent):
    confluent.define_table("departures", [("departure_airport_code", "STRING"), ("departure_time", "TIMESTAMP(3)"),
                                          ("flight_number", "STRING"), ("gate", "STRING")])
    _, invocation = deploy(runtime_api, event())
    assert invocation.raw_error_type == "Function.SchemaMismatch"
    message = invocation.json()["errorMessage"]
    assert "`departure_time` is declared STRING but is TIMESTAMP(3) in the table" in message
    assert "`airline` STRING is declared but the table has no such column" in message
    assert "`gate` STRING is in the table but not declared" in message
    assert of_pipeline(confluent) == {}


def test_status_warnings_reach_the_result_and_the_logs(deployer, runtime_api, confluent):
    confluent.warn(name_regex="skyone-departures", reason="MISSING_WINDOW_START_END", message="the window has no start", severity="MODERATE")
    body, invocation = deploy(runtime_api, event())
    assert body is not None, invocation.body
    assert by_id(body)["skyone-departures"]["warnings"] == ["MODERATE MISSING_WINDOW_START_END: the window has no start"]
    assert "warnings" not in by_id(body)["sunset-departures"]
    assert "the window has no start" in deployer.output


# ---- the plan of each case ----------------------------------------------------------------------
def test_the_plan_shows_resume_replace_adopt_and_stop_and_changes_nothing(deployer, runtime_api, confluent):
    first, _ = deploy(runtime_api, event())
    statements = by_id(first)
    deploy(runtime_api, event(tf={"action": "delete"}))
    # The teardown asks for the stops without waiting for them; let them finish, so that only
    # the dry runs below could change a phase.
    for name, statement in list(confluent.statements.items()):
        if statement["status"]["phase"] == "STOPPING":
            wait_for_phase(confluent, name, "STOPPED")
    changed = definition(sunset_departures=None)
    changed["statements"][1]["sql"] = changed["statements"][1]["sql"].replace("IS NOT NULL", "<> ''")
    before = {name: s["status"]["phase"] for name, s in confluent.statements.items()}
    body, invocation = deploy(runtime_api, event(changed, dry_run=True))
    assert body is not None, invocation.body
    plan = plan_of(body)
    assert plan["departures-table"][0] == "unchanged"
    assert plan["skyone-departures"][0] == f"replace (carry-over from {statements['skyone-departures']['name']})"
    assert "validated by Confluent" in plan["skyone-departures"][1]
    assert "sunset-departures" not in plan, "a stopped statement no longer defined stays stopped"
    resumed = deploy(runtime_api, event(dry_run=True))[0]
    assert plan_of(resumed)["skyone-departures"][0] == "resume"
    after = {name: s["status"]["phase"] for name, s in confluent.statements.items() if name in before}
    assert after == before


def test_the_plan_shows_refusals_and_the_cli_exits_2(binary, moto, confluent):
    environment = {**moto.environment(), "CCAF_FLINK_ENDPOINT": confluent.base_url}
    flags = ["--catalog-name", "flight_env", "--database-name", "flight_cluster", "--ccaf-secrets-path", moto_peer.CCAF_SECRET_NAME]
    assert run_cli(binary, "deploy", *flags, "--pipeline-file", "pipelines/airport-departures.yaml", environment=environment).returncode == 0
    stateful = definition()
    stateful["statements"][1] = {"id": "skyone-departures", "sql": STATEFUL}
    path = "/tmp/ccaf-stateful-plan.json"
    with open(path, "w") as file:
        json.dump(stateful, file)
    result = run_cli(binary, "plan", *flags, "--pipeline-file", path, "--format", "markdown", environment=environment)
    assert result.returncode == 2, result.stderr
    assert "| `skyone-departures` | **refused: Confluent: Carry-over offsets" in result.stdout
    assert "**A deploy would be refused.**" in result.stdout
    json_plan = run_cli(binary, "plan", *flags, "--pipeline-file", path, "--format", "json", environment=environment)
    assert json_plan.returncode == 2
    assert json.loads(json_plan.stdout)["plan"][1]["action"].startswith("refused: Confluent:")
    confluent.define_table("flight_avro", [("departure_airport_code", "STRING"), ("flight_number", "INT")])
    drifted = run_cli(binary, "plan", *flags, environment=environment)
    assert drifted.returncode == 2, drifted.stderr
    assert "ddl     refused: the table `flight_env`.`flight_cluster`.`flight_avro` exists with other columns (" in drifted.stdout
    assert "`flight_number` is declared STRING but is INT in the table" in drifted.stdout
    gone = run_cli(binary, "plan", *flags, "--pipeline-file", path, "--format", "json", environment=environment)
    assert gone.returncode == 2


def test_a_name_held_by_a_failed_version_moves_to_the_next_derived_name(deployer, runtime_api, confluent):
    confluent.fail_statement_when_created(r"flight-consolidator-insert", detail="Topic authorization failed", times=1)
    _, failed = deploy(runtime_api)
    assert failed.raw_error_type == "Function.StatementFailed"
    failed_name = next(name for name, s in of_pipeline(confluent, "flight-consolidator").items() if s["status"]["phase"] == "FAILED")
    body, invocation = deploy(runtime_api)
    assert body is not None, invocation.body
    assert body["action"] == "created"
    insert = insert_of(body)
    assert insert != failed_name and insert.startswith("flight-consolidator-insert-")
    assert by_id(body)["ddl"]["action"] == "unchanged"


def test_the_plan_shows_adoption_a_refused_adoption_a_moved_target_and_removed_statements(deployer, runtime_api, confluent):
    confluent.define_table("flight_avro", SINK_COLUMNS)
    submit_foreign_statement(confluent, "combined-flight-data-0001", SEED_INSERT_SQL)
    wait_for_phase(confluent, "combined-flight-data-0001", "RUNNING")
    body, _ = deploy(runtime_api, {**EVENT, "dry_run": True, "adopt": ["combined-flight-data-0001"]})
    assert plan_of(body)["insert"][0] == "replace (carry-over from combined-flight-data-0001)"
    assert "is adopted from another tool" in plan_of(body)["insert"][1]
    gone, _ = deploy(runtime_api, {**EVENT, "dry_run": True, "adopt": ["combined-flight-data-9999"]})
    assert plan_of(gone)["insert"][0].startswith("refused: it should take over combined-flight-data-9999")
    assert gone["message"].startswith("a deploy would be refused")

    old_target = {**EVENT, "database_name": "old_cluster"}
    deploy(runtime_api, {**event(), "database_name": "old_cluster"})
    deploy(runtime_api, event())
    running_before = sorted(running(confluent, {"user.confluent.io/pipeline": "airport-departures"}))
    moved, _ = deploy(runtime_api, event(definition(sunset_departures=None), dry_run=True,
                                         tf={"action": "update", "prev_input": {**old_target, "pipeline": definition()}}))
    lines = [(line["id"], line["action"]) for line in moved["plan"]]
    assert ("sunset-departures", "stop (no longer defined)") in lines
    assert ("skyone-departures", "stop (previous target flight_env.old_cluster)") in lines
    assert ("sunset-departures", "stop (previous target flight_env.old_cluster)") in lines
    assert sorted(running(confluent, {"user.confluent.io/pipeline": "airport-departures"})) == running_before
