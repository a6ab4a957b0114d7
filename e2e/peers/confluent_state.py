"""The emulated Confluent Cloud for Apache Flink environment: its statements and its catalog.

Shapes follow the sql/v1 OpenAPI document (reference/flink-gateway-openapi.yaml): a statement
renders as `sql.v1.Statement` (metadata `StatementObjectMeta`, `sql.v1.StatementSpec`,
`sql.v1.StatementStatus`); errors are raised as `ApiError` and rendered by the HTTP layer as a
`Failure` body. Lifecycle rules come from reference/confluent-flink-api.md §1.5-§1.9 and the
Confluent docs page "Carry-over Offsets" (the new statement waits for the old one to stop, and
only a stateless statement may carry offsets over).

Offsets are modelled by where each start of a streaming statement reads from (`starts`): the
earliest offsets (a fresh statement), the offsets its `sql.tables.initial-offset-from`
predecessor stopped at (carry-over), or its own (a resume). That is enough for a test to prove a
deploy neither reads anything twice nor skips anything.

Time is virtual but tied to the clock: every transition is an event due at a monotonic instant,
and pending events are applied, in order, at the start of each call (lazily, so no thread is
needed and a transition's timestamps are those of the instant it was due).
"""
from __future__ import annotations

import base64
import copy
import heapq
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from e2e.peers.confluent_sql import CHANGELOG_MODES, RESUMABLE_KINDS, SqlAnalysis, SqlError, TableName, analyze, line_and_column, parse_type

# Avro field order of the kickstarter airline topics (AirlineAvroData.java), as Confluent shows
# a table inferred from them: the `key` bytes column first and the `$rowtime` system column last.
KICKSTARTER_AIRLINE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("key", "BYTES"),
    ("email_address", "STRING"),
    ("departure_time", "STRING"),
    ("departure_airport_code", "STRING"),
    ("arrival_time", "STRING"),
    ("arrival_airport_code", "STRING"),
    ("flight_duration", "BIGINT"),
    ("flight_number", "STRING"),
    ("confirmation_code", "STRING"),
    ("ticket_price", "DECIMAL(10, 2)"),
    ("aircraft", "STRING"),
    ("booking_agency_email", "STRING"),
    ("$rowtime", "TIMESTAMP_LTZ(3) NOT NULL"),
)
DEFAULT_TABLES = {"skyone_avro": KICKSTARTER_AIRLINE_COLUMNS, "sunset_avro": KICKSTARTER_AIRLINE_COLUMNS}
ROWTIME_COLUMN = ("$rowtime", "TIMESTAMP_LTZ(3) NOT NULL")  # added to every Confluent table (§3)
DEFAULT_COMPUTE_POOL_ID = "lfcp-default"  # OAS StatementSpec: omitted => "the default compute pool"
# Seconds each transition takes. A key may be narrowed to one sql_kind: "pending.INSERT_INTO".
DEFAULT_PHASE_DELAYS = {
    "pending": 0.1,  # PENDING -> RUNNING (or FAILED / DEGRADED / pool exhausted)
    "completing": 0.1,  # RUNNING -> COMPLETED for bounded statements (DDL)
    "stopping": 0.1,  # STOPPING -> STOPPED
    "deleting": 0.1,  # DELETING -> gone (GET answers 404)
}
TERMINAL_PHASES = frozenset({"COMPLETED", "FAILED", "STOPPED"})  # OAS StatementStatus.end_time
_NAME_PATTERN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")  # OAS
_MAX_NAME = 100  # OAS sql.v1.Statement.name maxLength
_MAX_STATEMENT = 131072  # OAS StatementSpec.statement maxLength
_MAX_PROPERTIES = 8192  # OAS StatementSpec.properties maxProperties
_MAX_PAGE_SIZE = 100  # OAS listSqlv1Statements page_size maximum
_DEFAULT_PAGE_SIZE = 10
_VALIDATION_EXCEPTION = "org.apache.flink.table.api.ValidationException"
_CARRY_OVER = "sql.tables.initial-offset-from"
# status.detail (and the one exception) of a statement refused because it carries offsets over but
# is not stateless (docs "Carry-over Offsets": not for aggregates, LAG, windows, pattern matching,
# upsert sinks). Wording not verified: Confluent's exact text is not published.
CARRY_OVER_REFUSED = ("Carry-over offsets ('" + _CARRY_OVER + "' = '{predecessor}') are not supported for "
                      "statement '{name}': only stateless statements can carry offsets over, and this one "
                      "uses {feature}.")
