"""Emulator of the Confluent Cloud for Apache Flink statements REST API (sql/v1) for e2e tests.

The deployer under test talks to it over loopback HTTP/1.1 (keep-alive, Content-Length on every
answer) exactly as to `https://flink.{region}.{cloud}.confluent.cloud`. Contract: the sql/v1
OpenAPI document (reference/flink-gateway-openapi.yaml, "OAS"), summarised with the behaviour of
Confluent's own clients in reference/confluent-flink-api.md. Served operations (OAS operationId):

    POST   .../statements                    createSqlv1Statement        201 + Location
    GET    .../statements                    listSqlv1Statements         200 StatementList
    GET    .../statements/{name}             getSqlv1Statement           200 Statement
    PUT    .../statements/{name}             updateSqlv1Statement        202, empty body
    DELETE .../statements/{name}             deleteSqlv1Statement        202, empty body
    GET    .../statements/{name}/exceptions  getSqlv1StatementExceptions 200 StatementExceptionList

where `...` is `/sql/v1/organizations/{org}/environments/{env}`. Every answer carries a fresh
`X-Request-Id` (OAS response headers). Every call needs HTTP Basic with the API key and secret
(OAS security `resource-api-key`); otherwise 401 with the OAS `WWW-Authenticate` example. Errors
are OAS `Failure` bodies. Statement semantics live in confluent_state.py and confluent_sql.py.

Tests steer it with fault knobs (`fail_next`, `slow_next`, `lose_next_create_response`,
`fail_statement_when_created`, `degrade`, `exhaust_pool`, `warn`, `set_phase_delays`; transport
faults `lose_next`, `reset_next`, `truncate_next`, `refuse_after`, `refuse_next`), shape the
catalog with `define_table` / `drop_table`, and inspect it with `statements`, `requests`,
`count_requests`, `table_columns`, and, to prove that no data is read twice or skipped, `starts`
and `fresh_starts` (where each start of a streaming statement read from). Not emulated: PATCH
(Early Access), /results, OAuth and the other resources of the document (connections,
materialized tables, agents, tools).

Standalone (demo), from the repository root: `python3 -m e2e.peers.confluent --org ORG --env ENV
--key KEY --secret SECRET [--port N] [--phase-delay NAME=SECONDS ...]` prints the base URL as its first stdout line and
serves until SIGTERM or SIGINT.
"""
from __future__ import annotations

import argparse
import base64
import binascii
import dataclasses
import enum
import hmac
import json
import re
import signal
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import unquote, urlencode

from e2e.peers.confluent_state import (
    CARRY_OVER_REFUSED,
    DEFAULT_TABLES,
    DEFAULT_WARNING_MESSAGE,
    DEFAULT_WARNING_REASON,
    DEFAULT_WARNING_SEVERITY,
    KICKSTARTER_AIRLINE_COLUMNS,
    ApiError,
    FlinkEnvironment,
    StatementRule,
    WarningRule,
    not_found,
)
from e2e.peers.http_peer import Cut, PeerHandler, PeerServer, RecordedRequest

__all__ = [
    "CARRY_OVER_REFUSED",
    "DEFAULT_TABLES",
    "KICKSTARTER_AIRLINE_COLUMNS",
    "ConfluentEmulator",
    "RecordedRequest",
]

_ROUTE = re.compile(r"/sql/v1/organizations/(?P<org>[^/]+)/environments/(?P<env>[^/]+)"
                    r"/statements(?:/(?P<name>[^/]+)(?P<exceptions>/exceptions)?)?")
_WWW_AUTHENTICATE = 'Basic error="invalid_key", error_description="The API Key is invalid"'  # OAS 401
_ANY_METHOD = "*"


@dataclass
class _Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cut: Cut | None = None  # how the answer is cut short
    refuses: bool = False  # stop listening once this answer is out
    refuse_for: float | None = None  # for this long (None: until listen_again())
    unanswered: bool = False  # with refuses: close the connection without writing this answer


