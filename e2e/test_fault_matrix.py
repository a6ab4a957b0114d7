"""The fault matrix: every external call of the real executable against every transport and HTTP
fault, one test per cell (docs/fault-matrix.md is the table of these cells and their results).

Calls: the Lambda Runtime API (GET /next, POST /response, POST /error); Secrets Manager
GetSecretValue (AWS_ENDPOINT_URL points the function at the scripted fault peer, e2e/peers/scripted.py, which
does not check signatures); SSM GetParametersByPath (the `kafka-properties` subcommand, AWS_ENDPOINT_URL_SSM
at the fault server, Secrets Manager still moto); and every Confluent statements API call the
deployer makes (POST for dry runs and for real statements, GET one, GET the list, PUT, DELETE of a
dry run, GET the exceptions), through the Confluent emulator's fault knobs.

Faults: connection refused, reset mid-response, slow headers past the timeout (the Lambda deadline
is made shorter than the 30 s / 10 s attempt timeouts, so that it cuts the attempt), truncated body,
invalid JSON, 429 with and without Retry-After, 500, 502, 503, 401, 403, and a lost answer to a
request that took effect.

No cell depends on how fast the machine is: a peer that must be slow is slower than any deadline
used, deadlines leave the product seconds for what it does before the faulted call, a refusal ends
when the client has logged it (not after a guessed time), and a bound on time that is the
behaviour under test (the runtime exits promptly; Retry-After is honoured) is generous and says so.

Every cell checks, besides its own expected outcome: the invocation completed before its Lambda
deadline (CLI: before --timeout), no statement of the pipeline exists twice, no secret (the Flink
API secret, its Basic credentials, the AWS secret access key, the Kafka password, the SSM
SecureString) is in any output even at DEBUG level, and the fault really reached the client (the curl error or the status is in the
DEBUG log, or the emulator recorded it). A cell where the product misbehaves is a strict xfail
naming the bug.

`python3 -m e2e.test_fault_matrix` prints the matrix as Markdown tables (for docs/fault-matrix.md).
"""
from __future__ import annotations

import base64
import json
import re
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e.conftest import RunningFunction, confluent_for, refusing_port, run_cli
from e2e.peers import moto_peer
from e2e.peers.runtime_api import RuntimeAPIEmulator
from e2e.peers.scripted import FaultServer

EVENT = {"catalog_name": "flight_env", "database_name": "flight_cluster", "ccaf_secrets_path": moto_peer.CCAF_SECRET_NAME}
INVALID_EVENT = {"catalog_name": "flight_env", "database_name": "flight_cluster"}  # -> Function.InvalidEvent
DELETE_EVENT = {**EVENT, "tf": {"action": "delete", "prev_input": EVENT}}
FLINK_SECRET = moto_peer.CCAF_SECRET["flink.api.secret"]
BASIC_CREDENTIALS = base64.b64encode(f"{moto_peer.CCAF_SECRET['flink.api.key']}:{FLINK_SECRET}".encode()).decode()
KAFKA_PASSWORD = "kafka-pw-Xy7$secret"  # in moto_peer.KAFKA_SECRET's sasl.jaas.config
SSM_SECURE_VALUE = "ssm-Secure-Fault-Matrix-9#value"
SECRETS = [FLINK_SECRET, BASIC_CREDENTIALS, KAFKA_PASSWORD, SSM_SECURE_VALUE]  # + moto's secret access key

NORMAL_TIMEOUT_MS = 20_000  # long enough for every retry schedule (Confluent: 6 attempts, <= 7.75 s of pauses)
# The deployer stops 2 s before the Lambda deadline: at 6 s, inside the 10 s (AWS) and 30 s (Confluent)
# attempt timeouts, and seconds after the calls before the slow one, however busy the machine.
SLOW_TIMEOUT_MS = 8_000
SLOW_SECONDS = 30  # how late a "slow" peer answers: past every deadline used here
# How long after the faulted POST the runtime must have exited, where exiting promptly is the behaviour
# under test. It exits in milliseconds; the bound is an upper one, so it is generous enough for a busy
# machine, and far below what a runtime that retried or waited (NORMAL_TIMEOUT_MS) would take.
PROMPT_EXIT_SECONDS = 5.0
# A "refused" Confluent cell: when the request arrives the emulator stops listening and closes its
# kept-alive connection unanswered, unperformed; libcurl re-sends it at once on a fresh connection,
# which is refused, so the product sees ECONNREFUSED for exactly that call (confluent.refuse_next).
# The emulator listens again once the product has logged the refusal (listen_again_once_refused):
# a fixed time would race with libcurl's re-send on one side and the jittered retries on the other.
# What the client logs (DEBUG) for each transport fault. A lost answer is not among them: on a
# kept-alive connection libcurl itself sends a request again, once, on a fresh connection
# ("Connection died, retrying a fresh connect"); the client sends creates on a fresh connection
# so that a lost create reaches its reconciliation instead.
CURL = {"refused": "curl error 7)", "reset": "curl error 56)", "slow": "curl error 28)", "truncated": "curl error 18)"}

STATEMENT = r"/statements/{}-[0-9a-f-]{{36}}$"
DRY = STATEMENT.format("flight-consolidator-dry")
DDL = STATEMENT.format("flight-consolidator-ddl")
INSERT = STATEMENT.format("flight-consolidator-insert")
COLLECTION = r"/statements$"
DRY_BODY = r'"sql\.dry-run":\s*"true".*sunset_avro'  # the second dry run: on a kept-alive connection
INSERT_BODY = r'"name":\s*"flight-consolidator-insert-'
INSERT_DETAIL = "The 'kafka.partitions' option is not supported"
INSERT_EXCEPTION = ("org.apache.flink.table.api.ValidationException", "Column 'x' not found in any table")
CONFLUENT_401 = {"errors": [{"id": "e401", "status": "401", "code": "user_unauthenticated", "title": "Authentication Required",
                             "detail": "The API key is not valid for this environment", "source": {}}]}
CONFLUENT_403 = {"errors": [{"id": "e403", "status": "403", "code": "forbidden", "title": "Forbidden",
                             "detail": "Principal 'sa-demo01' may not manage statements in 'env-demo01'", "source": {}}]}
NOT_JSON = '{"api_version": "sql/v1", "kind": "Statem'  # a success status with a body that is not JSON

FAULT_NAMES = {
    "refused": "connection refused (until the client has logged it)", "refused_for_good": "connection refused, for good (nothing listens at all)",
    "reset": "reset mid-response", "slow": "slow headers past the timeout", "truncated": "truncated body",
    "invalid_json": "invalid JSON", "429_retry_after": "429 with Retry-After: 1", "429": "429 without Retry-After",
    "500": "500", "502": "502", "503": "503", "401": "401", "403": "403",
    "lost": "lost answer to a request that took effect",
}


