"""In-process emulator of the AWS Lambda Runtime API (2018-06-01) for end-to-end tests.

The runtime under test runs as a subprocess with AWS_LAMBDA_RUNTIME_API=<RuntimeAPIEmulator.address>
and talks to this server over loopback HTTP/1.1 (keep-alive).

Contract sources (summarised in /work/shared/reference/lambda-aws.md sections 1.1-1.11): the OpenAPI
runtime-api.yaml for endpoints, status codes and the ErrorResponse body; the Runtime Interface
Emulator ("RIE") for what the spec leaves open: rapi/rendering/rendering.go (/next headers, optional
ones only when non-empty), core/states.go (a /next during an open invocation re-renders it; posts after
the answer, and /init/error after the first /next, are 403), rapi/handler/invocationresponse.go (413:
the caller already got Function.ResponseSizeTooLarge), fatalerror/fatalerror.go (error-type rule),
rapi/handler/agentregister.go + agentnext.go (Extensions API), rapi/handler/ping.go.

Not emulated: concurrent invocations (Managed Instances), response streaming, SnapStart /restore,
Logs/Telemetry APIs, external extensions (every registration is "internal": INVOKE events only).
A POST with a wrong request id leaves the invocation open (the RIE's state machine would get stuck).

Standalone (benchmarks): `python3 -m e2e.peers.runtime_api --invocations N --event JSON` (from the
repository root) prints the address as its first stdout line, serves N invocations one after
another, prints a JSON summary line and exits.
"""
from __future__ import annotations

import argparse
import json
import re
import socket
import sys
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.client import responses

from e2e.peers.http_peer import Cut, PeerHandler, PeerServer, RecordedRequest

MAX_PAYLOAD_SIZE = 6 * 1024 * 1024 + 100  # RIE interop/model.go MaxPayloadSize
RUNTIME_NEXT = "/2018-06-01/runtime/invocation/next"
INIT_ERROR = "/2018-06-01/runtime/init/error"
PING = "/2018-06-01/ping"
EXTENSION_REGISTER = "/2020-01-01/extension/register"
EXTENSION_NEXT = "/2020-01-01/extension/event/next"
_INVOCATION_RESULT = re.compile(r"/2018-06-01/runtime/invocation/([^/]+)/(response|error)")
_VALID_ERROR_TYPE = re.compile(r"(Runtime|Function)\.[A-Z][a-zA-Z]+")
_ACCEPTED = {"status": "OK"}
# ErrorResponse per status, RIE rapi/rendering/render_error.go.
_PLATFORM_ERRORS = {
    400: ("InvalidRequestID", "Invalid request ID"),
    403: ("InvalidStateTransition", "State transition is not allowed"),
    413: ("RequestEntityTooLarge", f"Exceeded maximum allowed payload size ({MAX_PAYLOAD_SIZE} bytes)."),
    500: ("InternalServerError", "Internal Server Error"),
}

Reply = tuple  # (status, body: bytes | dict, headers: dict | None); None = drop the connection


@dataclass
class _Faulty:
    """A reply the handler writes faultily: cut short (`cut`), or, with `vanish`, after the
    emulator stopped listening and closed every other connection, then closing this one too:
    whatever the runtime sends next is refused."""

    reply: Reply
    cut: Cut | None = None
    vanish: bool = False


def normalise_error_type(raw: str | None) -> str:
    """RIE fatalerror.GetValidRuntimeOrFunctionErrorType."""
    raw = raw or ""
    if _VALID_ERROR_TYPE.fullmatch(raw):
        return raw
    return "Function.Unknown" if raw.startswith("Function.") else "Runtime.Unknown"


def _error(error_type: str, message: str) -> dict:
    return {"errorMessage": message, "errorType": error_type}


def _platform_error(status: int) -> Reply:
    phrase = responses.get(status, "Error")
    return status, _error(*_PLATFORM_ERRORS.get(status, (phrase.replace(" ", ""), phrase))), None


@dataclass
class Invocation:
    """One queued event and what the runtime answered for it."""

    request_id: str
    event: bytes
    timeout_ms: int
    next_headers: dict[str, str]  # headers of the /next reply; Deadline-Ms is added on delivery
    deadline_header: str | None = None  # sent as Deadline-Ms instead of now + timeout_ms (a misbehaving platform)
    outcome: str | None = None  # "response" | "error" | None while pending
    body: bytes = b""  # response or error body; the platform's error JSON for 413 / init error
    headers: dict[str, str] = field(default_factory=dict)  # headers of the answering POST, lower-cased
    error_type: str | None = None  # normalised by the RIE rule
    raw_error_type: str | None = None  # Lambda-Runtime-Function-Error-Type as sent
    delivered_at: float | None = None  # time.monotonic() of the first /next delivering it
    completed_at: float | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    def json(self):
        return json.loads(self.body)