# The feature named in CARRY_OVER_REFUSED for a statement writing to an upsert table. Wording not verified.
UPSERT_SINK_FEATURE = "an upsert sink ('{table}')"
# Defaults of `warn`: the OAS sql.v1.StatementWarning examples (reason, message, severity), not
# text seen from the service.
DEFAULT_WARNING_REASON = "MISSING_WINDOW_START_END"
DEFAULT_WARNING_MESSAGE = ("The statement is missing window start and end bounds which may lead to unbounded "
                           "state growth.")
DEFAULT_WARNING_SEVERITY = "MODERATE"
# Where a start of a streaming statement reads from (`FlinkEnvironment.starts`).
FROM_EARLIEST, FROM_CARRY_OVER, FROM_OWN_OFFSETS = "earliest", "carry-over", "own-offsets"
_OFFSET_KINDS = frozenset({"INSERT_INTO", "EXECUTE_STATEMENT_SET", "CREATE_TABLE_AS"})  # streaming writers


class ApiError(Exception):
    """An HTTP error answer: status plus one OAS `Error` (code, title, detail, source)."""

    def __init__(self, status: int, code: str, title: str, detail: str, *, pointer: str | None = None,
                 parameter: str | None = None, headers: Mapping[str, str] | None = None):
        super().__init__(detail)
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.source = {"pointer": pointer} if pointer else {"parameter": parameter} if parameter else {}
        self.headers = dict(headers or {})


def _invalid(pointer: str, detail: str) -> ApiError:
    """422 as in the OAS example: code invalid_configuration, source.pointer into the body."""
    return ApiError(422, "invalid_configuration", "Validation Failed", detail, pointer=pointer)


def _bad_parameter(parameter: str, detail: str) -> ApiError:
    return ApiError(400, "invalid_parameter", "Invalid Parameter", detail, parameter=parameter)


def not_found(detail: str) -> ApiError:
    return ApiError(404, "not_found", "Not Found", detail)


@dataclass
class StatementRule:
    """A fault rule from the test: statements it matches end FAILED, DEGRADED or POOL_EXHAUSTED."""

    outcome: str  # "fail", "degrade" or "exhaust"
    detail: str
    name_regex: re.Pattern | None = None
    sql_regex: re.Pattern | None = None
    exceptions: tuple[tuple[str, str], ...] = ()  # (exception class name, message), newest first
    remaining: int | None = None  # None: every matching statement

    def matches(self, name: str, sql: str) -> bool:
        return ((self.name_regex is None or self.name_regex.search(name) is not None)
                and (self.sql_regex is None or self.sql_regex.search(sql) is not None))


@dataclass
class WarningRule:
    """A `status.warnings` entry (OAS sql.v1.StatementWarning) for the statements it matches."""

    reason: str
    message: str
    severity: str
    name_regex: re.Pattern | None = None
    sql_regex: re.Pattern | None = None

    def matches(self, name: str, sql: str) -> bool:
        return ((self.name_regex is None or self.name_regex.search(name) is not None)
                and (self.sql_regex is None or self.sql_regex.search(sql) is not None))


@dataclass(frozen=True)
class _Start:
    """One start of a streaming statement: where it read from."""

    name: str
    labels: dict[str, str]
    origin: str  # FROM_EARLIEST, FROM_CARRY_OVER or FROM_OWN_OFFSETS
    predecessor: str | None  # the carry-over predecessor's name


@dataclass
class _Table:
    name: str
    catalog: str | None  # None: visible from every catalog (tables given to the emulator)
    database: str | None
    columns: tuple[tuple[str, str], ...]
    changelog_mode: str = "append"  # "upsert": carry-over into it is refused


@dataclass
class _Statement:
    name: str
    seq: int
    uid: str
    created_at: str
    labels: dict[str, str]
    spec: dict
    analysis: SqlAnalysis | None
    parse_error: str | None
    rule: StatementRule | None
    updated_at: str = ""
    resource_version: str = ""
    phase: str = "PENDING"
    detail: str | None = None
    traits: dict | None = None
    scaling_status: dict | None = None
    end_time: str | None = None
    exceptions: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)  # OAS sql.v1.StatementWarning objects
    started: bool = False  # has run (RUNNING or DEGRADED) at least once
    epoch: int = 0  # bumped to cancel the transitions scheduled so far

    @property
    def properties(self) -> dict[str, str]:
        return self.spec["properties"]


@dataclass(order=True)
class _Event:
    due: float
    seq: int
    statement: _Statement = field(compare=False)
    epoch: int = field(compare=False)
    action: Callable[[_Statement, float], None] = field(compare=False)