@dataclass(frozen=True)
class Expect:
    """What a cell must show. kind: "ok" (the call's scenario succeeds), "error" (this error type
    with these fragments in its message), "exit" (the runtime exits 1 promptly), "na"."""

    kind: str
    text: str
    error_type: str | None = None
    fragments: tuple[str, ...] = ()
    bug: str | None = None  # the product is wrong here: a strict xfail with this reason


def ok(text: str, bug: str | None = None) -> Expect:
    return Expect("ok", text, bug=bug)


def error(error_type: str, *fragments: str, text: str = "", bug: str | None = None) -> Expect:
    return Expect("error", text or f"`{error_type}`", error_type, fragments, bug)


def na(reason: str) -> Expect:
    return Expect("na", f"n/a: {reason}")


def cells(call: str, table: dict[str, Expect]):
    """pytest params for one call's row of faults; n/a cells are skipped with their reason."""
    params = []
    for fault, expect in table.items():
        marks = []
        if expect.kind == "na":
            marks.append(pytest.mark.skip(reason=expect.text))
        elif expect.bug:
            marks.append(pytest.mark.xfail(strict=True, reason=expect.bug))
        params.append(pytest.param(fault, expect, id=fault, marks=marks))
    MATRIX[call] = table
    return params


MATRIX: dict[str, dict[str, Expect]] = {}


@pytest.fixture(scope="module", autouse=True)
def aws_secret_key_is_a_secret(moto):
    SECRETS.append(moto.secret_access_key)
    yield
    SECRETS.remove(moto.secret_access_key)


# ---- shared checks ---------------------------------------------------------------------------------
def invoke(runtime_api, event=EVENT, timeout_ms=NORMAL_TIMEOUT_MS):
    invocation = runtime_api.invoke(event, timeout_ms=timeout_ms, wait_timeout=timeout_ms / 1000 + 15)
    assert invocation.completed_at - invocation.delivered_at < timeout_ms / 1000, "the Lambda deadline passed"
    return invocation


def assert_no_secret(*texts: str | bytes):
    for text in texts:
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        for secret in SECRETS:
            assert secret not in text, "a secret value is in the output"


def labelled(confluent, kind=None):
    return [statement for statement in confluent.statements.values()
            if statement["metadata"].get("labels", {}).get("user.confluent.io/pipeline") == "flight-consolidator"
            and (kind is None or statement["metadata"]["labels"].get("user.confluent.io/statement-kind") == kind)]


def assert_no_duplicate(confluent):
    """At most one DDL and one INSERT of the pipeline, whatever happened."""
    assert len(labelled(confluent, "ddl")) <= 1 and len(labelled(confluent, "insert")) <= 1, \
        [s["name"] for s in labelled(confluent)]


def body_of(invocation) -> dict:
    assert invocation.outcome == "response", invocation.body
    response = invocation.json()
    assert response["statusCode"] == 200
    return json.loads(response["body"])


def assert_error(invocation, expect: Expect):
    assert invocation.outcome == "error", invocation.body
    assert invocation.raw_error_type == expect.error_type, invocation.body
    message = invocation.json()["errorMessage"]
    for fragment in expect.fragments:
        assert fragment in message, (fragment, message)


def assert_created(invocation, confluent):
    body = body_of(invocation)
    assert body["action"] == "created", body
    assert len(labelled(confluent, "ddl")) == 1 and len(labelled(confluent, "insert")) == 1
    insert = labelled(confluent, "insert")[0]
    assert insert["status"]["phase"] == "RUNNING"
    assert [s["name"] for s in body["statements"] if s["kind"] == "insert"] == [insert["name"]]


def retry_gap(confluent, status: int) -> float:
    """Seconds between the request answered `status` and the next request to the same place."""
    requests = confluent.requests
    index = next(i for i, r in enumerate(requests) if r.status == status)
    failed = requests[index]
    retry = next(r for r in requests[index + 1:] if (r.method, r.path) == (failed.method, failed.path))
    return retry.at - failed.at


def stop_quietly(server: FaultServer):
    threading.Thread(target=server.stop, daemon=True).start()  # its serve_forever polls every 0.5 s


def listen_again_once_refused(function: RunningFunction, confluent) -> threading.Thread:
    """Confluent listens again as soon as the product has logged a refused connection (DEBUG)."""
    def watch():
        try:
            function.wait_for_output(CURL["refused"], timeout=NORMAL_TIMEOUT_MS / 1000)
        except TimeoutError:
            pass  # the cell's own checks say what went wrong
        finally:
            confluent.listen_again()

    watcher = threading.Thread(target=watch, name="listen-again-once-refused", daemon=True)
    watcher.start()
    return watcher


# ---- Confluent: one call, one scenario ----------------------------------------------------------------
@dataclass(frozen=True)
class ConfluentCall:
    """One Confluent call of a scenario, and where the faults hit it."""

    name: str
    method: str
    path: str
    body: str | None  # regex on the request body, to tell dry runs from real statements
    scenario: str  # "deploy", "delete" (after a deploy, tf.action=delete) or "failed" (the INSERT fails)
    mutating: bool  # the request has an effect: 500 is answered after performing it

    def arm(self, confluent, fault: str):
        narrow = {"body_regex": self.body}
        if fault == "refused":
            confluent.refuse_next(self.method, self.path, None, **narrow)  # until listen_again()
        elif fault == "reset":
            confluent.reset_next(self.method, self.path, **narrow)
        elif fault == "slow":
            confluent.slow_next(self.method, self.path, SLOW_SECONDS, **narrow)
        elif fault == "truncated":
            confluent.truncate_next(self.method, self.path, **narrow)
        elif fault == "invalid_json":
            status = {"POST": 201, "GET": 200}.get(self.method, 202)
            confluent.fail_next(self.method, self.path, status, body=NOT_JSON, perform=True, **narrow)
        elif fault == "429_retry_after":
            confluent.fail_next(self.method, self.path, 429, retry_after=1, **narrow)
        elif fault in ("429", "502", "503"):
            confluent.fail_next(self.method, self.path, int(fault), **narrow)
        elif fault == "500":
            confluent.fail_next(self.method, self.path, 500, perform=self.mutating, **narrow)
        elif fault in ("401", "403"):
            confluent.fail_next(self.method, self.path, int(fault), body=CONFLUENT_401 if fault == "401" else CONFLUENT_403,
                                **narrow)
        elif fault == "lost":
            confluent.lose_next(self.method, self.path, 1, **narrow)
        elif fault != "refused_for_good":
            raise ValueError(fault)

    def hit(self, confluent, fault: str, output: str):
        """The fault reached the product: the emulator recorded it, or the client logged it."""
        matching = [r for r in confluent.requests if r.method == self.method and re.search(self.path, r.path)
                    and (self.body is None or re.search(self.body, r.text))]
        if fault in CURL:
            assert CURL[fault] in output, f"the client never saw the {fault} fault"
        if fault in ("reset", "slow", "truncated"):
            assert matching, "the call was never made"
        elif fault in ("lost", "refused"):
            assert any(r.status is None for r in matching)
        elif fault == "invalid_json":
            assert any(r.status in (200, 201, 202) for r in matching) and "Confluent answered" in output
        elif fault[:3].isdigit():
            assert any(r.status == int(fault[:3]) for r in matching)


