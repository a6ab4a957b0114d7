"""Tests of the Confluent Flink statements API emulator itself, over real loopback HTTP."""
from __future__ import annotations

import base64
import http.client
import json
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from e2e.peers.confluent import KICKSTARTER_AIRLINE_COLUMNS, ConfluentEmulator

ORG = "b0b21724-4586-4a07-b787-d0bb5aacbf87"
ENV = "env-abc123"
KEY, SECRET = "FLINKAPIKEY123", "flink/secret+value"
STATEMENTS = f"/sql/v1/organizations/{ORG}/environments/{ENV}/statements"
FAST = {"pending": 0.05, "completing": 0.05, "stopping": 0.05, "deleting": 0.05}
SINK_DDL = ("CREATE TABLE IF NOT EXISTS `flight_avro` (`departure_airport_code` STRING, `flight_number` STRING, "
            "`airline` STRING) DISTRIBUTED BY (`departure_airport_code`, `flight_number`) INTO 1 BUCKETS "
            "WITH ('key.format' = 'avro-registry', 'value.format' = 'avro-registry')")
SINK_INSERT = ("INSERT INTO `flight_avro` (`departure_airport_code`, `flight_number`, `airline`) "
               "SELECT `departure_airport_code`, `flight_number`, 'SkyOne' AS `airline` FROM `skyone_avro` "
               "UNION ALL SELECT `departure_airport_code`, `flight_number`, 'Sunset' AS `airline` FROM `sunset_avro`")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)

    @property
    def error(self) -> dict:
        return self.json()["errors"][0]


class Client:
    """Minimal sql/v1 client: one connection per call unless one is passed in."""

    def __init__(self, base_url: str, key: str = KEY, secret: str = SECRET):
        url = urlsplit(base_url)
        self.host, self.port = url.hostname, url.port
        self.authorization = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()

    def connect(self, timeout: float = 5) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def call(self, method: str, path: str, body: object = None, *, auth: bool = True,
             connection: http.client.HTTPConnection | None = None, timeout: float = 5) -> Answer:
        connection = connection or self.connect(timeout)
        headers = {"Content-Type": "application/json", **({"Authorization": self.authorization} if auth else {})}
        connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())

    def create(self, name: str, sql: str, properties: dict | None = None, labels: dict | None = None,
               **spec: object) -> Answer:
        body = {"name": name, "spec": {"statement": sql, "properties": properties or {}, **spec}}
        if labels is not None:
            body["metadata"] = {"labels": labels}
        return self.call("POST", STATEMENTS, body)

    def get(self, name: str) -> Answer:
        return self.call("GET", f"{STATEMENTS}/{name}")

    def wait_for_phase(self, name: str, *phases: str, timeout: float = 30) -> dict:
        """Polls until the statement is in one of `phases`; the deadline only ends a broken case."""
        deadline = time.monotonic() + timeout
        while True:
            statement = self.get(name).json()
            if statement["status"]["phase"] in phases or time.monotonic() > deadline:
                assert statement["status"]["phase"] in phases, statement["status"]
                return statement
            time.sleep(0.02)