def _json_response(status: int, payload: object, headers: Mapping[str, str] | None = None) -> _Response:
    return _Response(status, json.dumps(payload).encode(), {"Content-Type": "application/json", **(headers or {})})


def _failure(error: ApiError) -> _Response:
    """OAS `Failure`: {"errors": [Error]} with a fresh occurrence id."""
    entry = {"id": str(uuid.uuid4()), "status": str(error.status), "code": error.code, "title": error.title,
             "detail": error.detail, "source": error.source}
    return _json_response(error.status, {"errors": [entry]}, error.headers)


class FaultKind(enum.Enum):
    """What an HTTP fault knob does to the requests it matches."""

    FAIL = "fail"  # fail_next: answer a status instead (or after performing the request)
    SLOW = "slow"  # slow_next: answer late
    LOSE = "lose"  # lose_next, lose_next_create_response: perform, then close unanswered
    RESET = "reset"  # reset_next: perform, then half the answer and a TCP RST
    TRUNCATE = "truncate"  # truncate_next: perform, then a short body
    REFUSE_AFTER = "refuse_after"  # refuse_after: answer, then stop listening
    REFUSE_NOW = "refuse_now"  # refuse_next: stop listening instead of answering


@dataclass
class _HttpFault:
    """A scripted answer for the next `remaining` requests matching method and path."""

    kind: FaultKind
    method: str
    path_regex: re.Pattern
    remaining: int
    status: int = 0
    retry_after: int | float | str | None = None
    body: object = None
    perform: bool = False
    seconds: float | None = 0.0  # slow: the delay; refusals: how long (None: until listen_again())
    body_regex: re.Pattern | None = None  # re.search on the request body (UTF-8 text)
    answer_regex: re.Pattern | None = None  # REFUSE_AFTER: re.search on the answer's body
    skip: int = 0  # REFUSE_AFTER: matching requests let through before the fault applies

    def matches(self, method: str, path: str, body: str = "") -> bool:
        return (self.remaining > 0 and self.method in (_ANY_METHOD, method)
                and self.path_regex.search(path) is not None
                and (self.body_regex is None or self.body_regex.search(body) is not None))

    def answer(self) -> _Response:
        headers = {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}
        if self.body is None and self.status == 429:  # OAS declares no content for 429
            return _Response(429, b"", headers)
        if self.body is None:
            phrase = HTTPStatus(self.status).phrase
            return _failure(ApiError(self.status, phrase.lower().replace(" ", "_"), phrase,
                                     f"Injected {self.status} {phrase}.", headers=headers))
        if isinstance(self.body, (dict, list)):
            return _json_response(self.status, self.body, headers)
        raw = self.body.encode() if isinstance(self.body, str) else bytes(self.body)
        return _Response(self.status, raw, {"Content-Type": "application/json", **headers} if raw else headers)