CREATE_DRY_RUN = ConfluentCall("create_dry_run", "POST", COLLECTION, DRY_BODY, "deploy", True)
CREATE_STATEMENT = ConfluentCall("create_statement", "POST", COLLECTION, INSERT_BODY, "deploy", True)
GET_STATEMENT = ConfluentCall("get_statement", "GET", INSERT, None, "deploy", False)
LIST_STATEMENTS = ConfluentCall("list_statements", "GET", COLLECTION, None, "deploy", False)
STOP_STATEMENT = ConfluentCall("stop_statement", "PUT", INSERT, None, "delete", True)
DELETE_DRY_RUN = ConfluentCall("delete_dry_run", "DELETE", DRY, None, "deploy", True)
EXCEPTIONS = ConfluentCall("exceptions", "GET", INSERT[:-1] + "/exceptions$", None, "failed", False)

DEADLINE_TIMEOUT = "`Function.DeployTimeout`, before the Lambda deadline"
NOT_A_POST = na("a read has no effect that could be lost; a dropped answer to it is the reset row")
AUTH = "`Function.ConfluentAuth` with Confluent's detail"


def confluent_table(success: str, *, how: str, slow: Expect, invalid_json: Expect,
                    auth: tuple[Expect, Expect] | None = None, lost: Expect | None = None,
                    **overrides: Expect) -> dict[str, Expect]:
    """The expectations shared by most calls: every transient fault retried, 401/403 fatal. `how`
    is "post" (an answer that leaves open whether it took effect is settled by reading the name
    back, never by sending it again), "put" (read back before another PUT), "delete" or "read"."""
    cut = {"post": "performed, the answer cut: the name is read back and the statement adopted, not re-sent",
           "put": "performed, the answer cut: read back, already stopping, so done",
           "delete": "performed, the answer cut: DELETE retried (idempotent)", "read": "retried"}[how]
    after_500 = {"post": "performed, then answered 500: read back by name and adopted, not re-sent",
                 "put": "performed, then answered 500: read back, already stopping, so done",
                 "delete": "performed, then answered 500: DELETE retried (idempotent)", "read": "retried"}[how]
    table = {
        "refused": ok(f"retried until Confluent listens again; {success}"),
        "reset": ok(f"{cut}; {success}"),
        "slow": slow,
        "truncated": ok(f"{cut}; {success}"),
        "invalid_json": invalid_json,
        "429_retry_after": ok(f"not performed: retried after Retry-After (>= 1 s); {success}"),
        "429": ok(f"not performed: retried after a jittered backoff; {success}"),
        "500": ok(f"{after_500}; {success}"),
        "502": ok(f"not performed: retried; {success}"),
        "503": ok(f"not performed: retried; {success}"),
        "401": auth[0] if auth else error("Function.ConfluentAuth", "HTTP 401", CONFLUENT_401["errors"][0]["detail"], text=AUTH),
        "403": auth[1] if auth else error("Function.ConfluentAuth", "HTTP 403", CONFLUENT_403["errors"][0]["detail"], text=AUTH),
        "lost": lost or NOT_A_POST,
    }
    table.update(overrides)
    return table


CREATED = "created, one DDL and one INSERT"
STOPPED = "stopped, the INSERT STOPPING, no statement added"
FAILED = "`Function.StatementFailed` with status.detail and the exception"
CREATE_DRY_RUN_CELLS = cells("create_dry_run", confluent_table(
    CREATED, how="post",
    slow=error("Function.DeployTimeout", "the deadline passed before it was known whether it was created",
               text=DEADLINE_TIMEOUT + ", saying the dry run may exist"),
    invalid_json=ok(f"the dry run is read back by name and adopted; {CREATED}"),
    lost=ok(f"read back by name and adopted, not re-sent; {CREATED}"),
    refused_for_good=error("Function.ConfluentError", "no answer from Confluent", "curl error 7)", "(6 attempts)",
                           text="`Function.ConfluentError` naming the refused connection after 6 attempts"),
))
CREATE_STATEMENT_CELLS = cells("create_statement", confluent_table(
    CREATED, how="post",
    slow=error("Function.DeployTimeout", "the deadline passed before it was known whether it was created",
               text=DEADLINE_TIMEOUT + ", naming the INSERT that may exist (it does: one INSERT)"),
    invalid_json=ok(f"the INSERT is read back by name and adopted; {CREATED}"),
    lost=ok(f"read back by name and adopted, not re-sent; {CREATED}"),
))
GET_STATEMENT_CELLS = cells("get_statement", confluent_table(
    CREATED, how="read",
    slow=error("Function.DeployTimeout", "did not become RUNNING before the deadline", text=DEADLINE_TIMEOUT),
    invalid_json=error("Function.ConfluentError", "without a Statement",
                       text="`Function.ConfluentError`: HTTP 200 without a Statement (not retried)"),
))
LIST_STATEMENTS_CELLS = cells("list_statements", confluent_table(
    CREATED, how="read",
    slow=error("Function.DeployTimeout", "Listing statements failed: the deadline passed", text=DEADLINE_TIMEOUT),
    invalid_json=error("Function.ConfluentError", "without a StatementList",
                       text="`Function.ConfluentError`: HTTP 200 without a StatementList (not retried)"),
))
STOP_STATEMENT_CELLS = cells("stop_statement", confluent_table(
    STOPPED, how="put",
    slow=error("Function.DeployTimeout", "Stopping statement", "the deadline passed before Confluent answered",
               text=DEADLINE_TIMEOUT),
    invalid_json=ok(f"the 202's body is not read; {STOPPED}"),
    lost=ok(f"libcurl re-sends the PUT, Confluent answers 409 (stale version), read back: already stopping; {STOPPED}"),
))
DELETE_DRY_RUN_CELLS = cells("delete_dry_run", confluent_table(
    CREATED + ", no dry run left", how="delete",
    slow=error("Function.DeployTimeout", "the deadline passed",
               text=DEADLINE_TIMEOUT + " (the cleanup's failure is only a warning; the next call finds the deadline passed)"),
    invalid_json=ok(f"the 202's body is not read; {CREATED}, no dry run left"),
    auth=(ok(f"cleanup is best effort: a warning names the dry run and HTTP 401; {CREATED}"),
          ok(f"cleanup is best effort: a warning names the dry run and HTTP 403; {CREATED}")),
    lost=ok(f"libcurl re-sends the DELETE (idempotent); {CREATED}, no dry run left"),
))
EXCEPTIONS_CELLS = cells("exceptions", confluent_table(
    "still " + FAILED, how="read",
    slow=error("Function.StatementFailed", INSERT_DETAIL, "its exceptions could not be read",
               text="`Function.StatementFailed` with status.detail; the exceptions could not be read (deadline)"),
    invalid_json=error("Function.StatementFailed", INSERT_DETAIL, "its exceptions could not be read",
                       text="`Function.StatementFailed` with status.detail; the exceptions could not be read"),
    auth=(error("Function.StatementFailed", INSERT_DETAIL, "its exceptions could not be read", "HTTP 401",
                CONFLUENT_401["errors"][0]["detail"],
                text="`Function.StatementFailed` with status.detail; the exceptions could not be read: HTTP 401 "
                     "with Confluent's detail"),
          error("Function.StatementFailed", INSERT_DETAIL, "its exceptions could not be read", "HTTP 403",
                CONFLUENT_403["errors"][0]["detail"],
                text="`Function.StatementFailed` with status.detail; the exceptions could not be read: HTTP 403 "
                     "with Confluent's detail")),
))