class ManualClock:
    """The emulator's clock for tests that must see an intermediate phase: it moves only when
    the test advances it, so no transition can happen before the test looks."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def emulator():
    with ConfluentEmulator(ORG, ENV, KEY, SECRET, phase_delays=FAST) as running:
        yield running


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def stepped(clock):
    """An emulator whose phases move only with `clock`."""
    with ConfluentEmulator(ORG, ENV, KEY, SECRET, phase_delays=FAST, clock=clock) as running:
        yield running


@pytest.fixture
def client(emulator: ConfluentEmulator) -> Client:
    return Client(emulator.base_url)


# ---- authentication, routing, HTTP ---------------------------------------------------------------
@pytest.mark.parametrize("credentials", [None, ("FLINKAPIKEY123", "wrong"), ("other", SECRET)])
def test_missing_or_wrong_credentials_are_401_with_www_authenticate(emulator, credentials):
    client = Client(emulator.base_url, *credentials) if credentials else Client(emulator.base_url)
    answer = client.call("GET", STATEMENTS, auth=credentials is not None)
    assert answer.status == 401
    assert answer.headers["www-authenticate"] == 'Basic error="invalid_key", error_description="The API Key is invalid"'
    assert answer.error["status"] == "401" and answer.error["code"] == "user_unauthenticated"
    assert answer.headers["x-request-id"]


def test_wrong_organization_or_environment_is_404(client):
    for path in (STATEMENTS.replace(ENV, "env-other"), STATEMENTS.replace(ORG, "00000000-0000-0000-0000-000000000000")):
        answer = client.call("GET", path)
        assert answer.status == 404 and answer.error["status"] == "404"


def test_every_answer_has_a_unique_request_id_and_connections_are_kept_alive(client):
    connection = client.connect()
    first = client.call("GET", STATEMENTS, connection=connection)
    socket_used = connection.sock
    second = client.call("GET", f"{STATEMENTS}/missing", connection=connection)
    assert (first.status, second.status) == (200, 404)
    assert connection.sock is socket_used
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    assert second.headers["content-length"] == str(len(second.body))


def test_chunked_request_bodies_are_accepted(client):
    connection = client.connect()
    body = json.dumps({"name": "chunked", "spec": {"statement": "SELECT 1"}}).encode()
    connection.request("POST", STATEMENTS, body=iter([body[:10], body[10:]]), encode_chunked=True,
                       headers={"Authorization": client.authorization, "Content-Type": "application/json"})
    assert connection.getresponse().status == 201


def test_invalid_json_is_400_and_unsupported_method_405(client):
    connection = client.connect()
    connection.request("POST", STATEMENTS, body=b"{not json", headers={"Authorization": client.authorization})
    assert connection.getresponse().status == 400
    answer = client.call("PATCH", f"{STATEMENTS}/x", {"spec": {}})
    assert answer.status == 405 and answer.headers["allow"] == "GET, PUT, DELETE"


# ---- create --------------------------------------------------------------------------------------
def test_create_answers_201_with_location_and_a_pending_statement(emulator, client):
    answer = client.create("combined-flight-data-1", SINK_INSERT, {"sql.current-catalog": "env"},
                           labels={"user.confluent.io/pipeline": "flight-consolidator"},
                           compute_pool_id="lfcp-abc123", principal="sa-abc123", stopped=True)
    assert answer.status == 201
    statement = answer.json()
    assert answer.headers["location"] == f"{emulator.base_url}{STATEMENTS}/combined-flight-data-1"
    assert statement["metadata"]["self"] == answer.headers["location"]
    assert (statement["api_version"], statement["kind"]) == ("sql/v1", "Statement")
    assert (statement["organization_id"], statement["environment_id"]) == (ORG, ENV)
    assert statement["metadata"]["labels"] == {"user.confluent.io/pipeline": "flight-consolidator"}
    assert statement["metadata"]["created_at"].endswith("Z") and statement["metadata"]["uid"]
    assert statement["spec"] == {"statement": SINK_INSERT, "properties": {"sql.current-catalog": "env"},
                                 "compute_pool_id": "lfcp-abc123", "principal": "sa-abc123", "stopped": False}
    assert statement["status"]["phase"] == "PENDING" and "traits" not in statement["status"]
    assert emulator.statements["combined-flight-data-1"]["spec"]["statement"] == SINK_INSERT


@pytest.mark.parametrize("name", ["Upper-case", "-leading", "trailing-", "a..b", "under_score", "x" * 101, "", None])
def test_names_outside_the_api_pattern_are_422_pointing_at_name(client, name):
    body = {"spec": {"statement": "SELECT 1"}} | ({} if name is None else {"name": name})
    answer = client.call("POST", STATEMENTS, body)
    assert answer.status == 422
    assert answer.error["source"] == {"pointer": "/name"} and answer.error["code"] == "invalid_configuration"


def test_longest_valid_name_is_accepted(client):
    assert client.create("a" * 98 + ".b", "SELECT 1").status == 201


@pytest.mark.parametrize("spec, pointer", [
    ({}, "/spec/statement"),
    ({"statement": "x" * 131073}, "/spec/statement"),
    ({"statement": "SELECT 1", "properties": {"sql.state-ttl": 5}}, "/spec/properties"),
])
def test_invalid_spec_is_422(client, spec, pointer):
    answer = client.call("POST", STATEMENTS, {"name": "s", "spec": spec})
    assert answer.status == 422 and answer.error["source"]["pointer"] == pointer


def test_duplicate_name_is_409_resource_already_exists(emulator, client):
    assert client.create("dup", "SELECT 1").status == 201
    answer = client.create("dup", "SELECT 2")
    assert answer.status == 409 and answer.error["code"] == "resource_already_exists"
    assert answer.headers["location"].endswith(f"{STATEMENTS}/dup")
    assert emulator.statements["dup"]["spec"]["statement"] == "SELECT 1"


# ---- lifecycle and SQL semantics -----------------------------------------------------------------
def test_ddl_completes_and_insert_keeps_running(client):
    client.create("sink-ddl", SINK_DDL)
    running = client.wait_for_phase("sink-ddl", "RUNNING", "COMPLETED")
    assert running["status"]["traits"]["sql_kind"] == "CREATE_TABLE"
    completed = client.wait_for_phase("sink-ddl", "COMPLETED")
    assert completed["status"]["traits"]["is_bounded"] is True and completed["status"]["end_time"]
    client.create("sink-insert", SINK_INSERT)
    insert = client.wait_for_phase("sink-insert", "RUNNING")
    assert insert["status"]["traits"] == {"sql_kind": "INSERT_INTO", "is_bounded": False, "is_append_only": True}
    time.sleep(0.2)
    assert client.get("sink-insert").json()["status"]["phase"] == "RUNNING"


def test_resource_version_changes_with_every_transition(client):
    created = client.create("versioned", SINK_DDL).json()["metadata"]
    completed = client.wait_for_phase("versioned", "COMPLETED")["metadata"]
    assert created["resource_version"] != completed["resource_version"]
    assert completed["updated_at"] > created["updated_at"]


def test_create_table_of_an_existing_table_fails_unless_if_not_exists(client):
    client.create("first", "CREATE TABLE `c`.`d`.`t` (`a` STRING)")
    client.wait_for_phase("first", "COMPLETED")
    client.create("again-if-not-exists", "CREATE TABLE IF NOT EXISTS `c`.`d`.`t` (`a` STRING)")
    client.wait_for_phase("again-if-not-exists", "COMPLETED")
    client.create("again", "CREATE TABLE `t` (`a` STRING)", {"sql.current-catalog": "c", "sql.current-database": "d"})
    failed = client.wait_for_phase("again", "FAILED")
    assert failed["status"]["detail"] == "Table (or view) d.t already exists in Catalog c."


def test_tables_are_resolved_with_current_catalog_and_database(client):
    properties = {"sql.current-catalog": "c", "sql.current-database": "db1"}
    client.create("in-db1", "CREATE TABLE `t` (`a` STRING)", properties)
    client.wait_for_phase("in-db1", "COMPLETED")
    client.create("select-db2", "SELECT * FROM `c`.`db2`.`t`", {"sql.dry-run": "true"})
    assert client.get("select-db2").json()["status"]["phase"] == "FAILED"
    dry = client.create("select-db1", "SELECT * FROM `db1`.`t`", {"sql.dry-run": "true", "sql.current-catalog": "c"})
    columns = dry.json()["status"]["traits"]["schema"]["columns"]
    assert [c["name"] for c in columns] == ["a", "$rowtime"]


def test_insert_into_a_missing_table_fails_with_the_flink_detail_and_exceptions(client):
    client.create("orphan-insert", "INSERT INTO `nowhere` SELECT * FROM `skyone_avro`")
    failed = client.wait_for_phase("orphan-insert", "FAILED")
    assert "Table (or view) 'nowhere' does not exist" in failed["status"]["detail"]
    exceptions = client.call("GET", f"{STATEMENTS}/orphan-insert/exceptions").json()
    assert exceptions["kind"] == "StatementExceptionList"
    assert exceptions["data"][0]["kind"] == "StatementException"
    assert exceptions["data"][0]["message"] == failed["status"]["detail"]
    assert exceptions["data"][0]["timestamp"].endswith("Z")


def test_select_from_unknown_table_and_unknown_target_column_fail(client):
    client.create("bad-source", "SELECT `a` FROM `c`.`d`.`missing_avro`")
    assert "'c.d.missing_avro' does not exist" in client.wait_for_phase("bad-source", "FAILED")["status"]["detail"]
    client.create("ddl", SINK_DDL)
    client.wait_for_phase("ddl", "COMPLETED")
    client.create("bad-column", "INSERT INTO `flight_avro` (`nope`) SELECT `aircraft` FROM `skyone_avro`")
    assert "Unknown target column 'nope'" in client.wait_for_phase("bad-column", "FAILED")["status"]["detail"]


def test_unparsable_sql_fails_with_a_parse_error(client):
    client.create("garbage", "FROBNICATE everything")
    assert client.wait_for_phase("garbage", "FAILED")["status"]["detail"].startswith("SQL parse failed.")


# ---- dry run -------------------------------------------------------------------------------------
def test_dry_run_select_star_returns_the_table_schema_at_once(emulator, client):
    answer = client.create("schema-skyone", "SELECT * FROM `env-1`.`lkc-1`.`skyone_avro`", {"sql.dry-run": "true"})
    status = answer.json()["status"]
    assert status["phase"] == "COMPLETED"
    assert status["traits"]["sql_kind"] == "SELECT" and status["traits"]["is_bounded"] is False
    columns = status["traits"]["schema"]["columns"]
    assert [c["name"] for c in columns] == [name for name, _ in KICKSTARTER_AIRLINE_COLUMNS]
    assert columns[0]["type"] == {"type": "VARBINARY", "nullable": True, "length": 2147483647}
    assert columns[1]["type"] == {"type": "VARCHAR", "nullable": True, "length": 2147483647}
    assert columns[-1]["type"] == {"type": "TIMESTAMP_WITH_LOCAL_TIME_ZONE", "nullable": False, "precision": 3}
    assert emulator.statements["schema-skyone"]["status"]["phase"] == "COMPLETED"  # stored, never run


def test_dry_run_of_an_unknown_table_fails_at_once(client):
    status = client.create("schema-x", "SELECT * FROM `we``ird`", {"sql.dry-run": "true"}).json()["status"]
    assert status["phase"] == "FAILED" and "Table (or view) 'we`ird' does not exist" in status["detail"]


def test_custom_tables_and_doubled_back_quotes():
    with ConfluentEmulator(ORG, ENV, KEY, SECRET, tables={"we`ird": [("a", "INT NOT NULL")]}) as custom:
        client = Client(custom.base_url)
        status = client.create("s", "SELECT * FROM `c`.`d`.`we``ird`", {"sql.dry-run": "true"}).json()["status"]
        assert status["traits"]["schema"]["columns"] == [{"name": "a", "type": {"type": "INTEGER", "nullable": False}}]


# ---- list ----------------------------------------------------------------------------------------
def test_list_pages_in_creation_order_filtered_by_labels_and_pool(client):
    pipeline = {"user.confluent.io/pipeline": "flights"}
    for index in range(13):
        labels = pipeline | {"user.confluent.io/sql-sha256": "even" if index % 2 == 0 else "odd"}
        client.create(f"flights-{index:02d}", "SELECT 1", labels=labels, compute_pool_id="lfcp-1")
    client.create("other", "SELECT 1", labels={"user.confluent.io/pipeline": "other"})
    names, path = [], f"{STATEMENTS}?label_selector=user.confluent.io/pipeline%3Dflights"
    while path:
        page = client.call("GET", path).json()
        assert page["kind"] == "StatementList" and page["api_version"] == "sql/v1"
        names.append([s["name"] for s in page["data"]])
        next_url = urlsplit(page["metadata"]["next"]) if page["metadata"]["next"] else None
        assert next_url is None or parse_qs(next_url.query)["page_token"][0]
        path = f"{next_url.path}?{next_url.query}" if next_url else ""
    assert names == [[f"flights-{i:02d}" for i in range(10)], [f"flights-{i:02d}" for i in range(10, 13)]]
    both = client.call("GET", f"{STATEMENTS}?page_size=100&label_selector=user.confluent.io/pipeline=flights,"
                              "user.confluent.io/sql-sha256=odd").json()
    assert [s["name"] for s in both["data"]] == [f"flights-{i:02d}" for i in range(1, 13, 2)]
    assert both["metadata"]["next"] == ""
    by_pool = client.call("GET", f"{STATEMENTS}?page_size=100&spec.compute_pool_id=lfcp-1").json()
    assert len(by_pool["data"]) == 13


@pytest.mark.parametrize("query, parameter", [
    ("page_size=101", "page_size"), ("page_size=0", "page_size"),
    ("page_token=bogus", "page_token"), ("label_selector=nokey", "label_selector"),
])
def test_list_rejects_bad_parameters_with_400(client, query, parameter):
    answer = client.call("GET", f"{STATEMENTS}?{query}")
    assert answer.status == 400 and answer.error["source"] == {"parameter": parameter}


# ---- update (stop / resume) and delete ----------------------------------------------------------
def test_put_with_a_stale_version_is_409_then_stop_and_resume_succeed(client):
    client.create("ddl", SINK_DDL)
    client.wait_for_phase("ddl", "COMPLETED")
    stale = client.create("job", SINK_INSERT).json()
    running = client.wait_for_phase("job", "RUNNING")
    stale["spec"]["stopped"] = True
    conflict = client.call("PUT", f"{STATEMENTS}/job", stale)
    assert conflict.status == 409 and conflict.error["status"] == "409"
    running["spec"]["stopped"] = True
    accepted = client.call("PUT", f"{STATEMENTS}/job", running)
    assert (accepted.status, accepted.body, accepted.headers["content-length"]) == (202, b"", "0")
    stopping = client.get("job").json()
    assert stopping["spec"]["stopped"] is True and stopping["status"]["phase"] in ("STOPPING", "STOPPED")
    stopped = client.wait_for_phase("job", "STOPPED")
    stopped["spec"]["stopped"] = False
    stopped["spec"]["principal"] = "sa-new"
    assert client.call("PUT", f"{STATEMENTS}/job", stopped).status == 202
    resumed = client.wait_for_phase("job", "RUNNING")
    assert resumed["spec"]["principal"] == "sa-new" and resumed["spec"]["stopped"] is False


def test_put_cannot_change_the_sql_or_resume_a_select(client):
    statement = client.create("immutable", "SELECT 1").json()
    statement["spec"]["statement"] = "SELECT 2"
    answer = client.call("PUT", f"{STATEMENTS}/immutable", statement)
    assert answer.status == 422 and answer.error["source"]["pointer"] == "/spec/statement"
    client.create("query", "SELECT * FROM `skyone_avro`")
    running = client.wait_for_phase("query", "RUNNING")
    client.call("PUT", f"{STATEMENTS}/query", running | {"spec": running["spec"] | {"stopped": True}})
    stopped = client.wait_for_phase("query", "STOPPED")
    answer = client.call("PUT", f"{STATEMENTS}/query", stopped | {"spec": stopped["spec"] | {"stopped": False}})
    assert answer.status == 422


def test_put_and_get_of_a_missing_statement_are_404(client):
    assert client.get("ghost").status == 404
    assert client.call("PUT", f"{STATEMENTS}/ghost", {"name": "ghost", "metadata": {"resource_version": "v1"},
                                                       "spec": {"stopped": True}}).status == 404


def test_delete_passes_through_deleting_then_404(stepped, clock):
    client = Client(stepped.base_url)
    stepped.set_phase_delays(deleting=0.3)
    client.create("doomed", "SELECT 1")
    answer = client.call("DELETE", f"{STATEMENTS}/doomed")
    assert (answer.status, answer.body) == (202, b"")
    clock.advance(0.29)
    assert client.get("doomed").json()["status"]["phase"] == "DELETING"
    clock.advance(0.02)
    assert client.get("doomed").status == 404
    assert client.call("DELETE", f"{STATEMENTS}/doomed").status == 404


# ---- carry-over offsets --------------------------------------------------------------------------
def test_carry_over_statement_waits_for_the_old_one_to_stop(client):
    client.create("ddl", SINK_DDL)
    client.wait_for_phase("ddl", "COMPLETED")
    client.create("job-v1", SINK_INSERT)
    v1 = client.wait_for_phase("job-v1", "RUNNING")
    client.create("job-v2", SINK_INSERT, {"sql.tables.initial-offset-from": "job-v1"})
    time.sleep(0.2)
    assert client.get("job-v2").json()["status"]["phase"] == "PENDING"
    client.call("PUT", f"{STATEMENTS}/job-v1", v1 | {"spec": v1["spec"] | {"stopped": True}})
    client.wait_for_phase("job-v2", "RUNNING")
    assert client.get("job-v1").json()["status"]["phase"] == "STOPPED"


def test_carry_over_from_a_missing_statement_fails(client):
    client.create("ddl", SINK_DDL)
    client.wait_for_phase("ddl", "COMPLETED")
    client.create("job-v3", SINK_INSERT, {"sql.tables.initial-offset-from": "job-v0"})
    assert "'job-v0'" in client.wait_for_phase("job-v3", "FAILED")["status"]["detail"]


# ---- names ---------------------------------------------------------------------------------------
def test_the_name_of_a_deleting_statement_is_taken_and_free_again_once_it_is_gone(emulator, client):
    emulator.set_phase_delays(deleting=60)  # stays DELETING for the whole test
    client.create("going", "SELECT 1")
    assert client.call("DELETE", f"{STATEMENTS}/going").status == 202
    assert client.get("going").json()["status"]["phase"] == "DELETING"
    answer = client.create("going", "SELECT 2")
    assert answer.status == 409 and answer.error["code"] == "resource_already_exists"
    assert answer.headers["location"].endswith(f"{STATEMENTS}/going")
    assert emulator.statements["going"]["spec"]["statement"] == "SELECT 1"

    emulator.set_phase_delays(deleting=0)
    first = client.create("reused", "SELECT 1").json()
    client.call("DELETE", f"{STATEMENTS}/reused")
    wait_until_gone(client, "reused")
    again = client.create("reused", "SELECT 2")
    assert again.status == 201 and again.json()["metadata"]["uid"] != first["metadata"]["uid"]
    assert client.wait_for_phase("reused", "COMPLETED")["spec"]["statement"] == "SELECT 2"


def wait_until_gone(client: Client, name: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while client.get(name).status != 404:
        assert time.monotonic() < deadline, f"{name} is still there"
        time.sleep(0.02)


# ---- offsets: where each start reads from ----------------------------------------------------------
INSTANT = {"pending": 0, "completing": 0, "stopping": 0, "deleting": 0}
PIPELINE = {"user.confluent.io/pipeline": "flights"}


@pytest.fixture
def instant():
    """Every transition is due at once: applied by the next call, so phases are deterministic."""
    with ConfluentEmulator(ORG, ENV, KEY, SECRET, phase_delays=INSTANT) as running:
        client = Client(running.base_url)
        client.create("sink-ddl", SINK_DDL)
        client.wait_for_phase("sink-ddl", "COMPLETED", timeout=10)
        yield running, client


def put_stopped(client: Client, name: str, stopped: bool) -> None:
    statement = client.get(name).json()
    answer = client.call("PUT", f"{STATEMENTS}/{name}", statement | {"spec": statement["spec"] | {"stopped": stopped}})
    assert answer.status == 202, answer.body


def test_a_fresh_statement_starts_from_the_earliest_offsets(instant):
    emulator, client = instant
    client.create("job-v1", SINK_INSERT, labels=PIPELINE)
    client.create("other", SINK_INSERT, labels={"user.confluent.io/pipeline": "other"})
    client.wait_for_phase("job-v1", "RUNNING", timeout=10)
    client.wait_for_phase("other", "RUNNING", timeout=10)
    assert emulator.starts("job-v1") == [{"from": "earliest", "predecessor": None}]
    assert emulator.fresh_starts(PIPELINE) == ["job-v1"]
    assert emulator.fresh_starts({}) == ["job-v1", "other"]
    assert emulator.fresh_starts(PIPELINE | {"user.confluent.io/statement-id": "x"}) == []
    assert emulator.starts("sink-ddl") == [] and emulator.starts("never-created") == []


def test_carry_over_then_stop_and_resume_read_nothing_twice(instant):
    emulator, client = instant
    client.create("job-v1", SINK_INSERT, labels=PIPELINE)
    client.wait_for_phase("job-v1", "RUNNING", timeout=10)
    client.create("job-v2", SINK_INSERT, {"sql.tables.initial-offset-from": "job-v1"}, labels=PIPELINE)
    assert client.get("job-v2").json()["status"]["phase"] == "PENDING"  # waits for job-v1 to stop
    assert emulator.starts("job-v2") == []
    put_stopped(client, "job-v1", True)
    client.wait_for_phase("job-v2", "RUNNING", timeout=10)
    assert emulator.starts("job-v2") == [{"from": "carry-over", "predecessor": "job-v1"}]

    put_stopped(client, "job-v2", True)
    client.wait_for_phase("job-v2", "STOPPED", timeout=10)
    put_stopped(client, "job-v2", False)
    client.wait_for_phase("job-v2", "RUNNING", timeout=10)
    assert emulator.starts("job-v2") == [{"from": "carry-over", "predecessor": "job-v1"},
                                         {"from": "own-offsets", "predecessor": None}]
    assert emulator.starts("job-v1") == [{"from": "earliest", "predecessor": None}]
    assert emulator.fresh_starts(PIPELINE) == ["job-v1"]


def test_a_resumed_statement_goes_on_from_its_own_offsets_whatever_its_predecessor_does(instant):
    emulator, client = instant
    client.create("job-v1", SINK_INSERT)
    client.wait_for_phase("job-v1", "RUNNING", timeout=10)
    client.create("job-v2", SINK_INSERT, {"sql.tables.initial-offset-from": "job-v1"})
    put_stopped(client, "job-v1", True)
    client.wait_for_phase("job-v2", "RUNNING", timeout=10)
    put_stopped(client, "job-v2", True)
    client.wait_for_phase("job-v2", "STOPPED", timeout=10)
    put_stopped(client, "job-v1", False)  # the predecessor runs again...
    client.wait_for_phase("job-v1", "RUNNING", timeout=10)
    put_stopped(client, "job-v2", False)  # ...which a resume does not wait for
    client.wait_for_phase("job-v2", "RUNNING", timeout=10)
    put_stopped(client, "job-v2", True)
    client.wait_for_phase("job-v2", "STOPPED", timeout=10)
    client.call("DELETE", f"{STATEMENTS}/job-v1")  # nor does it need the predecessor to exist
    wait_until_gone(client, "job-v1")
    put_stopped(client, "job-v2", False)
    client.wait_for_phase("job-v2", "RUNNING", timeout=10)
    assert [start["from"] for start in emulator.starts("job-v2")] == ["carry-over", "own-offsets", "own-offsets"]
    assert emulator.starts("job-v1") == [{"from": "earliest", "predecessor": None},
                                         {"from": "own-offsets", "predecessor": None}]


def test_carry_over_from_a_statement_that_never_ran_is_still_a_carry_over(instant):
    emulator, client = instant
    emulator.exhaust_pool(r"^job-v1$")
    client.create("job-v1", SINK_INSERT)
    client.create("job-v2", SINK_INSERT, {"sql.tables.initial-offset-from": "job-v1"})
    assert client.get("job-v1").json()["status"]["scaling_status"]["scaling_state"] == "POOL_EXHAUSTED"
    put_stopped(client, "job-v1", True)
    client.wait_for_phase("job-v2", "RUNNING", timeout=10)
    assert emulator.starts("job-v1") == []
    assert emulator.starts("job-v2") == [{"from": "carry-over", "predecessor": "job-v1"}]
    assert emulator.fresh_starts({}) == []


def test_starts_of_a_deleted_statement_are_kept_and_a_reused_name_adds_to_them(instant):
    emulator, client = instant
    client.create("job", SINK_INSERT, labels=PIPELINE)
    client.wait_for_phase("job", "RUNNING", timeout=10)
    client.call("DELETE", f"{STATEMENTS}/job")
    wait_until_gone(client, "job")
    assert emulator.fresh_starts(PIPELINE) == ["job"]
    client.create("job", SINK_INSERT, labels=PIPELINE)
    client.wait_for_phase("job", "RUNNING", timeout=10)
    assert emulator.starts("job") == [{"from": "earliest", "predecessor": None}] * 2  # read twice


# ---- carry-over refused for a stateful query --------------------------------------------------------
COUNTS_DDL = "CREATE TABLE `counts` (`airport` STRING, `flights` BIGINT)"
COUNTS_INSERT = ("INSERT INTO `counts` SELECT `departure_airport_code`, COUNT(*) FROM `skyone_avro` "
                 "GROUP BY `departure_airport_code`")


def refusal(name: str, predecessor: str, feature: str) -> str:
    return (f"Carry-over offsets ('sql.tables.initial-offset-from' = '{predecessor}') are not supported for "
            f"statement '{name}': only stateless statements can carry offsets over, and this one uses {feature}.")


def test_a_stateful_query_with_carry_over_fails_once_its_predecessor_stopped_and_leaves_it_stopped(instant):
    emulator, client = instant
    client.create("counts-ddl", COUNTS_DDL)
    client.wait_for_phase("counts-ddl", "COMPLETED", timeout=10)
    client.create("job-v1", SINK_INSERT)
    client.wait_for_phase("job-v1", "RUNNING", timeout=10)
    client.create("counts-v2", COUNTS_INSERT, {"sql.tables.initial-offset-from": "job-v1"})
    assert client.get("counts-v2").json()["status"]["phase"] == "PENDING"  # waits like any carry-over
    put_stopped(client, "job-v1", True)
    failed = client.wait_for_phase("counts-v2", "FAILED", timeout=10)
    detail = refusal("counts-v2", "job-v1", "an aggregate function COUNT")
    assert failed["status"]["detail"] == detail
    exceptions = client.call("GET", f"{STATEMENTS}/counts-v2/exceptions").json()["data"]
    assert [e["message"] for e in exceptions] == [detail]
    assert client.get("job-v1").json()["status"]["phase"] == "STOPPED"  # left as it was
    assert emulator.starts("counts-v2") == []
    put_stopped(client, "job-v1", False)  # the deployer's way back: resume the predecessor
    client.wait_for_phase("job-v1", "RUNNING", timeout=10)
    assert emulator.starts("job-v1")[-1] == {"from": "own-offsets", "predecessor": None}


def test_the_same_stateful_query_without_carry_over_runs_from_the_earliest_offsets(instant):
    emulator, client = instant
    client.create("counts-ddl", COUNTS_DDL)
    client.wait_for_phase("counts-ddl", "COMPLETED", timeout=10)
    client.create("counts-fresh", COUNTS_INSERT)
    client.wait_for_phase("counts-fresh", "RUNNING", timeout=10)
    assert emulator.starts("counts-fresh") == [{"from": "earliest", "predecessor": None}]


def test_a_dry_run_of_a_stateful_carry_over_is_refused_at_once(instant):
    _, client = instant
    client.create("counts-ddl", COUNTS_DDL)
    client.wait_for_phase("counts-ddl", "COMPLETED", timeout=10)
    client.create("job-v1", SINK_INSERT)
    client.wait_for_phase("job-v1", "RUNNING", timeout=10)  # running: a real start would wait
    answer = client.create("counts-dry", COUNTS_INSERT,
                           {"sql.dry-run": "true", "sql.tables.initial-offset-from": "job-v1"})
    status = answer.json()["status"]
    assert status["phase"] == "FAILED"
    assert status["detail"] == refusal("counts-dry", "job-v1", "an aggregate function COUNT")
    assert client.get("job-v1").json()["status"]["phase"] == "RUNNING"
    plain = client.create("counts-dry-plain", COUNTS_INSERT, {"sql.dry-run": "true"}).json()["status"]
    assert plain["phase"] == "COMPLETED"
    stateless = client.create("job-dry", SINK_INSERT,
                              {"sql.dry-run": "true", "sql.tables.initial-offset-from": "job-v1"}).json()["status"]
    assert stateless["phase"] == "COMPLETED"


def test_carry_over_into_an_upsert_sink_is_refused(instant):
    emulator, client = instant
    client.create("keyed-ddl", "CREATE TABLE `keyed` (`k` STRING, `v` STRING, PRIMARY KEY (`k`) NOT ENFORCED)")
    client.wait_for_phase("keyed-ddl", "COMPLETED", timeout=10)
    emulator.define_table("defined_upsert", [("k", "STRING"), ("v", "STRING")], changelog_mode="upsert")
    for table in ("keyed", "defined_upsert"):
        sql = f"INSERT INTO `{table}` SELECT `flight_number`, `aircraft` FROM `skyone_avro`"
        status = client.create(f"into-{table.replace('_', '-')}", sql,
                               {"sql.dry-run": "true", "sql.tables.initial-offset-from": "v1"}).json()["status"]
        assert status["detail"] == refusal(f"into-{table.replace('_', '-')}", "v1", f"an upsert sink ('{table}')")
    appended = client.create("appended-ddl", "CREATE TABLE `appended` (`k` STRING, PRIMARY KEY (`k`) NOT ENFORCED) "
                                             "WITH ('changelog.mode' = 'append')")
    assert appended.status == 201
    client.wait_for_phase("appended-ddl", "COMPLETED", timeout=10)
    status = client.create("into-appended", "INSERT INTO `appended` SELECT `flight_number` FROM `skyone_avro`",
                           {"sql.dry-run": "true", "sql.tables.initial-offset-from": "v1"}).json()["status"]
    assert status["phase"] == "COMPLETED"
    with pytest.raises(ValueError):
        emulator.define_table("x", [("a", "INT")], changelog_mode="changelog")


from e2e.peers.confluent_sql import analyze  # noqa: E402


@pytest.mark.parametrize("sql, feature", [
    ("INSERT INTO t SELECT a FROM s GROUP BY a", "GROUP BY"),
    ("INSERT INTO t SELECT a, COUNT(*) FROM s GROUP BY a", "an aggregate function COUNT"),
    ("INSERT INTO t SELECT SUM(x) FROM s", "an aggregate function SUM"),
    ("INSERT INTO t SELECT a, ROW_NUMBER() OVER (PARTITION BY a ORDER BY ts) FROM s", "OVER"),
    ("INSERT INTO t SELECT * FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE))", "a TUMBLE window"),
    ("INSERT INTO t SELECT * FROM TABLE(hop(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))",
     "a HOP window"),
    ("INSERT INTO t SELECT * FROM s MATCH_RECOGNIZE (PARTITION BY a ORDER BY ts MEASURES A.b AS b "
     "PATTERN (A) DEFINE A AS A.b > 0)", "MATCH_RECOGNIZE"),
    ("INSERT INTO t SELECT LAG(a) OVER (ORDER BY ts) FROM s", "LAG"),
    ("INSERT INTO t SELECT DISTINCT a FROM s", "SELECT DISTINCT"),
    ("INSERT INTO t SELECT a FROM s UNION SELECT a FROM u", "UNION without ALL"),
    ("INSERT INTO t SELECT a FROM s JOIN u ON s.k = u.k", "a JOIN"),
    ("EXECUTE STATEMENT SET BEGIN INSERT INTO t SELECT a FROM s; INSERT INTO u SELECT MAX(a) FROM s; END",
     "an aggregate function MAX"),
    ("CREATE TABLE t AS SELECT a, COUNT(*) AS n FROM s GROUP BY a", "an aggregate function COUNT"),
    # stateless: projections, filters, UNION ALL, UNNEST, and the words only in strings, comments,
    # back-quoted names, or not called
    ("INSERT INTO t SELECT a FROM s WHERE a IS NOT NULL UNION ALL SELECT a FROM u", None),
    ("INSERT INTO t SELECT 'GROUP BY', `count`, count, `sum`(x) FROM s -- GROUP BY a\n", None),
    ("INSERT INTO t /* SELECT COUNT(*) */ SELECT a FROM s WHERE a IS DISTINCT FROM b", None),
    ("INSERT INTO t SELECT a, x FROM s CROSS JOIN UNNEST(s.arr) AS u (x)", None),
    ("INSERT INTO t SELECT a, x FROM s, LATERAL TABLE(split(a)) AS u (x)", None),
    ("CREATE TABLE `count` (`a` STRING)", None),
])
def test_stateful_feature_is_the_first_stateful_construct_outside_literals(sql, feature):
    assert analyze(sql).stateful_feature == feature


# ---- status.warnings ---------------------------------------------------------------------------------
def test_warnings_appear_once_a_matching_statement_runs_and_only_when_there_are_some(instant):
    emulator, client = instant
    emulator.warn(r"^job-")
    created = client.create("job-1", SINK_INSERT).json()
    assert created["status"]["phase"] == "PENDING" and "warnings" not in created["status"]
    running = client.wait_for_phase("job-1", "RUNNING", timeout=10)
    [warning] = running["status"]["warnings"]
    assert set(warning) == {"severity", "created_at", "reason", "message"}
    assert (warning["severity"], warning["reason"]) == ("MODERATE", "MISSING_WINDOW_START_END")
    assert warning["message"] and warning["created_at"].endswith("Z")
    client.create("other", SINK_INSERT)
    assert "warnings" not in client.wait_for_phase("other", "RUNNING", timeout=10)["status"]
    put_stopped(client, "job-1", True)
    client.wait_for_phase("job-1", "STOPPED", timeout=10)
    put_stopped(client, "job-1", False)
    assert client.wait_for_phase("job-1", "RUNNING", timeout=10)["status"]["warnings"] == [warning]  # not twice
    listed = client.call("GET", f"{STATEMENTS}?page_size=100").json()["data"]
    assert [s["name"] for s in listed if "warnings" in s["status"]] == ["job-1"]


def test_warnings_by_sql_with_custom_fields_also_on_dry_runs(instant):
    emulator, client = instant
    emulator.warn(sql_regex=r"skyone_avro", reason="STATE_TTL_NOT_SET", message="State grows without a TTL.",
                  severity="LOW")
    emulator.warn(sql_regex=r"skyone_avro", reason="SOMETHING_NEW", message="Another.", severity="SEVERE")
    status = client.create("dry", SINK_INSERT, {"sql.dry-run": "true"}).json()["status"]
    assert status["phase"] == "COMPLETED"
    assert [(w["severity"], w["reason"], w["message"]) for w in status["warnings"]] == [
        ("LOW", "STATE_TTL_NOT_SET", "State grows without a TTL."), ("SEVERE", "SOMETHING_NEW", "Another.")]
    assert "warnings" not in client.create("ddl-dry", SINK_DDL, {"sql.dry-run": "true"}).json()["status"]
    missing = client.create("dry-missing", "SELECT * FROM `nowhere` JOIN `skyone_avro` ON TRUE",
                            {"sql.dry-run": "true"}).json()["status"]
    assert missing["phase"] == "FAILED" and "warnings" not in missing  # not past validation


# ---- catalog: CREATE TABLE column lists and table_columns ---------------------------------------------
def test_create_table_keeps_map_and_nested_row_columns_whole(instant):
    emulator, client = instant
    ddl = ("CREATE TABLE `nested` (`tags` MAP<STRING, INT>, `route` ROW<`from` STRING, `legs` "
           "ARRAY<ROW<x INT, y STRING>>, `fare` DECIMAL(10, 2)> NOT NULL COMMENT 'the route', "
           "`is_long` AS `fare` > 100 AND `fare` < 1000, `id` STRING, "
           "PRIMARY KEY (`id`) NOT ENFORCED) WITH ('changelog.mode' = 'append')")
    client.create("nested-ddl", ddl)
    client.wait_for_phase("nested-ddl", "COMPLETED", timeout=10)
    assert emulator.table_columns("nested") == [
        ("tags", "MAP<STRING, INT>"),
        ("route", "ROW<`from` STRING, `legs` ARRAY<ROW<x INT, y STRING>>, `fare` DECIMAL(10, 2)> NOT NULL"),
        ("id", "STRING"),
        ("$rowtime", "TIMESTAMP_LTZ(3) NOT NULL"),
    ]
    columns = client.create("nested-schema", "SELECT * FROM `nested`",
                            {"sql.dry-run": "true"}).json()["status"]["traits"]["schema"]["columns"]
    assert columns[0]["type"] == {"type": "MAP", "nullable": True,
                                  "key_type": {"type": "VARCHAR", "nullable": True, "length": 2147483647},
                                  "value_type": {"type": "INTEGER", "nullable": True}}
    route = columns[1]["type"]
    assert route["nullable"] is False and [f["name"] for f in route["fields"]] == ["from", "legs", "fare"]
    assert route["fields"][1]["field_type"]["element_type"]["fields"][1] == {
        "name": "y", "field_type": {"type": "VARCHAR", "nullable": True, "length": 2147483647}}


def test_table_columns_of_given_defined_and_created_tables(instant):
    emulator, client = instant
    assert emulator.table_columns("skyone_avro") == list(KICKSTARTER_AIRLINE_COLUMNS)
    emulator.define_table("evolving", [("a", "STRING")])
    emulator.define_table("evolving", [("a", "STRING"), ("b", "INT")])
    assert emulator.table_columns("evolving") == [("a", "STRING"), ("b", "INT")]
    for catalog in ("c1", "c2"):
        client.create(f"t-in-{catalog}", f"CREATE TABLE `{catalog}`.`d`.`twice` (`{catalog}` STRING)")
        client.wait_for_phase(f"t-in-{catalog}", "COMPLETED", timeout=10)
    assert emulator.table_columns("twice", catalog="c2")[0] == ("c2", "STRING")
    with pytest.raises(ValueError):
        emulator.table_columns("twice")
    with pytest.raises(KeyError):
        emulator.table_columns("absent")


# ---- fault knobs ---------------------------------------------------------------------------------
def test_fail_next_429_with_retry_after_is_not_processed(emulator, client):
    emulator.fail_next("POST", r"/statements$", 429, retry_after=2)
    answer = client.create("limited", "SELECT 1")
    assert (answer.status, answer.headers["retry-after"], answer.body) == (429, "2", b"")
    assert "limited" not in emulator.statements
    assert client.create("limited", "SELECT 1").status == 201


def test_fail_next_5xx_answers_a_failure_body_times_times(emulator, client):
    emulator.fail_next("GET", r"/statements/x$", 503, times=2)
    answers = [client.get("x") for _ in range(3)]
    assert [a.status for a in answers] == [503, 503, 404]
    assert answers[0].error["status"] == "503" and answers[0].error["detail"]


def test_fail_next_with_perform_creates_the_statement_but_answers_500(emulator, client):
    emulator.fail_next("POST", r"/statements$", 500, perform=True, body={"errors": [{"detail": "boom"}]})
    answer = client.create("half-done", "SELECT 1")
    assert answer.status == 500 and answer.error == {"detail": "boom"}
    assert client.get("half-done").status == 200


def test_slow_next_delays_the_answer_after_performing_the_request(emulator, client):
    emulator.slow_next("POST", r"/statements$", 10)  # far past the client's 0.1 s, however busy the machine
    with pytest.raises(TimeoutError):
        client.call("POST", STATEMENTS, {"name": "slow", "spec": {"statement": "SELECT 1"}}, timeout=0.1)
    assert client.get("slow").status == 200
    emulator.slow_next("GET", r"/slow$", 0.2)
    started = time.monotonic()
    assert client.get("slow").status == 200 and time.monotonic() - started >= 0.2  # a lower bound


def test_lost_create_response_still_creates_the_statement(emulator, client):
    emulator.lose_next_create_response()
    with pytest.raises(http.client.RemoteDisconnected):
        client.create("lost", "SELECT 1")
    assert client.get("lost").status == 200
    assert emulator.requests[0].status is None
    assert client.create("lost", "SELECT 1").status == 409


def test_fail_statement_when_created_sets_detail_and_exceptions(emulator, client):
    emulator.fail_statement_when_created(r"^combined-", "CFU limit exceeded",
                                         exceptions=["first", ("org.example.Boom", "second")])
    client.create("combined-1", "SELECT 1")
    client.create("other-1", "SELECT 1")
    assert client.wait_for_phase("combined-1", "FAILED")["status"]["detail"] == "CFU limit exceeded"
    data = client.call("GET", f"{STATEMENTS}/combined-1/exceptions").json()["data"]
    assert [(e["name"], e["message"]) for e in data] == [("java.lang.RuntimeException", "first"),
                                                         ("org.example.Boom", "second")]
    client.wait_for_phase("other-1", "COMPLETED")


def test_fail_statement_by_sql_regex_once(emulator, client):
    emulator.fail_statement_when_created(sql_regex=r"SELECT 42", detail="nope", times=1)
    client.create("a", "SELECT 42")
    client.create("b", "SELECT 42")
    assert client.wait_for_phase("a", "FAILED")["status"]["detail"] == "nope"
    client.wait_for_phase("b", "COMPLETED")


def test_degrade_and_exhaust_pool(emulator, client):
    emulator.degrade(r"^sick$")
    emulator.exhaust_pool(r"^starved$")
    client.create("sick", "SELECT * FROM `skyone_avro`")
    client.create("starved", "SELECT * FROM `skyone_avro`")
    assert client.wait_for_phase("sick", "DEGRADED")["status"]["detail"]
    time.sleep(0.2)
    starved = client.get("starved").json()["status"]
    assert starved["phase"] == "PENDING" and starved["scaling_status"]["scaling_state"] == "POOL_EXHAUSTED"


def test_set_phase_delays_per_transition_and_kind(stepped, clock):
    client = Client(stepped.base_url)
    stepped.set_phase_delays({"pending.SELECT": 0.5}, completing=0.0)
    client.create("slow-select", "SELECT 1")
    client.create("fast-ddl", "CREATE TABLE `t2` (`a` INT)")
    clock.advance(FAST["pending"])
    assert client.get("fast-ddl").json()["status"]["phase"] == "COMPLETED"
    assert client.get("slow-select").json()["status"]["phase"] == "PENDING"
    clock.advance(0.5)
    assert client.get("slow-select").json()["status"]["phase"] == "COMPLETED"
    with pytest.raises(ValueError):
        stepped.set_phase_delays(bogus=1)


def test_requests_are_logged_with_lower_cased_headers(emulator, client):
    client.create("logged", "SELECT 1")
    client.call("GET", f"{STATEMENTS}?page_size=5")
    first, second = emulator.requests
    assert (first.method, first.path, first.status) == ("POST", STATEMENTS, 201)
    assert first.headers["authorization"] == client.authorization and first.json()["name"] == "logged"
    assert second.query == {"page_size": "5"} and second.request_id
    assert emulator.count_requests("POST", r"/statements$") == 1
    assert emulator.count_requests("*", r"/statements") == 2



def test_body_regex_narrows_fail_next_to_matching_bodies(emulator, client):
    emulator.fail_next("POST", r"/statements$", 503, body_regex=r'"name": "target"')
    assert client.create("bystander", "SELECT 1").status == 201
    assert client.create("target", "SELECT 1").status == 503
    assert client.create("target", "SELECT 1").status == 201


def test_lose_next_performs_any_method_and_drops_the_answer(emulator, client):
    client.create("to-delete", "SELECT 1")
    emulator.lose_next("DELETE", r"/to-delete$")
    with pytest.raises(http.client.RemoteDisconnected):
        client.call("DELETE", f"{STATEMENTS}/to-delete")
    assert client.get("to-delete").json()["status"]["phase"] == "DELETING"
    assert emulator.requests[-2].status is None and emulator.requests[-2].at > 0


def test_reset_next_performs_then_resets_halfway(emulator, client):
    emulator.reset_next("POST", r"/statements$")
    with pytest.raises((ConnectionResetError, http.client.HTTPException)):
        client.create("half-sent", "SELECT 1")
    assert client.get("half-sent").status == 200


def test_truncate_next_sends_less_body_than_announced(emulator, client):
    client.create("short", "SELECT 1")
    emulator.truncate_next("GET", r"/short$")
    with pytest.raises(http.client.IncompleteRead):
        client.get("short")
    emulator.truncate_next("DELETE", r"/short$")  # an empty answer still announces 16 bytes
    with pytest.raises(http.client.IncompleteRead):
        client.call("DELETE", f"{STATEMENTS}/short")
    assert client.get("short").json()["status"]["phase"] == "DELETING"


def test_refuse_after_stops_listening_until_listen_again(emulator, client):
    client.create("first", "SELECT 1")
    client.create("second", "SELECT 1")
    emulator.refuse_after("GET", r"/statements/(first|second)$", None, skip=1, answer_regex=r'"second"')
    assert client.get("first").status == 200  # the answer does not match
    assert client.get("second").status == 200  # skipped
    answer = client.get("second")
    assert answer.status == 200 and answer.headers["connection"] == "close"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((client.host, client.port), timeout=1)
    emulator.listen_again()
    assert client.get("first").status == 200
    assert emulator.count_requests("GET", r"/statements/") == 4


def wait_until_listening(client: Client, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((client.host, client.port), timeout=1).close()
            return
        except ConnectionRefusedError:
            assert time.monotonic() < deadline, "never listened again"
            time.sleep(0.01)


def test_refuse_after_seconds_listens_again_by_itself(emulator, client):
    client.create("first", "SELECT 1")
    emulator.refuse_after("GET", r"/statements/first$", 0.1)
    assert client.get("first").headers["connection"] == "close"
    wait_until_listening(client)
    assert client.get("first").status == 200


def test_refuse_next_drops_the_request_unperformed_and_refuses_a_re_send(emulator, client):
    emulator.refuse_next("POST", r"/statements$", None, body_regex=r'"name": "refused"')
    assert client.create("accepted", "SELECT 1").status == 201
    with pytest.raises(http.client.RemoteDisconnected):
        client.create("refused", "SELECT 1")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((client.host, client.port), timeout=1)
    emulator.listen_again()
    assert client.get("refused").status == 404  # not performed
    assert client.create("refused", "SELECT 1").status == 201
    assert [r.status for r in emulator.requests] == [201, None, 404, 201]


def test_refuse_next_for_seconds_listens_again_by_itself(emulator, client):
    emulator.refuse_next("GET", r"/statements$", 0.1)
    with pytest.raises(http.client.RemoteDisconnected):
        client.call("GET", STATEMENTS)
    wait_until_listening(client)
    assert client.call("GET", STATEMENTS).status == 200

# ---- standalone --------------------------------------------------------------------------------
def test_cli_prints_the_base_url_and_stops_on_sigterm():
    process = subprocess.Popen([sys.executable, "-m", "e2e.peers.confluent", "--org", ORG, "--env", ENV, "--key", KEY,
                                "--secret", SECRET, "--phase-delay", "pending=0.01"],
                               stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    try:
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert Client(base_url).call("GET", STATEMENTS).status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
        process.wait()


# ---- column types: the wire shape shared with the Swift client ---------------------------------
from e2e.peers.confluent_sql import SqlError, parse_type  # noqa: E402  (kept with the tests that use it)

# The same cases Tests/TableAPITests and Tests/ConfluentTests read: the emulator must write every
# type the way the Swift client reads it, for the rendering and for every other spelling.
DATA_TYPE_CASES = json.loads((Path(__file__).parents[2] / "Tests" / "Fixtures" / "data-types.json").read_text())


def test_the_data_type_fixture_has_enough_cases():
    assert len(DATA_TYPE_CASES) >= 40


@pytest.mark.parametrize("case", DATA_TYPE_CASES, ids=lambda case: case["sql"])
def test_column_types_render_as_the_shared_fixture_says(case):
    assert parse_type(case["sql"]) == case["confluent"]
    for alias in case["aliases"]:
        assert parse_type(alias) == case["confluent"], alias


@pytest.mark.parametrize("text", ["", "TEXT", "ARRAY<INT", "ARRAY INT", "MAP<STRING>", "MAP<STRING, INT, INT>", "ROW<a>",
                                  "ROW<a INT,>", "ROW a INT", "ROW<'a' INT>", "DECIMAL(1, 2, 3)", "INTERVAL",
                                  "INTERVAL WEEK", "INTERVAL YEAR TO DAY", "INTERVAL HOUR TO HOUR", "INT NOT"])
def test_malformed_column_types_are_rejected(text):
    with pytest.raises(SqlError, match="Unsupported column type"):
        parse_type(text)