class ConfluentEmulator:
    """A Confluent Cloud Flink environment `env_id` of organization `org_id` on 127.0.0.1.

    `tables` maps table names to ordered (column, Flink type) pairs; default: `skyone_avro` and
    `sunset_avro` with KICKSTARTER_AIRLINE_COLUMNS. `phase_delays` overrides seconds per
    transition (keys `pending`, `completing`, `stopping`, `deleting`, optionally narrowed to one
    sql_kind such as `pending.INSERT_INTO`). `port` 0 picks a free port. `clock` (default
    time.monotonic) times the transitions: a test that must see an intermediate phase passes a
    clock it advances itself, so that no phase can elapse before it looks.
    """

    def __init__(self, org_id: str, env_id: str, api_key: str, api_secret: str, *,
                 tables: Mapping[str, Sequence[tuple[str, str]]] | None = None,
                 phase_delays: Mapping[str, float] | None = None, port: int = 0,
                 clock: Callable[[], float] = time.monotonic):
        self.org_id, self.env_id = org_id, env_id
        self._environment = FlinkEnvironment(org_id, env_id, tables, phase_delays, clock)
        self._credentials = f"{api_key}:{api_secret}".encode()
        self._port = port
        self._lock = threading.Lock()  # guards the HTTP faults and the request log
        self._faults: list[_HttpFault] = []
        self._refusing = False  # not listening, until listen_again()
        self._requests: list[RecordedRequest] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`, the value for CCAF_FLINK_ENDPOINT."""
        if self._server is None:
            raise RuntimeError("the emulator is not started")
        return self._environment.base_url

    def start(self) -> ConfluentEmulator:
        self._server = _Server(self._port, self)
        self._environment.base_url = f"http://127.0.0.1:{self._server.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),  # poll: fast stop()
                                        name="confluent-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop open keep-alive connections."""
        with self._lock:  # not while `refuse_after` starts listening again
            server, self._server = self._server, None
            thread = self._thread
        if server is not None:
            server.stop_listening()
            thread.join()

    def __enter__(self) -> ConfluentEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---- HTTP fault knobs (thread-safe) ---------------------------------------------------------
    def fail_next(self, method: str, path_regex: str, status: int, *, times: int = 1,
                  retry_after: int | float | str | None = None, body: object = None,
                  perform: bool = False, body_regex: str | None = None) -> None:
        """Answer the next `times` requests matching `method` ("*": any) and `path_regex`
        (re.search on the path, e.g. r"/statements$") with `status`.

        The request is not performed (a 429 "was not processed") unless `perform` is true, in
        which case it takes effect and only its answer is replaced (a POST that created the
        statement but answered 500). Body: none for 429 (OAS declares no content), an OAS
        `Failure` otherwise; `body` overrides it (dict/list as JSON, str/bytes raw, "" empty).
        `retry_after` adds a Retry-After header (seconds). `body_regex`, here and in the other
        HTTP knobs, narrows the match to requests whose body matches (re.search), e.g.
        r'"sql.dry-run":"true"' for dry runs only.
        """
        status = int(HTTPStatus(status))  # ValueError now rather than in the server thread
        self._add_fault(_HttpFault(FaultKind.FAIL, method.upper(), re.compile(path_regex), times, status=status,
                                   retry_after=retry_after, body=body, perform=perform,
                                   body_regex=_compile(body_regex)))

    def slow_next(self, method: str, path_regex: str, seconds: float, times: int = 1, *,
                  body_regex: str | None = None) -> None:
        """Delay the answer to the next `times` matching requests by `seconds`; the request itself
        is performed at once (a client that times out finds its effect when it reads back)."""
        self._add_fault(_HttpFault(FaultKind.SLOW, method.upper(), re.compile(path_regex), times, seconds=seconds,
                                   body_regex=_compile(body_regex)))

    def lose_next_create_response(self, times: int = 1) -> None:
        """Perform the next `times` POST .../statements, then close the connection unanswered."""
        self._add_fault(_HttpFault(FaultKind.LOSE, "POST", re.compile(r"/statements$"), times))

    def lose_next(self, method: str, path_regex: str, times: int = 1, *, body_regex: str | None = None) -> None:
        """Perform the next `times` matching requests, then close the connection unanswered (a
        request that took effect and whose answer was lost)."""
        self._add_fault(_HttpFault(FaultKind.LOSE, method.upper(), re.compile(path_regex), times,
                                   body_regex=_compile(body_regex)))

    def reset_next(self, method: str, path_regex: str, times: int = 1, *, body_regex: str | None = None) -> None:
        """Perform the next `times` matching requests, send the first half of the answer (status
        line and headers included), then reset the connection (TCP RST)."""
        self._add_fault(_HttpFault(FaultKind.RESET, method.upper(), re.compile(path_regex), times,
                                   body_regex=_compile(body_regex)))

    def truncate_next(self, method: str, path_regex: str, times: int = 1, *, body_regex: str | None = None) -> None:
        """Perform the next `times` matching requests and answer with the full Content-Length
        (at least 16 bytes) but half the body, then close the connection cleanly."""
        self._add_fault(_HttpFault(FaultKind.TRUNCATE, method.upper(), re.compile(path_regex), times,
                                   body_regex=_compile(body_regex)))

    def refuse_after(self, method: str, path_regex: str, seconds: float | None, *, skip: int = 0,
                     body_regex: str | None = None, answer_regex: str | None = None) -> None:
        """Once a matching request (past the first `skip` matches; `answer_regex`: only one whose
        answer body matches) has been answered, with `Connection: close`, stop listening for
        `seconds` (None: until `listen_again()`): every connection is closed and new ones are
        refused (ECONNREFUSED), then the emulator listens on the same port again. Whatever the
        client sends next is refused."""
        self._add_fault(_HttpFault(FaultKind.REFUSE_AFTER, method.upper(), re.compile(path_regex), 1, seconds=seconds,
                                   skip=skip, body_regex=_compile(body_regex), answer_regex=_compile(answer_regex)))

    # ---- statement fault knobs: for statements created after the call ------------------------
    def fail_statement_when_created(self, name_regex: str | None = None,
                                    detail: str = "Statement failed (injected by the emulator).", *,
                                    sql_regex: str | None = None,
                                    exceptions: Sequence[str | tuple[str, str]] = (),
                                    times: int | None = None) -> None:
        """Statements whose name / SQL match (re.search; both None: every statement) go
        PENDING -> FAILED with `status.detail` = `detail` and `/exceptions` = `exceptions`
        (messages or (class name, message) pairs, newest first; default one exception carrying
        the detail). `times` None: every matching statement. Dry runs are not affected."""
        pairs = tuple(("java.lang.RuntimeException", e) if isinstance(e, str) else tuple(e) for e in exceptions)
        self._add_rule("fail", name_regex, sql_regex, detail, times, pairs)

    def degrade(self, name_regex: str | None = None,
                detail: str = "The statement is experiencing reduced performance or partial failure.", *,
                sql_regex: str | None = None, times: int | None = None) -> None:
        """Matching statements go PENDING -> DEGRADED (OAS phase) with `detail`."""
        self._add_rule("degrade", name_regex, sql_regex, detail, times)

    def exhaust_pool(self, name_regex: str | None = None,
                     detail: str = "The compute pool has reached its CFU limit; the statement waits for resources.",
                     *, sql_regex: str | None = None, times: int | None = None) -> None:
        """Matching statements stay PENDING with `status.scaling_status.scaling_state` =
        POOL_EXHAUSTED (OAS sql.v1.ScalingStatus) and `detail`."""
        self._add_rule("exhaust", name_regex, sql_regex, detail, times)

    def warn(self, name_regex: str | None = None, sql_regex: str | None = None,
             reason: str = DEFAULT_WARNING_REASON, message: str = DEFAULT_WARNING_MESSAGE,
             severity: str = DEFAULT_WARNING_SEVERITY) -> None:
        """Statements whose name / SQL match (re.search; both None: every statement) carry
        `status.warnings: [{"severity", "created_at", "reason", "message"}]` (OAS
        sql.v1.StatementWarning) from when they start running, and dry runs from their answer
        (Confluent reports warnings there too) - for statements that start or are dry-run after
        the call; a statement refused for carry-over carries them as well. Several calls add
        several warnings; the same warning is never added twice. `severity` is not checked (the
        OAS enum is extensible)."""
        self._environment.add_warning_rule(WarningRule(reason, message, severity, _compile(name_regex),
                                                       _compile(sql_regex)))

    def define_table(self, name: str, columns: Sequence[tuple[str, str]], *, changelog_mode: str = "append") -> None:
        """Add a table visible from every catalog, or replace its columns. `changelog_mode`
        "upsert": an upsert table (as with a PRIMARY KEY), so carrying offsets over into a
        statement writing to it is refused."""
        self._environment.define_table(name, columns, changelog_mode=changelog_mode)

    def drop_table(self, name: str) -> None:
        self._environment.drop_table(name)

    def set_phase_delays(self, delays: Mapping[str, float] | None = None, /, **more: float) -> None:
        """Seconds per transition from now on, e.g. set_phase_delays(pending=2) or
        set_phase_delays({"pending.INSERT_INTO": 5}); see DEFAULT_PHASE_DELAYS."""
        self._environment.set_phase_delays({**(delays or {}), **more})

    # ---- introspection --------------------------------------------------------------------------
    @property
    def statements(self) -> dict[str, dict]:
        """Every stored statement (as GET renders it), by name, in creation order."""
        return self._environment.snapshot()

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def table_columns(self, name: str, *, catalog: str | None = None,
                      database: str | None = None) -> list[tuple[str, str]]:
        """(column, Flink type text) pairs of table `name` as the catalog holds it now, in
        declaration order (a table created by CREATE TABLE ends with `$rowtime`). `catalog` /
        `database` narrow the search; KeyError if there is no such table, ValueError if several."""
        return self._environment.table_columns(name, catalog=catalog, database=database)

    def starts(self, name: str) -> list[dict]:
        """Every start of the streaming statement (INSERT INTO, EXECUTE STATEMENT SET, CREATE
        TABLE AS) called `name`, oldest first, including those of a deleted statement of that
        name: `{"from": "earliest" | "carry-over" | "own-offsets", "predecessor": name | None}`.
        "earliest": a fresh start (reads its sources from the beginning); "carry-over": it had
        `sql.tables.initial-offset-from` = predecessor and started once that one stopped (also
        when the predecessor never ran); "own-offsets": resumed after a stop. [] if it never ran."""
        return self._environment.starts(name)

    def fresh_starts(self, label_selector: Mapping[str, str]) -> list[str]:
        """Names of the statements with every label of `label_selector` (deleted ones included)
        that ever started from the earliest offsets, in the order they first did."""
        return self._environment.fresh_starts(label_selector)

    def count_requests(self, method: str, path_regex: str) -> int:
        """Requests received with `method` ("*": any) whose path matches (re.search)."""
        pattern = re.compile(path_regex)
        return sum(1 for r in self.requests
                   if method.upper() in (_ANY_METHOD, r.method) and pattern.search(r.path))

    # ---- request handling -----------------------------------------------------------------------
    def _add_fault(self, fault: _HttpFault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _add_rule(self, outcome: str, name_regex: str | None, sql_regex: str | None, detail: str,
                  times: int | None, exceptions: tuple[tuple[str, str], ...] = ()) -> None:
        self._environment.add_rule(StatementRule(
            outcome, detail, re.compile(name_regex) if name_regex else None,
            re.compile(sql_regex) if sql_regex else None, exceptions, times))

    def refuse_next(self, method: str, path_regex: str, seconds: float | None, times: int = 1, *,
                    body_regex: str | None = None) -> None:
        """When the next `times` matching requests arrive, do not perform them: stop listening,
        close every connection (theirs unanswered) and listen again on the same port after
        `seconds` (None: when `listen_again()` is called, e.g. once the client logged the refusal:
        a fixed time would race with the client's own retries). A client that sends the request again at once is refused (ECONNREFUSED);
        libcurl does so by itself, on a fresh connection, when a kept-alive connection dies
        before answering, so its caller sees that very request refused."""
        self._add_fault(_HttpFault(FaultKind.REFUSE_NOW, method.upper(), re.compile(path_regex), times, seconds=seconds,
                                   body_regex=_compile(body_regex)))

    def _claim_faults(self, method: str, path: str, body: str = "") -> dict[FaultKind, _HttpFault]:
        """The first matching fault of each kind, each consumed once (REFUSE_AFTER is claimed
        after the answer is known, by `_claim_refusal`)."""
        claimed: dict[FaultKind, _HttpFault] = {}
        with self._lock:
            for fault in self._faults:
                if fault.kind is not FaultKind.REFUSE_AFTER and fault.kind not in claimed and fault.matches(method, path, body):
                    fault.remaining -= 1
                    claimed[fault.kind] = fault
            self._faults = [fault for fault in self._faults if fault.remaining > 0]
        return claimed

    def _claim_refusal(self, method: str, path: str, body: str, answer: bytes) -> _HttpFault | None:
        with self._lock:
            for fault in self._faults:
                if (fault.kind is FaultKind.REFUSE_AFTER and fault.matches(method, path, body)
                        and (fault.answer_regex is None
                             or fault.answer_regex.search(answer.decode("utf-8", "replace")) is not None)):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.remaining -= 1
                    self._faults = [f for f in self._faults if f.remaining > 0]
                    return fault
        return None

    def _stop_listening(self, keep: socket.socket) -> None:
        """Close the listening socket and every connection but `keep` (handler thread)."""
        server = self._server
        with self._lock:
            self._refusing = True
        if server is not None:
            server.stop_listening(except_connection=keep)

    def listen_again(self) -> None:
        """End a refusal (`refuse_after` / `refuse_next`): listen on the same port again. Nothing
        happens if the emulator is listening or stopped."""
        with self._lock:
            old = self._server
            if old is None or not self._refusing:  # stopped, or listening
                return
            self._refusing = False
            self._server = _Server(old.port, self)
            self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                            name="confluent-emulator", daemon=True)
            self._thread.start()

    def _listen_again_after(self, seconds: float | None) -> None:
        if seconds is None:
            return  # until listen_again()

        def relisten() -> None:
            time.sleep(seconds)
            self.listen_again()

        threading.Thread(target=relisten, name="confluent-emulator-relisten", daemon=True).start()

    def _handle_request(self, request: RecordedRequest) -> _Response | None:
        """Answer one request (None: drop the connection) and log it."""
        method, path, query, headers, body, text = (request.method, request.path, request.query, request.headers,
                                                    request.body, request.text)
        faults = self._claim_faults(method, path, text)
        if FaultKind.REFUSE_NOW in faults:
            with self._lock:
                self._requests.append(request)
            return _Response(0, refuses=True, refuse_for=faults[FaultKind.REFUSE_NOW].seconds, unanswered=True)
        fail = faults.get(FaultKind.FAIL)
        if fail is None or fail.perform:
            response = self._serve(method, path, query, headers, body)
        if fail is not None:
            response = fail.answer()
        lost = FaultKind.LOSE in faults
        response.headers["X-Request-Id"] = str(uuid.uuid4())
        response.cut = Cut.RESET if FaultKind.RESET in faults else Cut.TRUNCATE if FaultKind.TRUNCATE in faults else None
        refusal = None if lost else self._claim_refusal(method, path, text, response.body)
        if refusal is not None:
            response.headers["Connection"] = "close"
            response.refuses, response.refuse_for = True, refusal.seconds
        answered = {} if lost else {"status": response.status, "request_id": response.headers["X-Request-Id"]}
        with self._lock:
            self._requests.append(dataclasses.replace(request, **answered))
        if FaultKind.SLOW in faults:
            time.sleep(faults[FaultKind.SLOW].seconds)
        return None if lost else response

    def _serve(self, method: str, path: str, query: dict[str, str], headers: Mapping[str, str],
               body: bytes) -> _Response:
        try:
            self._authenticate(headers.get("authorization", ""))
            route = _ROUTE.fullmatch(path)
            if route is None:
                raise not_found(f"No resource at {path}.")
            if (route["org"], route["env"]) != (self.org_id, self.env_id):
                raise not_found(f"Environment '{route['env']}' not found in organization '{route['org']}'.")
            environment = self._environment
            name = unquote(route["name"]) if route["name"] else None
            if name is None:
                allowed = "GET, POST"
                if method == "GET":
                    data, token = environment.list_page(query)
                    next_url = self._url(path, {**query, "page_token": token}) if token else ""
                    return _json_response(200, {"api_version": "sql/v1", "kind": "StatementList",
                                                "metadata": {"self": self._url(path, query), "next": next_url},
                                                "data": data})
                if method == "POST":
                    statement = environment.create(_json_body(body))
                    return _json_response(201, statement, {"Location": statement["metadata"]["self"]})
            elif route["exceptions"]:
                allowed = "GET"
                if method == "GET":
                    return _json_response(200, {"api_version": "sql/v1", "kind": "StatementExceptionList",
                                                "metadata": {"self": self._url(path, {})},
                                                "data": environment.exceptions(name)})
            else:
                allowed = "GET, PUT, DELETE"
                if method == "GET":
                    return _json_response(200, environment.get(name))
                if method == "PUT":
                    environment.update(name, _json_body(body))
                    return _Response(202)
                if method == "DELETE":
                    environment.delete(name)
                    return _Response(202)
            raise ApiError(405, "method_not_allowed", "Method Not Allowed", f"{method} is not supported on {path}.",
                           headers={"Allow": allowed})
        except ApiError as error:
            return _failure(error)

    def _authenticate(self, authorization: str) -> None:
        scheme, _, encoded = authorization.partition(" ")
        try:
            credentials = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            credentials = b""
        if scheme.lower() != "basic" or not hmac.compare_digest(credentials, self._credentials):
            raise ApiError(401, "user_unauthenticated", "Authentication Required",
                           "Valid authentication credentials must be provided",
                           headers={"WWW-Authenticate": _WWW_AUTHENTICATE})

    def _url(self, path: str, query: Mapping[str, str]) -> str:
        return f"{self.base_url}{path}" + (f"?{urlencode(query)}" if query else "")


def _compile(pattern: str | None) -> re.Pattern | None:
    return re.compile(pattern) if pattern is not None else None


def _json_body(body: bytes) -> object:
    try:
        return json.loads(body) if body else None
    except ValueError as error:
        raise ApiError(400, "bad_request", "Bad Request", f"The request body is not valid JSON: {error}.") from None


class _Handler(PeerHandler):
    announce = True  # Server and Date, as Confluent's gateway sends
    server_version = "ConfluentEmulator"
    server: _Server

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        try:
            body = self.read_body()
        except ValueError:
            self.close_connection = True
            self._write(_failure(ApiError(400, "bad_request", "Bad Request", "Malformed request body framing.")))
            return
        emulator = self.server.emulator
        response = emulator._handle_request(self.record(body))
        if response is None:
            self.drop()
            return
        if response.refuses:
            # Nothing listens any more before the client can read this answer and send another.
            emulator._stop_listening(keep=self.connection)
            self.close_connection = True
            if not response.unanswered:
                self._write(response)
            emulator._listen_again_after(response.refuse_for)
            return
        if response.cut is not None:
            self.write_cut(response.cut, response.status, response.body, response.headers)
            return
        self._write(response)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _write(self, response: _Response) -> None:
        self.write_answer(response.status, response.body, {"X-Request-Id": str(uuid.uuid4()), **response.headers})


class _Server(PeerServer):
    def __init__(self, port: int, emulator: ConfluentEmulator):
        self.emulator = emulator
        super().__init__(port, _Handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve an emulated Confluent Cloud Flink statements API.")
    parser.add_argument("--org", required=True, help="organization id (UUID)")
    parser.add_argument("--env", required=True, help="environment id, e.g. env-abc123")
    parser.add_argument("--key", required=True, help="Flink API key")
    parser.add_argument("--secret", required=True, help="Flink API secret")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")
    parser.add_argument("--phase-delay", action="append", default=[], metavar="NAME=SECONDS",
                        help="transition duration, e.g. pending=2 or pending.INSERT_INTO=5 (repeatable)")
    args = parser.parse_args(argv)
    delays = {}
    for item in args.phase_delay:
        name, _, seconds = item.partition("=")
        try:
            delays[name] = float(seconds)
        except ValueError:
            parser.error(f"--phase-delay {item!r} is not NAME=SECONDS")
    try:
        emulator = ConfluentEmulator(args.org, args.env, args.key, args.secret, phase_delays=delays, port=args.port)
    except ValueError as error:
        parser.error(str(error))
    stopping = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stopping.set())
    with emulator:
        print(emulator.base_url, flush=True)
        while not stopping.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