def run_confluent_cell(call: ConfluentCall, fault: str, expect: Expect, start_function, runtime_api, confluent):
    with refusing_port() as refused:
        endpoint = f"http://127.0.0.1:{refused}" if fault == "refused_for_good" else confluent.base_url
        run_confluent_cell_at(endpoint, call, fault, expect, start_function, runtime_api, confluent)


def run_confluent_cell_at(endpoint: str, call: ConfluentCall, fault: str, expect: Expect, start_function, runtime_api,
                          confluent):
    function = start_function(AWS_LAMBDA_LOG_LEVEL="DEBUG", CCAF_FLINK_ENDPOINT=endpoint)
    event = EVENT
    if call.scenario == "delete":  # a running pipeline to stop
        assert_created(invoke(runtime_api), confluent)
        event = DELETE_EVENT
    if call.scenario == "failed":
        confluent.set_phase_delays({"pending.INSERT_INTO": 0})  # FAILED at its first reading
        confluent.fail_statement_when_created(r"flight-consolidator-insert", detail=INSERT_DETAIL,
                                              exceptions=[INSERT_EXCEPTION])
    call.arm(confluent, fault)
    if fault == "refused":
        listen_again_once_refused(function, confluent)
    invocation = invoke(runtime_api, event, SLOW_TIMEOUT_MS if fault == "slow" else NORMAL_TIMEOUT_MS)
    output = function.output
    assert_no_secret(output, invocation.body)
    assert_no_duplicate(confluent)
    if fault != "refused_for_good":
        call.hit(confluent, fault, output)
    if expect.kind == "error":
        assert_error(invocation, expect)
    elif call.scenario == "delete":
        body = body_of(invocation)
        insert = labelled(confluent, "insert")[0]
        assert body["action"] == "stopped" and [s["name"] for s in body["statements"]] == [insert["name"]]
        assert insert["status"]["phase"] in {"STOPPING", "STOPPED"} and len(labelled(confluent)) == 2
    elif call.scenario == "failed":
        assert_error(invocation, error("Function.StatementFailed", INSERT_DETAIL, INSERT_EXCEPTION[1]))
    else:
        assert_created(invocation, confluent)
        leftovers = [s["name"] for s in confluent.statements.values()
                     if "-dry-" in s["name"] and s["status"]["phase"] != "DELETING"]
        if call is DELETE_DRY_RUN and fault in ("401", "403"):
            reason = (CONFLUENT_401 if fault == "401" else CONFLUENT_403)["errors"][0]["detail"]
            assert len(leftovers) == 1 and leftovers[0] in output and f"HTTP {fault}" in output and reason in output
            assert "could not delete a dry-run statement" in output
        else:
            assert leftovers == [], "a dry-run statement was left behind"
    if call.method == "POST" and fault != "refused_for_good":
        assert_posted_as_expected(call, fault, confluent)
    if fault == "429_retry_after":
        # A lower bound: a busy machine only makes the gap longer.
        assert retry_gap(confluent, 429) >= 0.95, "Retry-After was not honoured"


NOT_PROCESSED = {"refused", "429_retry_after", "429", "502", "503"}  # the POST did nothing, provably
MAY_HAVE_TAKEN_EFFECT = {"reset", "truncated", "invalid_json", "500", "lost"}


def assert_posted_as_expected(call: ConfluentCall, fault: str, confluent):
    """The faulted statement name is sent again only when the POST provably did nothing; after an
    answer (or none) that leaves it open, the name is read back instead of re-sent."""
    posts = [r for r in confluent.requests if r.method == "POST" and re.search(call.body, r.text)]
    first = json.loads(posts[0].body)["name"]
    sent = sum(1 for r in posts if json.loads(r.body)["name"] == first)
    expected = 2 if fault in NOT_PROCESSED else 1
    assert sent == expected, f"'{first}' was POSTed {sent} times"
    if fault in MAY_HAVE_TAKEN_EFFECT:
        assert confluent.count_requests("GET", rf"/statements/{first}$") >= 1, "not read back"


@pytest.mark.parametrize("fault,expect", CREATE_DRY_RUN_CELLS)
def test_confluent_create_dry_run(fault, expect, start_function, runtime_api, confluent):
    run_confluent_cell(CREATE_DRY_RUN, fault, expect, start_function, runtime_api, confluent)


@pytest.mark.parametrize("fault,expect", CREATE_STATEMENT_CELLS)
def test_confluent_create_statement(fault, expect, start_function, runtime_api, confluent):
    run_confluent_cell(CREATE_STATEMENT, fault, expect, start_function, runtime_api, confluent)


@pytest.mark.parametrize("fault,expect", GET_STATEMENT_CELLS)
def test_confluent_get_statement(fault, expect, start_function, runtime_api, confluent):
    run_confluent_cell(GET_STATEMENT, fault, expect, start_function, runtime_api, confluent)