@dataclass
class InitError:
    """What the runtime posted to /runtime/init/error."""

    body: bytes
    error_type: str
    raw_error_type: str | None
    headers: dict[str, str]


@dataclass
class Extension:
    """A registration made through POST /2020-01-01/extension/register."""

    name: str
    identifier: str
    events: list[str]
    headers: dict[str, str]
    pending: deque = field(default_factory=deque, repr=False)  # events not fetched yet


def _encode(body: bytes | dict, headers: dict[str, str] | None) -> tuple[bytes, dict[str, str]]:
    """A dict body as JSON (with its Content-Type unless one is given)."""
    headers = dict(headers or {})
    if isinstance(body, dict):
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(body).encode(), headers
    return body, headers


class _Handler(PeerHandler):
    server: _Server

    def do_GET(self) -> None:
        try:
            body = self.read_body()
        except ValueError:  # malformed framing
            self.close_connection = True
            status, error, _ = _platform_error(400)
            self.write_answer(status, *_encode(error, None))
            return
        reply = self.server.emulator._handle(self.record(body))
        if reply is None:
            self.drop()
            return
        faulty = reply if isinstance(reply, _Faulty) else _Faulty(reply)
        status, body, headers = faulty.reply
        body, headers = _encode(body, headers)
        if faulty.vanish:
            self.close_connection = True
            self.server.emulator._vanish(keep=self.connection)
            self.write_answer(status, body, headers)
        elif faulty.cut is not None:
            self.write_cut(faulty.cut, status, body, headers)
        else:
            self.write_answer(status, body, headers)

    do_POST = do_GET


class _Server(PeerServer):
    def __init__(self, emulator: RuntimeAPIEmulator):
        self.emulator = emulator
        super().__init__(0, _Handler)