class FlinkEnvironment:
    """Statements and tables of one environment. Every public method is atomic (one lock)."""

    def __init__(self, organization_id: str, environment_id: str,
                 tables: Mapping[str, Sequence[tuple[str, str]]] | None = None,
                 phase_delays: Mapping[str, float] | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.organization_id, self.environment_id = organization_id, environment_id
        self.base_url = ""  # scheme://host:port, set by the HTTP server once it is bound
        self._lock = threading.Lock()
        self._clock = clock
        self._wall_origin, self._clock_origin = time.time(), clock()
        self._delays = dict(DEFAULT_PHASE_DELAYS)
        self.set_phase_delays(phase_delays or {})
        self._tables: list[_Table] = []
        for name, columns in (DEFAULT_TABLES if tables is None else tables).items():
            for _, type_text in columns:
                parse_type(type_text)  # fail fast on a type the emulator cannot render
            self._tables.append(_Table(name, None, None, tuple(columns)))
        self._statements: dict[str, _Statement] = {}
        self._events: list[_Event] = []
        self._carry_over_waiters: dict[str, list[str]] = {}
        self._rules: list[StatementRule] = []
        self._warning_rules: list[WarningRule] = []
        self._starts: list[_Start] = []  # every start of a streaming statement, deleted ones too
        self._counter = 0

    # ---- test-facing configuration -------------------------------------------------------
    def define_table(self, name: str, columns: Sequence[tuple[str, str]], *, changelog_mode: str = "append") -> None:
        """Add a table visible from every catalog, or replace its columns (a source's schema evolving).
        `changelog_mode` "upsert" makes it an upsert sink (a table with a PRIMARY KEY)."""
        for _, type_text in columns:
            parse_type(type_text)
        if changelog_mode not in CHANGELOG_MODES:
            raise ValueError(f"changelog_mode must be one of {sorted(CHANGELOG_MODES)}")
        with self._lock:
            self._tables = [table for table in self._tables if not (table.name == name and table.catalog is None)]
            self._tables.append(_Table(name, None, None, tuple(columns), changelog_mode))

    def table_columns(self, name: str, *, catalog: str | None = None,
                      database: str | None = None) -> list[tuple[str, str]]:
        """(column, type text) pairs of the table called `name`, in declaration order; a table a
        CREATE TABLE made includes the `$rowtime` system column. `catalog` / `database` narrow the
        search when tables of that name exist in several places. KeyError: no such table;
        ValueError: more than one."""
        with self._lock:
            self._advance()
            found = [table for table in self._tables if table.name == name
                     and (catalog is None or table.catalog in (None, catalog))
                     and (database is None or table.database in (None, database))]
            if not found:
                raise KeyError(f"no table {name!r}")
            if len(found) > 1:
                places = ", ".join(f"{t.catalog or '*'}.{t.database or '*'}" for t in found)
                raise ValueError(f"table {name!r} exists in {places}; pass catalog= and database=")
            return list(found[0].columns)

    def drop_table(self, name: str) -> None:
        """Remove a table, whatever its catalog."""
        with self._lock:
            self._tables = [table for table in self._tables if table.name != name]

    def set_phase_delays(self, delays: Mapping[str, float]) -> None:
        """Change transition durations; applies to transitions scheduled from now on."""
        with self._lock:
            for key, seconds in delays.items():
                if key.split(".", 1)[0] not in DEFAULT_PHASE_DELAYS or float(seconds) < 0:
                    raise ValueError(f"unknown phase delay {key!r} or negative seconds; "
                                     f"keys are {sorted(DEFAULT_PHASE_DELAYS)}, optionally '.<SQL_KIND>'")
                self._delays[key] = float(seconds)

    def add_rule(self, rule: StatementRule) -> None:
        with self._lock:
            self._rules.append(rule)

    def add_warning_rule(self, rule: WarningRule) -> None:
        with self._lock:
            self._warning_rules.append(rule)

    def starts(self, name: str) -> list[dict]:
        """Every start of the streaming statement(s) called `name`, oldest first, deleted ones
        included: {"from": "earliest" | "carry-over" | "own-offsets", "predecessor": name | None}."""
        with self._lock:
            self._advance()
            return [{"from": start.origin, "predecessor": start.predecessor}
                    for start in self._starts if start.name == name]

    def fresh_starts(self, label_selector: Mapping[str, str]) -> list[str]:
        """Names of the statements (deleted ones too) with every label of `label_selector` that
        ever started from the earliest offsets, in the order of their first such start."""
        with self._lock:
            self._advance()
            names: list[str] = []
            for start in self._starts:
                if (start.origin == FROM_EARLIEST and start.name not in names
                        and all(start.labels.get(key) == value for key, value in label_selector.items())):
                    names.append(start.name)
            return names

    def snapshot(self) -> dict[str, dict]:
        with self._lock:
            self._advance()
            return {name: self._render(statement) for name, statement in self._statements.items()}

    # ---- API operations ------------------------------------------------------------------
    def create(self, body: object) -> dict:
        """createSqlv1Statement: validate, store PENDING (or answer a dry run), return it."""
        with self._lock:
            now = self._advance()
            name, spec, labels = _validate_create(body)
            if name in self._statements:
                raise ApiError(409, "resource_already_exists", "Resource Already Exists",
                               f"Statement '{name}' already exists in environment '{self.environment_id}'.",
                               headers={"Location": self.statement_url(name)})
            try:
                analysis, parse_error = analyze(spec["statement"]), None
            except SqlError as error:
                analysis, parse_error = None, str(error)
            dry_run = spec["properties"].get("sql.dry-run", "").lower() == "true"
            statement = _Statement(name, self._next_number(), str(uuid.uuid4()), self._wall(now), labels, spec,
                                   analysis, parse_error, None if dry_run else self._claim_rule(name, spec))
            self._statements[name] = statement
            self._touch(statement, now)
            if dry_run:
                self._answer_dry_run(statement, now)
            else:
                self._schedule(statement, "pending", self._start, now)
            return self._render(statement)

    def get(self, name: str) -> dict:
        with self._lock:
            self._advance()
            return self._render(self._require(name))

    def list_page(self, query: Mapping[str, str]) -> tuple[list[dict], str | None]:
        """listSqlv1Statements: one page in creation order and the next page_token (or None)."""
        with self._lock:
            self._advance()
            page_size = _page_size(query.get("page_size"))
            selector = _label_selector(query.get("label_selector"))
            after = _decode_page_token(query["page_token"]) if query.get("page_token") else 0
            pool = query.get("spec.compute_pool_id")
            matching = [s for s in self._statements.values()
                        if s.seq > after and (pool is None or s.spec["compute_pool_id"] == pool)
                        and all(s.labels.get(key) == value for key, value in selector)]
            page = matching[:page_size]
            token = _encode_page_token(page[-1].seq) if len(matching) > page_size else None
            return [self._render(s) for s in page], token

    def update(self, name: str, body: object) -> None:
        """updateSqlv1Statement: optimistic concurrency on resource_version; stop or resume."""
        with self._lock:
            now = self._advance()
            statement = self._require(name)
            spec, version = _validate_update(body, name)
            if version != statement.resource_version:
                raise ApiError(409, "conflict", "Conflict",
                               f"Statement '{name}' has changed since resource_version '{version}' "
                               f"(now '{statement.resource_version}'): GET it, reapply the change, retry.")
            for key in ("statement", "properties"):  # x-immutable; properties: TF GH-1119
                if key in spec and spec[key] != statement.spec[key]:
                    raise _invalid(f"/spec/{key}", f"spec.{key} of a statement is immutable; "
                                                   "create a new statement instead.")
            if statement.phase == "DELETING":
                raise ApiError(409, "conflict", "Conflict", f"Statement '{name}' is being deleted.")
            resuming = not spec["stopped"] and statement.spec["stopped"] and statement.phase == "STOPPED"
            kind = statement.analysis.kind if statement.analysis else "UNKNOWN"
            if resuming and kind not in RESUMABLE_KINDS:
                raise _invalid("/spec/stopped", f"A statement of kind {kind} cannot be resumed; "
                                                f"only {', '.join(sorted(RESUMABLE_KINDS))} can.")
            for key in ("principal", "compute_pool_id", "scaling"):  # may change, e.g. on resume
                if key in spec:
                    statement.spec[key] = spec[key]
            statement.spec["stopped"] = spec["stopped"]
            if spec["stopped"] and statement.phase in ("PENDING", "RUNNING", "DEGRADED"):
                self._set_phase(statement, "STOPPING", now)
                self._schedule(statement, "stopping", self._finish_stopping, now)
            elif resuming:
                statement.detail = statement.end_time = None
                self._set_phase(statement, "PENDING", now)
                self._schedule(statement, "pending", self._start, now)
            else:
                self._touch(statement, now)

    def delete(self, name: str) -> None:
        """deleteSqlv1Statement: DELETING now, gone (404) after the deleting delay."""
        with self._lock:
            now = self._advance()
            statement = self._require(name)
            if statement.phase != "DELETING":
                self._set_phase(statement, "DELETING", now)
                self._schedule(statement, "deleting", self._finish_deleting, now)

    def exceptions(self, name: str) -> list[dict]:
        """getSqlv1StatementExceptions: the 10 most recent, newest first."""
        with self._lock:
            self._advance()
            return copy.deepcopy(self._require(name).exceptions[:10])

    def statement_url(self, name: str = "") -> str:
        base = (f"{self.base_url}/sql/v1/organizations/{self.organization_id}"
                f"/environments/{self.environment_id}/statements")
        return f"{base}/{name}" if name else base

    # ---- lifecycle ------------------------------------------------------------------------
    def _advance(self) -> float:
        """Apply every transition due by now, in due order; returns now."""
        now = self._clock()
        while self._events and self._events[0].due <= now:
            event = heapq.heappop(self._events)
            statement = event.statement
            if self._statements.get(statement.name) is statement and statement.epoch == event.epoch:
                event.action(statement, event.due)
        return now

    def _schedule(self, statement: _Statement, delay: str, action: Callable[[_Statement, float], None],
                  at: float) -> None:
        """Cancel the statement's pending transitions and schedule `action` after `delay`."""
        statement.epoch += 1
        kind = statement.analysis.kind if statement.analysis else ""
        seconds = self._delays.get(f"{delay}.{kind}", self._delays[delay])
        heapq.heappush(self._events, _Event(at + seconds, self._next_number(), statement, statement.epoch, action))

    def _start(self, statement: _Statement, at: float) -> None:
        """End of PENDING: carry-over wait, SQL validation, carry-over eligibility, fault rules,
        then RUNNING. A statement that ran before (a resume) goes on from its own offsets: its
        carry-over predecessor no longer matters."""
        origin_name = None if statement.started else statement.properties.get(_CARRY_OVER)
        origin = self._statements.get(origin_name) if origin_name else None
        if origin is not None and origin.phase not in TERMINAL_PHASES | {"DELETING"}:
            # Docs "Carry-over Offsets": "The system automatically waits for the old statement
            # to stop before starting the new one." _set_phase restarts the waiters.
            waiters = self._carry_over_waiters.setdefault(origin_name, [])
            if statement.name not in waiters:
                waiters.append(statement.name)
            return
        if origin_name and (origin is None or origin.phase == "DELETING"):
            problem = (f"Statement '{origin_name}' set in '{_CARRY_OVER}' does not exist "
                       f"in environment '{self.environment_id}'.")
        elif statement.traits is None:  # validated once: a resumed statement is not re-created
            problem = statement.parse_error or self._validate_against_catalog(statement)
            if problem is None and origin_name:
                problem = self._carry_over_refusal(statement)
                if problem:
                    self._attach_warnings(statement, at)  # planned: only its start is refused
        else:
            problem = None
        rule = statement.rule
        if problem:
            self._fail(statement, at, problem)
        elif rule is not None and rule.outcome == "fail":
            self._fail(statement, at, rule.detail, rule.exceptions)
        elif rule is not None and rule.outcome == "exhaust":  # stays PENDING (SQLDRV POOL_EXHAUSTED)
            statement.detail = rule.detail
            statement.scaling_status = {"scaling_state": "POOL_EXHAUSTED", "last_updated": self._wall(at)}
            self._touch(statement, at)
        else:
            statement.traits = self._traits(statement)
            statement.scaling_status = {"scaling_state": "OK", "last_updated": self._wall(at)}
            self._record_start(statement, origin_name)
            self._attach_warnings(statement, at)
            if rule is not None and rule.outcome == "degrade":
                statement.detail = rule.detail
                self._set_phase(statement, "DEGRADED", at)
            else:
                self._set_phase(statement, "RUNNING", at)
                if statement.analysis.is_bounded:
                    self._schedule(statement, "completing", self._complete, at)
                elif statement.analysis.created:  # CREATE TABLE AS: the table exists once it runs
                    self._register_table(statement)

    def _complete(self, statement: _Statement, at: float) -> None:
        analysis = statement.analysis
        if analysis.created:
            self._register_table(statement)
        if analysis.dropped:
            table = self._find_table(analysis.dropped, statement.properties)
            if table is not None:
                self._tables.remove(table)
        self._set_phase(statement, "COMPLETED", at)

    def _finish_stopping(self, statement: _Statement, at: float) -> None:
        self._set_phase(statement, "STOPPED", at)

    def _finish_deleting(self, statement: _Statement, at: float) -> None:
        del self._statements[statement.name]
        for waiter_name in self._carry_over_waiters.pop(statement.name, []):
            waiter = self._statements.get(waiter_name)
            if waiter is not None and waiter.phase == "PENDING":
                self._fail(waiter, at, f"Statement '{statement.name}' set in '{_CARRY_OVER}' was deleted "
                                       "before it stopped; its offsets are lost.")

    def _answer_dry_run(self, statement: _Statement, at: float) -> None:
        """sql.dry-run: the POST answer is already terminal, the statement never runs (§1.11). A
        refused carry-over is refused at once (its predecessor is not waited for), and the
        warnings of a statement that passes validation are reported."""
        problem = statement.parse_error or self._validate_against_catalog(statement)
        if problem is None:
            self._attach_warnings(statement, at)
            if statement.properties.get(_CARRY_OVER):
                problem = self._carry_over_refusal(statement)
        if problem:
            self._fail(statement, at, problem)
        else:
            statement.traits = self._traits(statement)
            self._set_phase(statement, "COMPLETED", at)

    def _carry_over_refusal(self, statement: _Statement) -> str | None:
        """CARRY_OVER_REFUSED when the statement (with sql.tables.initial-offset-from set) is not
        stateless: a stateful query, or an upsert table among its sinks; None otherwise."""
        analysis = statement.analysis
        feature = analysis.stateful_feature
        if feature is None:
            for target in analysis.inserts:
                table = self._find_table(target.table, statement.properties)
                if table is not None and table.changelog_mode == "upsert":
                    feature = UPSERT_SINK_FEATURE.format(table=target.table)
                    break
        if feature is None:
            return None
        return CARRY_OVER_REFUSED.format(predecessor=statement.properties[_CARRY_OVER], name=statement.name,
                                         feature=feature)

    def _record_start(self, statement: _Statement, origin_name: str | None) -> None:
        """Where a streaming statement starts reading: its own offsets on a resume, its
        predecessor's with carry-over (even from one that never ran), else the earliest."""
        analysis = statement.analysis
        if analysis.kind in _OFFSET_KINDS and not analysis.is_bounded:
            if statement.started:
                origin, predecessor = FROM_OWN_OFFSETS, None
            elif origin_name:
                origin, predecessor = FROM_CARRY_OVER, origin_name
            else:
                origin, predecessor = FROM_EARLIEST, None
            self._starts.append(_Start(statement.name, dict(statement.labels), origin, predecessor))
        statement.started = True

    def _attach_warnings(self, statement: _Statement, at: float) -> None:
        """Add the warnings of every matching `warn` rule, each once."""
        for rule in self._warning_rules:
            if rule.matches(statement.name, statement.spec["statement"]):
                warning = {"severity": rule.severity, "created_at": self._wall(at), "reason": rule.reason,
                           "message": rule.message}
                if not any((w["severity"], w["reason"], w["message"]) == (rule.severity, rule.reason, rule.message)
                           for w in statement.warnings):
                    statement.warnings.append(warning)

    def _fail(self, statement: _Statement, at: float, detail: str,
              exceptions: Iterable[tuple[str, str]] = ()) -> None:
        statement.detail = detail
        if statement.analysis is not None:
            statement.traits = self._traits(statement)
        raised = list(exceptions) or [(_VALIDATION_EXCEPTION, detail)]
        statement.exceptions[:0] = [{"kind": "StatementException", "name": exception_name, "message": message,
                                     "timestamp": self._wall(at)} for exception_name, message in raised]
        self._set_phase(statement, "FAILED", at)

    def _set_phase(self, statement: _Statement, phase: str, at: float) -> None:
        statement.phase = phase
        if phase in TERMINAL_PHASES:
            statement.end_time = self._wall(at)
            for waiter_name in self._carry_over_waiters.pop(statement.name, []):
                waiter = self._statements.get(waiter_name)
                if waiter is not None and waiter.phase == "PENDING":
                    self._schedule(waiter, "pending", self._start, at)
        self._touch(statement, at)

    def _touch(self, statement: _Statement, at: float) -> None:
        statement.updated_at = self._wall(at)
        statement.resource_version = _base36(self._next_number())

    # ---- catalog ------------------------------------------------------------------------------
    def _validate_against_catalog(self, statement: _Statement) -> str | None:
        """The Flink validator's complaint about the statement's tables, or None."""
        analysis, properties, sql = statement.analysis, statement.properties, statement.spec["statement"]
        if analysis.created and not analysis.if_not_exists:
            existing = self._find_table(analysis.created, properties)
            if existing is not None:
                catalog, database = self._resolve(analysis.created, properties)[:2]
                return f"Table (or view) {database}.{existing.name} already exists in Catalog {catalog}."
        required = list(analysis.sources) + [target.table for target in analysis.inserts]
        if analysis.dropped and not analysis.if_exists:
            required.append(analysis.dropped)
        for reference in required:
            if self._find_table(reference, properties) is None:
                return _missing_table_detail(sql, reference, *self._resolve(reference, properties)[:2])
        for target in analysis.inserts:
            columns = {name for name, _ in self._find_table(target.table, properties).columns}
            unknown = [column for column in target.columns or () if column not in columns]
            if unknown:
                return f"SQL validation failed. Unknown target column '{unknown[0]}' in table '{target.table}'."
        return None

    def _resolve(self, reference: TableName, properties: Mapping[str, str]) -> tuple[str, str, str]:
        """(catalog, database, table): missing parts from sql.current-catalog/-database."""
        parts = reference.parts[-3:]
        catalog = parts[0] if len(parts) == 3 else properties.get("sql.current-catalog", "default")
        database = parts[-2] if len(parts) >= 2 else properties.get("sql.current-database", "default")
        return catalog, database, parts[-1]

    def _find_table(self, reference: TableName, properties: Mapping[str, str]) -> _Table | None:
        catalog, database, name = self._resolve(reference, properties)
        return next((t for t in self._tables if t.name == name
                     and t.catalog in (None, catalog) and t.database in (None, database)), None)

    def _register_table(self, statement: _Statement) -> None:
        analysis = statement.analysis
        if self._find_table(analysis.created, statement.properties) is None:
            catalog, database, name = self._resolve(analysis.created, statement.properties)
            columns = analysis.created_columns
            if all(column != ROWTIME_COLUMN[0] for column, _ in columns):
                columns += (ROWTIME_COLUMN,)
            self._tables.append(_Table(name, catalog, database, columns, analysis.created_changelog_mode))

    def _traits(self, statement: _Statement) -> dict:
        """OAS sql.v1.StatementTraits; the schema only for `SELECT * FROM <table>`."""
        analysis = statement.analysis
        traits = {"sql_kind": analysis.kind, "is_bounded": analysis.is_bounded, "is_append_only": True}
        table = self._find_table(analysis.sources[0], statement.properties) if analysis.select_star else None
        if table is not None:
            traits["schema"] = {"columns": [{"name": name, "type": parse_type(type_text)}
                                            for name, type_text in table.columns]}
        return traits

    # ---- helpers ------------------------------------------------------------------------------
    def _claim_rule(self, name: str, spec: dict) -> StatementRule | None:
        for rule in self._rules:
            if rule.remaining != 0 and rule.matches(name, spec["statement"]):
                if rule.remaining is not None:
                    rule.remaining -= 1
                return rule
        return None

    def _require(self, name: str) -> _Statement:
        statement = self._statements.get(name)
        if statement is None:
            raise not_found(f"Statement '{name}' not found in environment '{self.environment_id}'.")
        return statement

    def _next_number(self) -> int:
        self._counter += 1
        return self._counter

    def _wall(self, instant: float) -> str:
        """RFC 3339 UTC (OAS `format: date-time`) of a clock instant."""
        moment = datetime.fromtimestamp(self._wall_origin + instant - self._clock_origin, tz=UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def _render(self, statement: _Statement) -> dict:
        """OAS sql.v1.Statement; status fields only when they have a value."""
        status = {"phase": statement.phase}
        optional = {"detail": statement.detail, "traits": statement.traits,
                    "scaling_status": statement.scaling_status, "end_time": statement.end_time}
        status.update({key: value for key, value in optional.items() if value is not None})
        if statement.warnings:  # OAS StatementStatus.warnings, only when there are some
            status["warnings"] = statement.warnings
        status["network_kind"] = "PUBLIC"
        return copy.deepcopy({
            "api_version": "sql/v1",
            "kind": "Statement",
            "metadata": {"self": self.statement_url(statement.name), "created_at": statement.created_at,
                         "updated_at": statement.updated_at, "uid": statement.uid,
                         "resource_version": statement.resource_version, "labels": statement.labels},
            "name": statement.name,
            "organization_id": self.organization_id,
            "environment_id": self.environment_id,
            "spec": statement.spec,
            "status": status,
        })


def _missing_table_detail(sql: str, reference: TableName, catalog: str, database: str) -> str:
    """Confluent's wording (confluentinc/vscode #2119)."""
    from_line, from_column = line_and_column(sql, reference.start)
    to_line, to_column = line_and_column(sql, reference.end - 1)
    return (f"SQL validation failed. Error from line {from_line}, column {from_column} to line {to_line}, "
            f"column {to_column}. Caused by: Table (or view) '{reference}' does not exist, may be on a private "
            "cluster, or you do not have permission to access it. If the cluster is private, please connect "
            f"using a private network. Using current catalog '{catalog}' and current database '{database}'.")


def _validate_create(body: object) -> tuple[str, dict, dict[str, str]]:
    """createSqlv1Statement request body: `name` and `spec.statement` required (OAS requestBody)."""
    if not isinstance(body, dict):
        raise _invalid("", "The request body must be a JSON object (sql.v1.Statement).")
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise _invalid("/name", "name is required.")
    if len(name) > _MAX_NAME:
        raise _invalid("/name", f"name must be at most {_MAX_NAME} characters.")
    if not _NAME_PATTERN.fullmatch(name):
        raise _invalid("/name", f"name '{name}' must match {_NAME_PATTERN.pattern}.")
    spec = body.get("spec")
    if not isinstance(spec, dict):
        raise _invalid("/spec", "spec is required.")
    statement = spec.get("statement")
    if not isinstance(statement, str) or not statement.strip():
        raise _invalid("/spec/statement", "spec.statement is required.")
    if len(statement) > _MAX_STATEMENT:
        raise _invalid("/spec/statement", f"spec.statement must be at most {_MAX_STATEMENT} characters.")
    properties = _string_map(spec.get("properties"), "/spec/properties")
    if len(properties) > _MAX_PROPERTIES:
        raise _invalid("/spec/properties", f"spec.properties may hold at most {_MAX_PROPERTIES} entries.")
    for key, limit in (("compute_pool_id", 255), ("principal", 1024)):
        value = spec.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            raise _invalid(f"/spec/{key}", f"spec.{key} must be a string of at most {limit} characters.")
    if spec.get("stopped") is not None and not isinstance(spec["stopped"], bool):
        raise _invalid("/spec/stopped", "spec.stopped must be a boolean.")
    metadata = body.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise _invalid("/metadata", "metadata must be an object.")
    labels = _string_map(metadata.get("labels"), "/metadata/labels")
    stored = {"statement": statement, "properties": properties,
              "compute_pool_id": spec.get("compute_pool_id") or DEFAULT_COMPUTE_POOL_ID}
    if spec.get("principal"):
        stored["principal"] = spec["principal"]
    stored["stopped"] = False  # provisioning a stopped statement is not supported (TF #695)
    if isinstance(spec.get("scaling"), dict):
        stored["scaling"] = spec["scaling"]
    return name, stored, labels


def _validate_update(body: object, name: str) -> tuple[dict, str]:
    """updateSqlv1Statement request body: metadata.resource_version, name and spec.stopped required."""
    if not isinstance(body, dict):
        raise _invalid("", "The request body must be a JSON object (sql.v1.Statement).")
    if body.get("name") != name:
        raise _invalid("/name", f"name must be present and equal to '{name}' (it is immutable).")
    metadata, spec = body.get("metadata"), body.get("spec")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("resource_version"), str):
        raise _invalid("/metadata/resource_version", "metadata.resource_version is required.")
    if not isinstance(spec, dict) or not isinstance(spec.get("stopped"), bool):
        raise _invalid("/spec/stopped", "spec.stopped is required and must be a boolean.")
    if "properties" in spec:
        spec = {**spec, "properties": _string_map(spec["properties"], "/spec/properties")}
    for key, expected in (("principal", str), ("compute_pool_id", str), ("scaling", dict)):
        if key in spec and not isinstance(spec[key], expected):
            raise _invalid(f"/spec/{key}", f"spec.{key} must be a {expected.__name__}.")
    return spec, metadata["resource_version"]


def _string_map(value: object, pointer: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _invalid(pointer, f"{pointer[1:].replace('/', '.')} must map strings to strings.")
    return dict(value)


def _page_size(raw: str | None) -> int:
    if raw is None or raw == "":
        return _DEFAULT_PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= _MAX_PAGE_SIZE:
        raise _bad_parameter("page_size", f"page_size must be an integer from 1 to {_MAX_PAGE_SIZE}.")
    return int(raw)


def _label_selector(raw: str | None) -> list[tuple[str, str]]:
    """`k=v[,k=v...]`: a statement matches when it has every label with that value."""
    if not raw:
        return []
    terms = []
    for term in raw.split(","):
        key, equals, value = term.strip().partition("=")
        if not equals or not key.strip():
            raise ApiError(400, "invalid_filter", "Invalid Filter",
                           f"label_selector term '{term}' is not of the form key=value.",
                           parameter="label_selector")
        terms.append((key.strip(), value.strip()))
    return terms


def _encode_page_token(seq: int) -> str:
    return base64.urlsafe_b64encode(f"after:{seq}".encode()).decode().rstrip("=")


def _decode_page_token(token: str) -> int:
    try:
        prefix, _, number = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().partition(":")
        if prefix == "after" and number.isdigit():
            return int(number)
    except ValueError:
        pass
    raise _bad_parameter("page_token", "page_token is not a token this API returned.")


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while number:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
    return "v" + (text or "0")