@pytest.mark.parametrize("fault,expect", LIST_STATEMENTS_CELLS)
def test_confluent_list_statements(fault, expect, start_function, runtime_api, confluent):
    run_confluent_cell(LIST_STATEMENTS, fault, expect, start_function, runtime_api, confluent)
    listed = [r for r in confluent.requests if r.method == "GET" and re.search(COLLECTION, r.path)]
    assert all("user.confluent.io/pipeline=flight-consolidator" in r.query["label_selector"] for r in listed)


@pytest.mark.parametrize("fault,expect", STOP_STATEMENT_CELLS)
def test_confluent_stop_statement(fault, expect, start_function, runtime_api, confluent):
    run_confluent_cell(STOP_STATEMENT, fault, expect, start_function, runtime_api, confluent)


@pytest.mark.parametrize("fault,expect", DELETE_DRY_RUN_CELLS)
def test_confluent_delete_dry_run(fault, expect, start_function, runtime_api, confluent):
    run_confluent_cell(DELETE_DRY_RUN, fault, expect, start_function, runtime_api, confluent)


@pytest.mark.parametrize("fault,expect", EXCEPTIONS_CELLS)
def test_confluent_exceptions(fault, expect, start_function, runtime_api, confluent):
    run_confluent_cell(EXCEPTIONS, fault, expect, start_function, runtime_api, confluent)


# ---- Secrets Manager GetSecretValue (Lambda mode, AWS_ENDPOINT_URL at the fault server) -------------------
SECRET_ANSWER = {"status": 200, "headers": {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "req-ok"},
                 "body": {"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ccaf/demo/settings-AbCdEf",
                          "Name": moto_peer.CCAF_SECRET_NAME, "VersionId": "7e0b6e4c-4f6e-4a3c-9d8b-1f2e3d4c5b6a",
                          "SecretString": json.dumps(moto_peer.CCAF_SECRET), "VersionStages": ["AWSCURRENT"],
                          "CreatedDate": 1.7e9}}


def aws_error(status: int, code: str, message: str, **headers: str) -> dict:
    return {"status": status, "headers": {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": f"req-{status}",
                                          **headers},
            "body": {"__type": code, "message": message}}


THROTTLED = "Rate exceeded"
AWS_SCRIPTS = {  # the answers before the good one (or the only, repeated, answer when it fails)
    "reset": [{**SECRET_ANSWER, "reset": True}],
    "slow": [{"hang": True}],
    "truncated": [{**SECRET_ANSWER, "truncate": True}],
    "invalid_json": [{"status": 200, "body": NOT_JSON}],
    "429_retry_after": [aws_error(429, "ThrottlingException", THROTTLED, **{"Retry-After": "1"})],
    "429": [aws_error(429, "ThrottlingException", THROTTLED)],
    "500": [aws_error(500, "InternalServiceError", "An error occurred on the server side.")],
    "502": [{"status": 502, "headers": {"Content-Type": "text/html"}, "body": "<html><body><h1>502 Bad Gateway</h1></body></html>"}],
    "503": [aws_error(503, "ServiceUnavailable", "The service is unavailable. Please try again later.")],
    "401": [aws_error(401, "UnrecognizedClientException", "The security token included in the request is invalid.")],
    "403": [aws_error(403, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/ccaf-deployer is not authorized "
                      "to perform: secretsmanager:GetSecretValue on resource: ccaf/demo/settings")],
    "lost": [{"drop": True}],
}
AWS_FATAL = {"slow", "invalid_json", "401", "403"}  # no good answer follows: the last answer repeats


def aws_script(fault: str, good: dict) -> list[dict]:
    return AWS_SCRIPTS[fault] if fault in AWS_FATAL else [*AWS_SCRIPTS[fault], good]


def aws_table(success: str, *, operation: str, refused: Expect, slow: Expect, invalid_json: Expect,
              unauthorized: Expect, denied: Expect) -> dict[str, Expect]:
    return {
        "refused": refused,
        "reset": ok(f"retried (a read); {success}"),
        "slow": slow,
        "truncated": ok(f"retried; {success}"),
        "invalid_json": invalid_json,
        "429_retry_after": ok(f"ThrottlingException retried after the SDK backoff (AWS SDKs do not read Retry-After); {success}"),
        "429": ok(f"ThrottlingException retried after the SDK backoff; {success}"),
        "500": ok(f"retried; {success}"),
        "502": ok(f"retried (an HTML gateway page); {success}"),
        "503": ok(f"retried; {success}"),
        "401": unauthorized,
        "403": denied,
        "lost": ok(f"{operation} is a read sent as a POST: retried; {success}"),
    }


SECRETS_MANAGER_CELLS = cells("secrets_manager", aws_table(
    CREATED, operation="GetSecretValue",
    refused=error("Function.AWSError", "could not read secret 'ccaf/demo/settings'", "curl error 7)", "after 3 attempts",
                  text="`Function.AWSError` naming the secret and the refused connection, after 3 attempts"),
    slow=error("Function.DeployTimeout", "could not read secret 'ccaf/demo/settings'", "the deadline passed before AWS answered",
               text="`Function.DeployTimeout` naming the secret, before the Lambda deadline"),
    invalid_json=error("Function.AWSError", "the body is not the JSON GetSecretValue returns",
                       text="`Function.AWSError`: unexpected response (not retried)"),
    unauthorized=error("Function.AWSError", "UnrecognizedClientException", "security token included in the request is invalid",
                       text="`Function.AWSError` with AWS's code and message"),
    denied=error("Function.SecretAccessDenied", "access to secret 'ccaf/demo/settings' was denied", "AccessDeniedException",
                 "not authorized to perform: secretsmanager:GetSecretValue",
                 text="`Function.SecretAccessDenied` with AWS's message"),
))