class RuntimeAPIEmulator:
    """Runtime API + Extensions API on 127.0.0.1:<free port>; a context manager.

    Fault knobs, each consumed by the next matching request:
    - `next_status`: answer the next GET /next with this status and an ErrorResponse body.
    - `response_status_override`: answer the next /response or /error POST with this status; the
      invocation completes only for 202, or for 413 (as Function.ResponseSizeTooLarge).
    - `close_on_next`: number of coming GET /next (True = 1) to drop without a reply.
    `stop()` while the runtime waits in /next makes the server vanish (all connections closed).

    Scripted faults, one dict consumed per matching request, in order:
    - `next_faults` (GET /next): `{"status": N, "headers": {...}}` answers N with an
      ErrorResponse and those headers, delivering nothing; `{"delay": s}` holds the /next s
      seconds before serving it as usual (a slow answer); `{"reset": True}` delivers the next
      invocation but sends half of the answer, then a TCP RST; `{"truncate": True}` delivers it
      with the full Content-Length but half the event, then closes. A cut delivery leaves the
      invocation open: the next /next re-renders it.
    - `result_faults` (POST /response or /error of the open invocation): `{"status": N,
      "headers": {...}}` as `response_status_override` with headers; otherwise the result is
      accepted (the invocation completes) and its 202 is then `{"delay": s}` late, `{"lose":
      True}` never sent (the connection is closed), `{"reset": True}` cut by a TCP RST halfway,
      `{"truncate": True}` short of its Content-Length, or `{"body": b"..."}` replaced.
    - `refuse_after_next_delivery`: for the next N deliveries (True = 1), stop listening and
      close every other connection before the /next answer goes out, then close its connection:
      the runtime's result POST is refused (the Runtime API is gone).
    """

    def __init__(self, *, function_name: str = "test_function", function_version: str = "$LATEST",
                 handler: str = "handler"):
        self.function_name, self.function_version, self.handler = function_name, function_version, handler
        self.function_arn = f"arn:aws:lambda:us-east-1:012345678912:function:{function_name}"
        self.next_status: int | None = None
        self.response_status_override: int | None = None
        self.close_on_next: int = 0
        self.next_faults: list[dict] = []
        self.result_faults: list[dict] = []
        self.refuse_after_next_delivery: int = 0
        self.init_error: InitError | None = None
        self._cond = threading.Condition()
        self._queue: deque[Invocation] = deque()
        self._current: Invocation | None = None  # the last invocation /next delivered
        self._requests: list[RecordedRequest] = []
        self._next_times: list[float] = []
        self._extensions: list[Extension] = []
        self._stopping = False
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.address = ""  # "127.0.0.1:PORT" once started: the value for AWS_LAMBDA_RUNTIME_API

    def start(self) -> RuntimeAPIEmulator:
        self._stopping = False
        self._server = _Server(self)
        self.address = f"127.0.0.1:{self._server.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="runtime-api-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the listener and every connection; waiting /next and event/next end without a reply."""
        if self._server is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._server.stop_listening()
        self._thread.join(timeout=2)
        self._server = None

    def __enter__(self) -> RuntimeAPIEmulator:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # ------------------------------------------------------------------ test-facing API
    def invoke(self, event: bytes | str | dict | list = b"{}", *, timeout_ms: int = 3000,
               request_id: str | None = None, trace_id: str | None = None, client_context: str | None = None,
               cognito_identity: str | None = None, tenant_id: str | None = None,
               function_arn: str | None = None, content_type: str | None = None, deadline_header: str | None = None,
               wait: bool = True, wait_timeout: float | None = 30) -> Invocation:
        """Queue an event; with `wait`, block until the runtime answered it or raise TimeoutError.
        `deadline_header` replaces the Deadline-Ms value the platform would send, to test odd ones."""
        if isinstance(event, str):
            event = event.encode()
        elif not isinstance(event, (bytes, bytearray)):
            event = json.dumps(event).encode()
        request_id = request_id or str(uuid.uuid4())
        headers = {"Lambda-Runtime-Aws-Request-Id": request_id,
                   "Lambda-Runtime-Invoked-Function-Arn": function_arn or self.function_arn,
                   "Content-Type": content_type or "application/json"}
        for name, value in (("Lambda-Runtime-Trace-Id", trace_id), ("Lambda-Runtime-Client-Context", client_context),
                            ("Lambda-Runtime-Cognito-Identity", cognito_identity),
                            ("Lambda-Runtime-Aws-Tenant-Id", tenant_id)):
            if value:
                headers[name] = value
        invocation = Invocation(request_id, bytes(event), timeout_ms, headers, deadline_header)
        with self._cond:
            if self.init_error is not None:
                self._complete_with_init_error(invocation)
            else:
                self._queue.append(invocation)
                self._cond.notify_all()
        if wait and not invocation.done.wait(wait_timeout):
            raise TimeoutError(f"runtime did not answer invocation {request_id} within {wait_timeout} s")
        return invocation

    def wait_for_next_poll(self, n: int = 1, timeout: float = 10) -> float:
        """Wait for the runtime's n-th GET /next; return its arrival time (time.monotonic())."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._next_times) >= n, timeout):
                raise TimeoutError(f"runtime issued {len(self._next_times)} GET /next within {timeout} s, not {n}")
            return self._next_times[n - 1]

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._cond:
            return list(self._requests)

    @property
    def next_times(self) -> list[float]:
        with self._cond:
            return list(self._next_times)

    @property
    def next_calls(self) -> int:
        with self._cond:
            return len(self._next_times)

    @property
    def extensions(self) -> list[Extension]:
        with self._cond:
            return list(self._extensions)

    # ------------------------------------------------------------------ endpoints (handler threads)
    def _handle(self, request: RecordedRequest) -> Reply | _Faulty | None:
        method, path, headers, body = request.method, request.path, request.headers, request.body
        with self._cond:
            self._requests.append(request)
            result = _INVOCATION_RESULT.fullmatch(path)
            if method == "POST" and result:
                return self._invocation_result(result[1], result[2], body, headers)
            if (method, path) == ("GET", RUNTIME_NEXT):
                return self._runtime_next()
            if (method, path) == ("POST", INIT_ERROR):
                return self._init_error(body, headers)
            if (method, path) == ("POST", EXTENSION_REGISTER):
                return self._register_extension(body, headers)
            if (method, path) == ("GET", EXTENSION_NEXT):
                return self._extension_next(headers.get("lambda-extension-identifier"))
            if (method, path) == ("GET", PING):
                return 200, b"pong", {"Content-Type": "text/plain"}
            return 404, b"404 page not found\n", {"Content-Type": "text/plain"}

    # The endpoint methods below run with self._cond held; waiting releases it.
    def _runtime_next(self) -> Reply | _Faulty | None:
        self._next_times.append(time.monotonic())
        self._cond.notify_all()
        if self.close_on_next:
            self.close_on_next -= 1
            return None
        if self.next_status is not None:
            status, self.next_status = self.next_status, None
            return _platform_error(status)
        fault = self.next_faults.pop(0) if self.next_faults else {}
        if "status" in fault:
            status, body, _ = _platform_error(fault["status"])
            return status, body, dict(fault.get("headers") or {})
        if fault.get("delay"):  # releases the lock while it waits
            self._cond.wait_for(lambda: self._stopping, timeout=fault["delay"])
        if self.init_error is not None:  # RuntimeInitErrorState refuses Ready()
            return _platform_error(403)
        while not self._stopping:
            current = self._current
            if current is not None and not current.done.is_set():  # re-render the open invocation
                reply = 200, current.event, current.next_headers
                break
            if self._queue:
                reply = self._deliver(self._queue.popleft())
                break
            self._cond.wait()
        else:
            return None
        if cut := Cut.asked_by(fault):
            return _Faulty(reply, cut)
        if self.refuse_after_next_delivery:
            self.refuse_after_next_delivery -= 1
            return _Faulty(reply, vanish=True)
        return reply

    def _deliver(self, invocation: Invocation) -> Reply:
        deadline_ms = int(time.time() * 1000) + invocation.timeout_ms
        invocation.next_headers["Lambda-Runtime-Deadline-Ms"] = (str(deadline_ms) if invocation.deadline_header is None
                                                                 else invocation.deadline_header)
        invocation.delivered_at = time.monotonic()
        self._current = invocation
        # INVOKE event for subscribed extensions (RIE rendering.go newAgentInvokeEvent).
        event = {"eventType": "INVOKE", "deadlineMs": deadline_ms, "requestId": invocation.request_id,
                 "invokedFunctionArn": invocation.next_headers["Lambda-Runtime-Invoked-Function-Arn"]}
        if trace_id := invocation.next_headers.get("Lambda-Runtime-Trace-Id"):
            event["tracing"] = {"type": "X-Amzn-Trace-Id", "value": trace_id}
        for extension in self._extensions:
            if "INVOKE" in extension.events:
                extension.pending.append(event)
        return 200, invocation.event, invocation.next_headers

    def _invocation_result(self, request_id: str, kind: str, body: bytes,
                           headers: dict[str, str]) -> Reply | _Faulty | None:
        fault = self.result_faults.pop(0) if self.result_faults else {}
        if "status" in fault and self.response_status_override is None:
            self.response_status_override = fault["status"]
            status, error, _ = self._plain_invocation_result(request_id, kind, body, headers)
            return status, error, dict(fault.get("headers") or {}) if status != 202 else None
        reply = self._plain_invocation_result(request_id, kind, body, headers)
        if reply[0] != 202 or not fault:
            return reply
        if fault.get("delay"):  # accepted; the answer is late (the lock is released meanwhile)
            if self._cond.wait_for(lambda: self._stopping, timeout=fault["delay"]):
                return None
        if fault.get("lose"):
            return None
        if "body" in fault:
            raw = fault["body"]
            reply = 202, raw.encode() if isinstance(raw, str) else bytes(raw), {"Content-Type": "application/json"}
        if cut := Cut.asked_by(fault):
            return _Faulty(reply, cut)
        return reply

    def _plain_invocation_result(self, request_id: str, kind: str, body: bytes, headers: dict[str, str]) -> Reply:
        invocation = self._current
        is_open = invocation is not None and not invocation.done.is_set()
        matches = is_open and invocation.request_id == request_id
        if not is_open:
            status = 403
        elif not matches:
            status = 400
        elif kind == "response" and len(body) > MAX_PAYLOAD_SIZE:
            status = 413
        else:
            status = 202
        if self.response_status_override is not None:
            status, self.response_status_override = self.response_status_override, None
        if matches and status == 413:
            message = (f"Response payload size ({len(body)} bytes) exceeded maximum allowed payload size "
                       f"({MAX_PAYLOAD_SIZE} bytes).")
            too_large = json.dumps(_error("Function.ResponseSizeTooLarge", message)).encode()
            self._complete(invocation, "error", too_large, headers, "Function.ResponseSizeTooLarge", None)
        elif matches and status == 202:
            raw_type = headers.get("lambda-runtime-function-error-type") if kind == "error" else None
            error_type = normalise_error_type(raw_type) if kind == "error" else None
            self._complete(invocation, kind, body, headers, error_type, raw_type)
        return (202, _ACCEPTED, None) if status == 202 else _platform_error(status)

    def _vanish(self, keep: socket.socket) -> None:
        """Stop listening and close every connection but `keep` (a handler thread's own)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._server.stop_listening(except_connection=keep)

    def _init_error(self, body: bytes, headers: dict[str, str]) -> Reply:
        if self._next_times or self.init_error is not None:  # allowed only in RuntimeStartedState
            return _platform_error(403)
        raw_type = headers.get("lambda-runtime-function-error-type")
        self.init_error = InitError(body, normalise_error_type(raw_type), raw_type, headers)
        while self._queue:
            self._complete_with_init_error(self._queue.popleft())
        return 202, _ACCEPTED, None

    def _register_extension(self, body: bytes, headers: dict[str, str]) -> Reply:
        """RIE agentregister.go checks, in its order."""
        name = headers.get("lambda-extension-name")
        if not name:
            return 403, _error("Extension.InvalidExtensionName", "Empty extension name"), None
        try:
            events = json.loads(body).get("events") or []
        except (ValueError, AttributeError) as error:
            return 403, _error("InvalidRequestFormat", str(error)), None
        if not isinstance(events, list) or any(event != "INVOKE" for event in events):
            return 403, _error("Extension.InvalidEventType", f"{events}: not allowed for internal extensions"), None
        if self._next_times:
            return 403, _error("Extension.RegistrationClosed", "Extension registration closed already"), None
        if any(extension.name == name for extension in self._extensions):
            return 403, _error("Extension.InvalidExtensionState", "Extension with this name already registered"), None
        extension = Extension(name, str(uuid.uuid4()), events, headers)
        self._extensions.append(extension)
        metadata = {"functionName": self.function_name, "functionVersion": self.function_version,
                    "handler": self.handler}
        return 200, metadata, {"Lambda-Extension-Identifier": extension.identifier}

    def _extension_next(self, identifier: str | None) -> Reply | None:
        if not identifier:
            return 403, _error("Extension.MissingHeader", "Missing Lambda-Extension-Identifier header"), None
        extension = next((e for e in self._extensions if e.identifier == identifier), None)
        if extension is None:
            return 403, _error("Extension.UnknownExtensionIdentifier", f"Unknown extension {identifier}"), None
        # Subscribed to no events, this waits until stop(), as in Lambda.
        self._cond.wait_for(lambda: extension.pending or self._stopping)
        if self._stopping:
            return None
        return 200, extension.pending.popleft(), {"Lambda-Extension-Event-Identifier": str(uuid.uuid4())}

    def _complete_with_init_error(self, invocation: Invocation) -> None:
        """After /init/error callers receive that error (the RIE answers their invoke with 502)."""
        error = self.init_error
        self._complete(invocation, "error", error.body, error.headers, error.error_type, error.raw_error_type)

    @staticmethod
    def _complete(invocation: Invocation, outcome: str, body: bytes, headers: dict[str, str],
                  error_type: str | None, raw_error_type: str | None) -> None:
        invocation.outcome, invocation.body, invocation.headers = outcome, body, headers
        invocation.error_type, invocation.raw_error_type = error_type, raw_error_type
        invocation.completed_at = time.monotonic()
        invocation.done.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve N Lambda invocations to one runtime, then exit.")
    parser.add_argument("--invocations", type=int, default=1)
    parser.add_argument("--event", default="{}", help="event body (JSON text) delivered on every /next")
    parser.add_argument("--timeout-ms", type=int, default=3000)
    args = parser.parse_args(argv)
    with RuntimeAPIEmulator() as emulator:
        print(emulator.address, flush=True)
        started = time.monotonic()
        results = [emulator.invoke(args.event, timeout_ms=args.timeout_ms, wait_timeout=None)
                   for _ in range(args.invocations)]
        elapsed = time.monotonic() - started
    errors = sum(result.outcome != "response" for result in results)
    print(json.dumps({"invocations": len(results), "errors": errors, "seconds": round(elapsed, 6)}), flush=True)
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