@pytest.mark.parametrize("fault,expect", SECRETS_MANAGER_CELLS)
def test_secrets_manager_get_secret_value(fault, expect, start_function, runtime_api, confluent, refused_port):
    server = None if fault == "refused" else FaultServer(aws_script(fault, SECRET_ANSWER)).start()
    try:
        endpoint = server.endpoint if server else f"http://127.0.0.1:{refused_port}"
        function = start_function(AWS_LAMBDA_LOG_LEVEL="DEBUG", AWS_ENDPOINT_URL=endpoint)
        invocation = invoke(runtime_api, EVENT, SLOW_TIMEOUT_MS if fault == "slow" else NORMAL_TIMEOUT_MS)
        assert_no_secret(function.output, invocation.body)
        assert_no_duplicate(confluent)
        if fault in CURL:
            assert CURL[fault] in function.output or fault == "lost"
        if expect.kind == "error":
            assert_error(invocation, expect)
        else:
            assert_created(invocation, confluent)
        if server:
            received = server.received
            assert received and all(r.headers["x-amz-target"] == "secretsmanager.GetSecretValue" for r in received)
            assert all(r.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=") for r in received)
            assert received[0].json() == {"SecretId": moto_peer.CCAF_SECRET_NAME}
            assert len(received) == (1 if fault in AWS_FATAL else 2)
    finally:
        if server:
            stop_quietly(server)


# ---- SSM GetParametersByPath (`kafka-properties`, AWS_ENDPOINT_URL_SSM at the fault server) -----------------
KAFKA_PATH = f"/confluent_cloud_resource/{moto_peer.KAFKA_USER}/consumer_kafka_client"
PARAMETERS_ANSWER = {"status": 200, "headers": {"Content-Type": "application/x-amz-json-1.1"},
                     "body": {"Parameters": [
                         {"Name": f"{KAFKA_PATH}/max.poll.records", "Type": "String", "Value": "500", "Version": 1},
                         {"Name": f"{KAFKA_PATH}/sasl.password", "Type": "SecureString", "Value": SSM_SECURE_VALUE, "Version": 2},
                     ]}}
SSM_TIMEOUT = 20  # --timeout of the CLI, seconds
SSM_SLOW_TIMEOUT = 5  # seconds for the calls before the slow one, however busy the machine
# --timeout bounds the CLI's own work; the process's start and exit come on top of it. An upper
# bound, so generous, yet far below the 3600 s a peer that hangs would take.
SSM_EXIT_SLACK = 5

SSM_CELLS = cells("ssm_parameters", aws_table(
    "the properties file is written", operation="GetParametersByPath",
    refused=error("exit 1", f"could not read the parameters under '{KAFKA_PATH}'", "curl error 7)", "after 3 attempts",
                  text="exit 1, naming the path and the refused connection, after 3 attempts"),
    slow=error("exit 1", f"could not read the parameters under '{KAFKA_PATH}'", "the deadline passed before AWS answered",
               text="exit 1, naming the path and that the deadline passed, before --timeout"),
    invalid_json=error("exit 1", "the body is not the JSON GetParametersByPath returns",
                       text="exit 1: unexpected response (not retried)"),
    unauthorized=error("exit 1", "UnrecognizedClientException", text="exit 1 with AWS's code and message"),
    denied=error("exit 1", "check that the role may call ssm:GetParametersByPath", "AccessDeniedException",
                 text="exit 1 with AWS's message and the permission to check"),
))


@pytest.mark.parametrize("fault,expect", SSM_CELLS)
def test_ssm_get_parameters_by_path(fault, expect, binary, moto, tmp_path, refused_port):
    script = None if fault == "refused" else aws_script(fault, PARAMETERS_ANSWER)
    if fault == "403":
        script = [aws_error(403, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/ccaf-deployer is not "
                            f"authorized to perform: ssm:GetParametersByPath on resource: {KAFKA_PATH}")]
    server = None if fault == "refused" else FaultServer(script).start()
    try:
        endpoint = server.endpoint if server else f"http://127.0.0.1:{refused_port}"
        output_file = tmp_path / "consumer.json"
        timeout = SSM_SLOW_TIMEOUT if fault == "slow" else SSM_TIMEOUT
        started = time.monotonic()
        result = run_cli(binary, "kafka-properties", "--user", moto_peer.KAFKA_USER, "--consumer", "--format", "json",
                         "--output", str(output_file), "--timeout", str(timeout),
                         environment={**moto.environment(), "AWS_ENDPOINT_URL_SSM": endpoint}, timeout=timeout + 60)
        elapsed = time.monotonic() - started
        assert elapsed < timeout + SSM_EXIT_SLACK, f"took {elapsed:.1f} s with --timeout {timeout}"
        assert_no_secret(result.stdout, result.stderr)
        if expect.kind == "error":
            assert result.returncode == 1 and not output_file.exists(), result.stderr
            for fragment in expect.fragments:
                assert fragment in result.stderr, (fragment, result.stderr)
        else:
            assert result.returncode == 0, result.stderr
            properties = json.loads(output_file.read_text())
            assert properties["max.poll.records"] == 500 and properties["sasl.password"] == SSM_SECURE_VALUE
            assert properties["bootstrap.servers"] == moto_peer.KAFKA_SECRET["bootstrap.servers"]
        if server:
            received = server.received
            assert received and all(r.headers["x-amz-target"] == "AmazonSSM.GetParametersByPath" for r in received)
            assert received[0].json()["Path"] == KAFKA_PATH
            assert len(received) == (1 if fault in AWS_FATAL else 2)
    finally:
        if server:
            stop_quietly(server)


# ---- the Lambda Runtime API ---------------------------------------------------------------------------------
def exits(text: str, *fragments: str, bug: str | None = None) -> Expect:
    return Expect("exit", text, fragments=fragments, bug=bug)


GONE = "the Runtime API is gone"
NEXT_FAULTS = {
    "reset": {"reset": True}, "slow": {"delay": 3}, "truncated": {"truncate": True},
    "429_retry_after": {"status": 429, "headers": {"Retry-After": "1"}}, "429": {"status": 429},
    "500": {"status": 500}, "502": {"status": 502}, "503": {"status": 503}, "401": {"status": 401}, "403": {"status": 403},
}
NEXT_CELLS = cells("runtime_next", {
    "refused": exits("the runtime exits 1 within 1 s (nothing to serve; Lambda starts a new one)", GONE, "curl error 7)"),
    "reset": ok(f"GET /next repeated; the open invocation, re-rendered, is handled once: {CREATED}"),
    "slow": ok(f"no timeout on the long poll by design: the same GET /next waits 3 s and the invocation is handled: {CREATED}"),
    "truncated": ok(f"GET /next repeated; the open invocation, re-rendered, is handled once (never the cut event): {CREATED}"),
    "invalid_json": error("Function.InvalidEvent", "the event is not valid JSON",
                          text="`Function.InvalidEvent` (the event is the body); the loop goes on"),
    "429_retry_after": ok(f"GET /next repeated (the Runtime API defines no 429 for /next); {CREATED}"),
    "429": ok(f"GET /next repeated; {CREATED}"),
    "500": exits("exits 1 within 1 s (the API's 500: 'Runtime should exit promptly')", GONE, "HTTP 500"),
    "502": exits("exits 1 within 1 s, as for 500", GONE, "HTTP 502"),
    "503": exits("exits 1 within 1 s, as for 500", GONE, "HTTP 503"),
    "401": ok(f"GET /next repeated (at most 3 tries before giving up); {CREATED}"),
    "403": ok(f"GET /next repeated (at most 3 tries before giving up); {CREATED}"),
    "lost": na("GET /next is a read; an answer cut after the platform delivered the invocation is the reset and "
               "truncated rows (the platform re-renders the open invocation)"),
})


@pytest.mark.parametrize("fault,expect", NEXT_CELLS)
def test_runtime_next(fault, expect, start_function, runtime_api, confluent, refused_port):
    if fault == "refused":
        started = time.monotonic()
        function = start_function(AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{refused_port}")
        assert function.wait_exit(timeout=60) == 1
        assert time.monotonic() - started < PROMPT_EXIT_SECONDS  # process start included
        for fragment in expect.fragments:
            assert fragment in function.output
        return
    if fault in NEXT_FAULTS:
        runtime_api.next_faults = [NEXT_FAULTS[fault]]
    function = start_function(AWS_LAMBDA_LOG_LEVEL="DEBUG")
    if expect.kind == "exit":
        first_next = runtime_api.wait_for_next_poll(1, timeout=60)
        assert function.wait_exit(timeout=60) == 1
        assert runtime_api.next_calls == 1, "the runtime asked again instead of exiting"
        assert time.monotonic() - first_next < PROMPT_EXIT_SECONDS
        for fragment in expect.fragments:
            assert fragment in function.output
        return
    if fault == "invalid_json":
        invocation = invoke(runtime_api, b'{"catalog_name": "flight_env", ')
        assert_error(invocation, expect)
        assert invoke(runtime_api, INVALID_EVENT).raw_error_type == "Function.InvalidEvent"  # the loop goes on
        return
    invocation = invoke(runtime_api)
    assert runtime_api.next_faults == [], "the fault was not used"
    assert_created(invocation, confluent)
    assert_no_secret(function.output, invocation.body)
    accepted = [line for line in function.lines if "event accepted" in line]
    assert len(accepted) == 1, "the handler ran more than once (or on a cut event)"
    # Only the polls made while the invocation was open count: once its result is in, the loop asks for the next one.
    polls = [t for t in runtime_api.next_times if t <= invocation.completed_at]
    if fault == "slow":  # a lower bound: the emulator held the answer at least 3 s, however busy the machine
        assert len(polls) == 1 and invocation.delivered_at - polls[0] >= 3
    else:
        assert len(polls) >= 2
    # The evidence of a cut delivery: the runtime asked again (it logs no failed /next it recovers from).


RESULT_FAULTS = {
    "reset": {"reset": True}, "slow": {"delay": 35}, "truncated": {"truncate": True}, "invalid_json": {"body": "not json"},
    "429_retry_after": {"status": 429, "headers": {"Retry-After": "1"}}, "429": {"status": 429},
    "500": {"status": 500}, "502": {"status": 502}, "503": {"status": 503}, "401": {"status": 401}, "403": {"status": 403},
    "lost": {"lose": True},
}


def result_table(kind: str, result: str, again: str) -> dict[str, Expect]:
    refused_text = f"the {kind} cannot be posted: the runtime exits 1 at once (Lambda reports Runtime.ExitError)"
    return {
        "refused": exits(refused_text, GONE, "curl error 7)"),
        "reset": exits(f"{result} is received; the cut acknowledgement makes the runtime exit 1 within 1 s", GONE, "curl error 56)"),
        "slow": exits(f"{result} is received in time; the runtime waits for the acknowledgement until the invocation's "
                      "deadline (its POST timeout), then exits 1", GONE, "curl error 28)"),
        "truncated": exits(f"{result} is received; the cut acknowledgement makes the runtime exit 1 within 1 s",
                           GONE, "curl error 18)"),
        "invalid_json": ok(f"{result} is received; the acknowledgement's body is not read; the loop goes on"),
        "429_retry_after": ok(f"refused and logged; the platform re-renders the open invocation, {again}"),
        "429": ok(f"refused and logged; the platform re-renders the open invocation, {again}"),
        "500": exits("exits 1 within 1 s; the invocation stays unanswered (Lambda reports Runtime.ExitError)", GONE, "HTTP 500"),
        "502": exits("exits 1 within 1 s, as for 500", GONE, "HTTP 502"),
        "503": exits("exits 1 within 1 s, as for 500", GONE, "HTTP 503"),
        "401": ok(f"refused and logged; the platform re-renders the open invocation, {again}"),
        "403": ok(f"refused and logged; the platform re-renders the open invocation, {again}"),
        "lost": ok(f"{result} is received; libcurl re-sends the POST, the API answers 403 (already answered), "
                   "which is logged; the loop goes on"),
    }


RESPONSE_CELLS = cells("runtime_response", result_table(
    "response", "the response (created)", "which is deployed again: unchanged, no duplicate"))
ERROR_CELLS = cells("runtime_error", result_table(
    "error", "the error (Function.InvalidEvent)", "which fails again: Function.InvalidEvent"))


def run_result_cell(kind: str, fault: str, expect: Expect, start_function, runtime_api, confluent):
    event = EVENT if kind == "response" else INVALID_EVENT
    if fault == "slow":
        observed = BACKGROUND[kind].result(timeout=120)  # run alongside the other cells: it takes 20 s
        for check in observed:
            check()
        return
    if fault == "refused":
        runtime_api.refuse_after_next_delivery = True
    else:
        runtime_api.result_faults = [RESULT_FAULTS[fault]]
    function = start_function(AWS_LAMBDA_LOG_LEVEL="DEBUG")
    if expect.kind == "exit":
        invocation = runtime_api.invoke(event, timeout_ms=NORMAL_TIMEOUT_MS, wait=False)
        assert function.wait_exit(timeout=NORMAL_TIMEOUT_MS / 1000 + 60) == 1
        exited = time.monotonic()
        posts = [r for r in runtime_api.requests if r.path.endswith(f"{invocation.request_id}/{kind}")]
        assert exited - invocation.delivered_at < NORMAL_TIMEOUT_MS / 1000
        if fault != "refused":
            assert len(posts) == 1
            # The runtime's own calls; the shutdown extension's long poll (its own thread) may start at any time.
            later = [r.path for r in runtime_api.requests if r.at > posts[0].at and r.path.startswith("/2018-06-01/runtime/")]
            assert later == [], f"the runtime went on instead of exiting: {later}"
            assert exited - posts[0].at < PROMPT_EXIT_SECONDS
        accepted = fault in ("reset", "truncated")
        assert invocation.done.is_set() == accepted
        if accepted:
            check_result(kind, invocation, confluent)
        for fragment in expect.fragments:
            assert fragment in function.output, fragment
    else:
        invocation = invoke(runtime_api, event)
        check_result(kind, invocation, confluent, again=fault[:3] in ("429", "401", "403"))
        assert invoke(runtime_api, INVALID_EVENT).raw_error_type == "Function.InvalidEvent"  # the loop goes on
        if fault[:3].isdigit():  # logged on the refusal, so before the next GET /next
            assert f"status={fault[:3]}" in function.output and "the Runtime API refused the result" in function.output
        assert function.process.poll() is None
        if fault == "lost":  # libcurl sent the result again on a fresh connection: "already answered"
            posts = [r for r in runtime_api.requests if r.path.endswith(f"{invocation.request_id}/{kind}")]
            assert len(posts) == 2 and "status=403" in function.output
    assert_no_secret(function.output, invocation.body)
    assert_no_duplicate(confluent)
    assert runtime_api.result_faults == [] and not runtime_api.refuse_after_next_delivery, "the fault was not used"


def check_result(kind: str, invocation, confluent, again: bool = False):
    if kind == "error":
        assert invocation.raw_error_type == "Function.InvalidEvent"
        return
    body = body_of(invocation)
    assert body["action"] == ("unchanged" if again else "created"), body
    assert len(labelled(confluent, "ddl")) == 1 and len(labelled(confluent, "insert")) == 1


@pytest.mark.parametrize("fault,expect", RESPONSE_CELLS)
def test_runtime_response(fault, expect, start_function, runtime_api, confluent):
    run_result_cell("response", fault, expect, start_function, runtime_api, confluent)


@pytest.mark.parametrize("fault,expect", ERROR_CELLS)
def test_runtime_error(fault, expect, start_function, runtime_api, confluent):
    run_result_cell("error", fault, expect, start_function, runtime_api, confluent)


# The two "slow acknowledgement" cells wait out the runtime's 30 s POST timeout: they run in threads
# from the start of the module, and their tests collect what they observed.
BACKGROUND: dict[str, Future] = {}


def _slow_acknowledgement(kind: str, binary: Path, moto) -> list:
    checks = []
    with RuntimeAPIEmulator() as api, confluent_for(moto_peer.CCAF_SECRET) as confluent:
        api.result_faults = [RESULT_FAULTS["slow"]]
        function = RunningFunction(binary, api, {**moto.environment(), "CCAF_FLINK_ENDPOINT": confluent.base_url,
                                                 "AWS_LAMBDA_LOG_LEVEL": "DEBUG"})
        try:
            invocation = api.invoke(EVENT if kind == "response" else INVALID_EVENT, timeout_ms=NORMAL_TIMEOUT_MS,
                                    wait_timeout=NORMAL_TIMEOUT_MS / 1000)
            code = function.wait_exit(timeout=60)
            exited = time.monotonic()
        finally:
            function.stop()
        posts = [r for r in api.requests if r.path.endswith(f"{invocation.request_id}/{kind}")]

        def completed_in_time():
            assert invocation.completed_at - invocation.delivered_at < NORMAL_TIMEOUT_MS / 1000
            check_result(kind, invocation, confluent)

        def waited_until_the_deadline_then_exited():
            assert code == 1 and len(posts) == 1
            # The POST's timeout is the time left until the invocation's deadline, not a fixed 30 s:
            # it gives up at the deadline (libcurl may fire a hair early), long before the 35 s ack.
            deadline = invocation.delivered_at + NORMAL_TIMEOUT_MS / 1000
            assert deadline - 0.5 < exited < deadline + RESULT_FAULTS["slow"]["delay"] / 2, exited - deadline
            for fragment in (GONE, "curl error 28)"):
                assert fragment in function.output, fragment

        checks += [completed_in_time, waited_until_the_deadline_then_exited,
                   lambda: assert_no_secret(function.output, invocation.body), lambda: assert_no_duplicate(confluent)]
    return checks


@pytest.fixture(scope="module", autouse=True)
def background_cells(request, binary, moto):
    wanted = {kind for kind in ("response", "error")
              if any(item.nodeid.endswith(f"test_runtime_{kind}[slow]") for item in request.session.items)}
    threads = []
    for kind in wanted:
        future: Future = Future()
        BACKGROUND[kind] = future

        def work(kind=kind, future=future):
            try:
                future.set_result(_slow_acknowledgement(kind, binary, moto))
            except BaseException as failure:
                future.set_exception(failure)

        thread = threading.Thread(target=work, name=f"slow-{kind}-acknowledgement", daemon=True)
        thread.start()
        threads.append(thread)
    yield
    for thread in threads:
        thread.join(timeout=60)
    BACKGROUND.clear()


# ---- the matrix as Markdown (docs/fault-matrix.md) ------------------------------------------------------------
TITLES = {
    "runtime_next": ("Runtime API: GET /2018-06-01/runtime/invocation/next", "test_runtime_next"),
    "runtime_response": ("Runtime API: POST /2018-06-01/runtime/invocation/{id}/response (a valid event, a deploy)",
                         "test_runtime_response"),
    "runtime_error": ("Runtime API: POST /2018-06-01/runtime/invocation/{id}/error (an invalid event)", "test_runtime_error"),
    "secrets_manager": ("Secrets Manager GetSecretValue (Lambda mode, AWS_ENDPOINT_URL at the fault server)",
                        "test_secrets_manager_get_secret_value"),
    "ssm_parameters": ("SSM GetParametersByPath (`kafka-properties --consumer`, AWS_ENDPOINT_URL_SSM at the fault server)",
                       "test_ssm_get_parameters_by_path"),
    "create_dry_run": ("Confluent: POST /statements, a dry run (`sql.dry-run`, the second source's schema discovery)",
                       "test_confluent_create_dry_run"),
    "create_statement": ("Confluent: POST /statements, a real statement (the INSERT)", "test_confluent_create_statement"),
    "get_statement": ("Confluent: GET /statements/{name} (waiting for the INSERT)", "test_confluent_get_statement"),
    "list_statements": ("Confluent: GET /statements?label_selector=… (finding the pipeline)", "test_confluent_list_statements"),
    "stop_statement": ("Confluent: PUT /statements/{name} (stopping the INSERT on tf.action=delete)",
                       "test_confluent_stop_statement"),
    "delete_dry_run": ("Confluent: DELETE /statements/{name} (cleaning up a dry run)", "test_confluent_delete_dry_run"),
    "exceptions": ("Confluent: GET /statements/{name}/exceptions (the INSERT FAILED)", "test_confluent_exceptions"),
}


def markdown() -> str:
    out = []
    for call, (title, test) in TITLES.items():
        out += [f"### {title}", "", "| Fault | Expected outcome | Test | Result |", "|---|---|---|---|"]
        for fault, expect in MATRIX[call].items():
            result = "n/a" if expect.kind == "na" else f"**xfail**: {expect.bug}" if expect.bug else "pass"
            name = "—" if expect.kind == "na" else f"`{test}[{fault}]`"
            out.append(f"| {FAULT_NAMES[fault]} | {expect.text.replace('|', '/')} | {name} | {result} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
