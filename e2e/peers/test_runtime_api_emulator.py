"""Tests of the Runtime API emulator itself, with http.client playing the runtime (no runtime binary)."""
from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e.peers.raw_socket import raw_exchange
from e2e.peers.runtime_api import MAX_PAYLOAD_SIZE, RuntimeAPIEmulator, normalise_error_type

NEXT = "/2018-06-01/runtime/invocation/next"
INIT_ERROR = "/2018-06-01/runtime/init/error"
REGISTER = "/2020-01-01/extension/register"
EVENT_NEXT = "/2020-01-01/extension/event/next"
OPTIONAL_NEXT_HEADERS = ("lambda-runtime-trace-id", "lambda-runtime-client-context",
                         "lambda-runtime-cognito-identity", "lambda-runtime-aws-tenant-id")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


def connect(emulator: RuntimeAPIEmulator, timeout: float = 5) -> http.client.HTTPConnection:
    host, port = emulator.address.split(":")
    return http.client.HTTPConnection(host, int(port), timeout=timeout)


def call(emulator, method, path, body=None, headers=None, *, connection=None, timeout=5) -> Response:
    connection = connection or connect(emulator, timeout)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, body)


def result_path(request_id: str, kind: str) -> str:
    return f"/2018-06-01/runtime/invocation/{request_id}/{kind}"


def post_error(emulator, request_id, error_type=None, body=b'{"errorMessage":"boom","errorType":"X"}'):
    headers = {"Lambda-Runtime-Function-Error-Type": error_type} if error_type is not None else {}
    return call(emulator, "POST", result_path(request_id, "error"), body, headers)


def error_of(action):
    """Run action; return the exception it raised (None if it returned)."""
    try:
        action()
    except Exception as error:
        return error
    return None


def wait_until(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)


@pytest.fixture
def emulator():
    with RuntimeAPIEmulator() as emulator:
        yield emulator


def test_next_sends_mandatory_headers_and_no_optional_ones(emulator):
    invocation = emulator.invoke({"key": "value"}, timeout_ms=3000, wait=False)
    before_ms = int(time.time() * 1000)
    response = call(emulator, "GET", NEXT)
    after_ms = time.time() * 1000
    assert response.status == 200
    assert response.json() == {"key": "value"}
    assert response.headers["lambda-runtime-aws-request-id"] == invocation.request_id
    assert response.headers["lambda-runtime-invoked-function-arn"] == \
        "arn:aws:lambda:us-east-1:012345678912:function:test_function"
    assert response.headers["content-type"] == "application/json"
    # Delivery time + 3 s, delivery being somewhere between the two readings (however long the call took).
    assert before_ms + 3000 <= int(response.headers["lambda-runtime-deadline-ms"]) <= after_ms + 3000
    assert not set(OPTIONAL_NEXT_HEADERS) & set(response.headers)
    assert invocation.outcome is None and not invocation.done.is_set()


def test_next_sends_optional_headers_when_given(emulator):
    emulator.invoke(b"raw", request_id="req-1", trace_id="Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1",
                    client_context='{"custom":{"a":"b"}}', cognito_identity='{"cognitoIdentityId":"id"}',
                    tenant_id="tenant-7", function_arn="arn:aws:lambda:eu-west-1:1:function:f:alias",
                    content_type="text/plain", wait=False)
    response = call(emulator, "GET", NEXT)
    assert response.body == b"raw"
    assert response.headers["lambda-runtime-aws-request-id"] == "req-1"
    assert response.headers["lambda-runtime-trace-id"].startswith("Root=1-5bef4de7")
    assert response.headers["lambda-runtime-client-context"] == '{"custom":{"a":"b"}}'
    assert response.headers["lambda-runtime-cognito-identity"] == '{"cognitoIdentityId":"id"}'
    assert response.headers["lambda-runtime-aws-tenant-id"] == "tenant-7"
    assert response.headers["lambda-runtime-invoked-function-arn"] == "arn:aws:lambda:eu-west-1:1:function:f:alias"
    assert response.headers["content-type"] == "text/plain"


def test_response_is_accepted_over_one_keep_alive_connection(emulator):
    invocation = emulator.invoke("{}", wait=False)
    connection = connect(emulator)
    assert call(emulator, "GET", NEXT, connection=connection).status == 200
    socket_used = connection.sock
    response = call(emulator, "POST", result_path(invocation.request_id, "response"), b'{"ok":true}',
                    {"Content-Type": "application/json"}, connection=connection)
    assert (response.status, response.json()) == (202, {"status": "OK"})
    assert connection.sock is socket_used  # HTTP/1.1 keep-alive, Content-Length framing
    assert invocation.done.is_set() and invocation.outcome == "response"
    assert invocation.json() == {"ok": True}
    assert invocation.headers["content-type"] == "application/json"
    assert invocation.error_type is None


def test_second_answer_is_403(emulator):
    invocation = emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    assert call(emulator, "POST", result_path(invocation.request_id, "response"), b"1").status == 202
    again = call(emulator, "POST", result_path(invocation.request_id, "response"), b"2")
    assert (again.status, again.json()["errorType"]) == (403, "InvalidStateTransition")
    assert post_error(emulator, invocation.request_id).status == 403
    assert invocation.body == b"1"


def test_answer_before_any_next_is_403(emulator):
    assert call(emulator, "POST", result_path("nobody", "response"), b"x").status == 403


def test_wrong_request_id_is_400_and_invocation_stays_open(emulator):
    invocation = emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    response = call(emulator, "POST", result_path("not-the-current-id", "response"), b"x")
    assert response.status == 400
    assert response.json() == {"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"}
    assert not invocation.done.is_set()
    assert call(emulator, "POST", result_path(invocation.request_id, "response"), b"y").status == 202


def test_payload_limit_is_6_mib_plus_100_bytes_and_413_completes_the_invocation(emulator):
    at_limit = emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    assert call(emulator, "POST", result_path(at_limit.request_id, "response"), b"a" * MAX_PAYLOAD_SIZE).status == 202

    too_large = emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    response = call(emulator, "POST", result_path(too_large.request_id, "response"), b"a" * (MAX_PAYLOAD_SIZE + 1))
    assert response.status == 413
    assert response.json() == {"errorMessage": "Exceeded maximum allowed payload size (6291556 bytes).",
                               "errorType": "RequestEntityTooLarge"}
    assert too_large.outcome == "error" and too_large.error_type == "Function.ResponseSizeTooLarge"
    assert too_large.json()["errorType"] == "Function.ResponseSizeTooLarge"
    assert post_error(emulator, too_large.request_id, "Function.Late").status == 403


@pytest.mark.parametrize("raw, expected", [
    ("Function.MyFailure", "Function.MyFailure"),
    ("Runtime.NoSuchHandler", "Runtime.NoSuchHandler"),
    ("Function.lowercase", "Function.Unknown"),
    ("Function.A", "Function.Unknown"),
    ("Function.Has2Digits", "Function.Unknown"),
    ("Unhandled", "Runtime.Unknown"),
    ("unhandled", "Runtime.Unknown"),
    ("Runtime.", "Runtime.Unknown"),
    (None, "Runtime.Unknown"),
])
def test_error_type_is_normalised_and_raw_value_kept(emulator, raw, expected):
    assert normalise_error_type(raw) == expected
    invocation = emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    response = post_error(emulator, invocation.request_id, raw)
    assert (response.status, response.json()) == (202, {"status": "OK"})
    assert invocation.outcome == "error"
    assert (invocation.error_type, invocation.raw_error_type) == (expected, raw)
    assert invocation.json() == {"errorMessage": "boom", "errorType": "X"}


def test_init_error_is_accepted_once_then_fails_every_invocation(emulator):
    queued = emulator.invoke("{}", wait=False)
    body = b'{"errorMessage":"missing config","errorType":"Runtime.ConfigError","stackTrace":[]}'
    response = call(emulator, "POST", INIT_ERROR, body, {"Lambda-Runtime-Function-Error-Type": "Runtime.ConfigError"})
    assert (response.status, response.json()) == (202, {"status": "OK"})
    assert emulator.init_error.body == body
    assert (emulator.init_error.error_type, emulator.init_error.raw_error_type) == ("Runtime.ConfigError",) * 2
    assert call(emulator, "POST", INIT_ERROR, b"{}", {"Lambda-Runtime-Function-Error-Type": "Runtime.X"}).status == 403
    assert call(emulator, "GET", NEXT).status == 403
    later = emulator.invoke("{}", wait_timeout=1)
    for invocation in (queued, later):
        assert invocation.done.is_set() and invocation.outcome == "error"
        assert invocation.error_type == "Runtime.ConfigError" and invocation.body == body


def test_init_error_after_first_next_is_403(emulator):
    emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    response = call(emulator, "POST", INIT_ERROR, b"{}", {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
    assert (response.status, response.json()["errorType"]) == (403, "InvalidStateTransition")
    assert emulator.init_error is None


def test_next_during_open_invocation_redelivers_it(emulator):
    first = emulator.invoke("1", wait=False)
    emulator.invoke("2", wait=False)
    delivered = call(emulator, "GET", NEXT)
    again = call(emulator, "GET", NEXT)
    assert again.body == b"1" and again.headers == delivered.headers
    call(emulator, "POST", result_path(first.request_id, "response"), b"ok")
    assert call(emulator, "GET", NEXT).body == b"2"


def test_extension_register_then_event_next_blocks_until_stop(emulator):
    response = call(emulator, "POST", REGISTER, b'{"events":[]}', {"Lambda-Extension-Name": "graceful-shutdown"})
    assert response.status == 200
    assert response.json() == {"functionName": "test_function", "functionVersion": "$LATEST", "handler": "handler"}
    identifier = response.headers["lambda-extension-identifier"]
    assert [(e.name, e.identifier, e.events) for e in emulator.extensions] == \
        [("graceful-shutdown", identifier, [])]
    with pytest.raises(TimeoutError):
        call(emulator, "GET", EVENT_NEXT, headers={"Lambda-Extension-Identifier": identifier}, timeout=0.3)

    errors = []
    poll = threading.Thread(target=lambda: errors.append(error_of(
        lambda: call(emulator, "GET", EVENT_NEXT, headers={"Lambda-Extension-Identifier": identifier}))))
    poll.start()
    wait_until(lambda: sum(r.path == EVENT_NEXT for r in emulator.requests) == 2)
    emulator.stop()
    poll.join(2)
    assert not poll.is_alive() and isinstance(errors[0], (ConnectionError, http.client.HTTPException))


def test_extension_subscribed_to_invoke_receives_invoke_events(emulator):
    response = call(emulator, "POST", REGISTER, b'{"events":["INVOKE"]}', {"Lambda-Extension-Name": "watcher"})
    identifier = response.headers["lambda-extension-identifier"]
    invocation = emulator.invoke("{}", trace_id="Root=1-abc", wait=False)
    deadline = call(emulator, "GET", NEXT).headers["lambda-runtime-deadline-ms"]
    event = call(emulator, "GET", EVENT_NEXT, headers={"Lambda-Extension-Identifier": identifier})
    assert event.status == 200 and "lambda-extension-event-identifier" in event.headers
    assert event.json() == {"eventType": "INVOKE", "deadlineMs": int(deadline), "requestId": invocation.request_id,
                            "invokedFunctionArn": emulator.function_arn,
                            "tracing": {"type": "X-Amzn-Trace-Id", "value": "Root=1-abc"}}


def test_extension_api_rejections(emulator):
    def register(body, name="ext"):
        return call(emulator, "POST", REGISTER, body, {"Lambda-Extension-Name": name} if name else {})

    def event_next(headers):
        return call(emulator, "GET", EVENT_NEXT, headers=headers).json()["errorType"]

    assert register(b'{"events":[]}', name=None).json()["errorType"] == "Extension.InvalidExtensionName"
    assert register(b"not json").json()["errorType"] == "InvalidRequestFormat"
    assert register(b'{"events":["SHUTDOWN"]}').json()["errorType"] == "Extension.InvalidEventType"
    assert register(b'{"events":[]}').status == 200
    assert register(b'{"events":[]}').json()["errorType"] == "Extension.InvalidExtensionState"
    assert event_next({}) == "Extension.MissingHeader"
    assert event_next({"Lambda-Extension-Identifier": "0000"}) == "Extension.UnknownExtensionIdentifier"
    emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    late = register(b'{"events":[]}', name="late")
    assert (late.status, late.json()["errorType"]) == (403, "Extension.RegistrationClosed")
    assert [e.name for e in emulator.extensions] == ["ext"]


def test_stop_unblocks_a_waiting_next_promptly():
    emulator = RuntimeAPIEmulator().start()
    errors = []
    poll = threading.Thread(target=lambda: errors.append(error_of(lambda: call(emulator, "GET", NEXT, timeout=10))))
    poll.start()
    emulator.wait_for_next_poll(1, timeout=30)
    started = time.monotonic()
    emulator.stop()
    poll.join(30)
    # "Promptly": in milliseconds; an upper bound generous for a busy machine, far below the poll's 10 s.
    assert time.monotonic() - started < 5
    assert not poll.is_alive() and isinstance(errors[0], (ConnectionError, http.client.HTTPException))


def test_next_status_fault_applies_once(emulator):
    emulator.next_status = 500
    failed = call(emulator, "GET", NEXT)
    assert (failed.status, failed.json()) == (500, {"errorMessage": "Internal Server Error",
                                                    "errorType": "InternalServerError"})
    emulator.invoke("{}", wait=False)
    assert call(emulator, "GET", NEXT).status == 200


def test_close_on_next_drops_the_connection_without_reply(emulator):
    emulator.close_on_next = True
    with pytest.raises(http.client.RemoteDisconnected):
        call(emulator, "GET", NEXT)
    emulator.invoke("{}", wait=False)
    assert call(emulator, "GET", NEXT).status == 200
    assert emulator.next_calls == 2


def test_response_status_override_applies_once_without_completing(emulator):
    invocation = emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    emulator.response_status_override = 500
    assert call(emulator, "POST", result_path(invocation.request_id, "response"), b"x").status == 500
    assert not invocation.done.is_set()
    emulator.response_status_override = 413
    assert post_error(emulator, invocation.request_id).status == 413
    assert invocation.error_type == "Function.ResponseSizeTooLarge"


def test_invoke_waits_for_the_runtime_answer_and_times_out_without_one(emulator):
    def runtime_loop_once():
        event = call(emulator, "GET", NEXT)
        request_id = event.headers["lambda-runtime-aws-request-id"]
        call(emulator, "POST", result_path(request_id, "response"), event.body.upper())

    threading.Thread(target=runtime_loop_once).start()
    assert emulator.invoke("hello", wait_timeout=5).body == b"HELLO"
    with pytest.raises(TimeoutError):
        emulator.invoke("nobody answers", wait_timeout=0.2)


def test_requests_and_next_poll_times_are_recorded(emulator):
    emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT + "?probe=1", headers={"X-Custom": "1"})
    arrival = emulator.wait_for_next_poll(1, timeout=30)
    assert emulator.next_times == [arrival]
    recorded = emulator.requests[-1]
    assert (recorded.method, recorded.path, recorded.body) == ("GET", NEXT, b"")
    assert recorded.headers["x-custom"] == "1" and recorded.at <= arrival
    with pytest.raises(TimeoutError):
        emulator.wait_for_next_poll(2, timeout=0.1)


def test_chunked_request_body_is_read(emulator):
    invocation = emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    connection = connect(emulator)
    connection.request("POST", result_path(invocation.request_id, "response"), body=iter([b"ab", b"cd"]),
                       encode_chunked=True)
    assert connection.getresponse().status == 202
    assert invocation.body == b"abcd"


def test_ping_and_unknown_paths(emulator):
    assert call(emulator, "GET", "/2018-06-01/ping").status == 200
    assert call(emulator, "GET", "/2018-06-01/runtime/invocation/nope").status == 404
    assert call(emulator, "GET", "/2099-01-01/runtime/invocation/next").status == 404


def test_standalone_mode_serves_n_invocations_then_exits():
    process = subprocess.Popen([sys.executable, "-m", "e2e.peers.runtime_api", "--invocations", "2", "--event", '{"n":1}'],
                               stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    try:
        host, port = process.stdout.readline().strip().split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        for _ in range(2):
            connection.request("GET", NEXT)
            event = connection.getresponse()
            assert json.loads(event.read()) == {"n": 1}
            connection.request("POST", result_path(event.getheader("Lambda-Runtime-Aws-Request-Id"), "response"),
                               body=b"{}")
            assert connection.getresponse().read() == b'{"status": "OK"}'
        summary = json.loads(process.stdout.readline())
        assert (summary["invocations"], summary["errors"]) == (2, 0)
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
        process.stdout.close()


# ---- scripted faults (next_faults, result_faults, refuse_after_next_delivery) --------------------
def exchange_with(emulator, request: bytes) -> tuple[bytes, Exception | None]:
    host, port = emulator.address.split(":")
    return raw_exchange(host, int(port), request)


def get_next_raw(emulator):
    return exchange_with(emulator, f"GET {NEXT} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())


def test_next_fault_status_with_headers_delivers_nothing(emulator):
    emulator.next_faults = [{"status": 429, "headers": {"Retry-After": "1"}}]
    invocation = emulator.invoke("{}", wait=False)
    refused = call(emulator, "GET", NEXT)
    assert refused.status == 429 and refused.headers["retry-after"] == "1" and refused.json()["errorType"]
    assert invocation.delivered_at is None
    delivered = call(emulator, "GET", NEXT)
    assert delivered.headers["lambda-runtime-aws-request-id"] == invocation.request_id
    assert emulator.next_calls == 2


def test_next_fault_delay_holds_the_answer(emulator):
    emulator.next_faults = [{"delay": 0.3}]
    invocation = emulator.invoke("{}", wait=False)
    started = time.monotonic()
    assert call(emulator, "GET", NEXT).status == 200
    assert time.monotonic() - started >= 0.3
    assert invocation.delivered_at - emulator.next_times[0] >= 0.3  # the poll is recorded on arrival


@pytest.mark.parametrize("mode,error", [("reset", ConnectionResetError), ("truncate", None)])
def test_next_fault_cut_delivery_leaves_the_invocation_open_for_a_re_render(emulator, mode, error):
    emulator.next_faults = [{mode: True}]
    invocation = emulator.invoke({"payload": "x" * 200}, wait=False)
    received, failure = get_next_raw(emulator)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    if mode == "truncate":
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
        assert 0 < len(body) < length and failure is None
    else:
        assert len(received) < 400 and isinstance(failure, error)
    assert invocation.delivered_at is not None and not invocation.done.is_set()
    again = call(emulator, "GET", NEXT)
    assert again.headers["lambda-runtime-aws-request-id"] == invocation.request_id
    assert json.loads(again.body) == {"payload": "x" * 200}


def test_result_fault_status_with_headers_does_not_complete(emulator):
    invocation = emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    emulator.result_faults = [{"status": 429, "headers": {"Retry-After": "2"}}]
    refused = call(emulator, "POST", result_path(invocation.request_id, "response"), b"{}")
    assert refused.status == 429 and refused.headers["retry-after"] == "2"
    assert not invocation.done.is_set()
    assert call(emulator, "POST", result_path(invocation.request_id, "response"), b"{}").status == 202


@pytest.mark.parametrize("fault", [{"lose": True}, {"reset": True}, {"truncate": True}])
def test_result_faults_accept_the_result_and_cut_the_answer(emulator, fault):
    invocation = emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    emulator.result_faults = [fault]
    path = result_path(invocation.request_id, "error")
    received, failure = exchange_with(emulator, (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nLambda-Runtime-Function-Error-Type: Function.X\r\n"
        "Content-Length: 2\r\n\r\n{}").encode())
    assert invocation.done.is_set() and invocation.raw_error_type == "Function.X"
    if "lose" in fault:
        assert received == b""
    elif "reset" in fault:
        assert isinstance(failure, ConnectionResetError) and not received.endswith(b'{"status": "OK"}')
    else:
        assert received.startswith(b"HTTP/1.1 202") and b"Content-Length: 16" in received and failure is None


def test_result_fault_delay_and_body(emulator):
    first = emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    emulator.result_faults = [{"delay": 0.3}, {"body": "not json"}]
    assert call(emulator, "POST", result_path(first.request_id, "response"), b"1").status == 202
    assert time.monotonic() - first.completed_at >= 0.3  # completed on arrival, answered 0.3 s later
    second = emulator.invoke("{}", wait=False)
    call(emulator, "GET", NEXT)
    answer = call(emulator, "POST", result_path(second.request_id, "response"), b"2")
    assert (answer.status, answer.body) == (202, b"not json") and second.body == b"2"


def test_refuse_after_next_delivery_makes_the_api_vanish(emulator):
    import socket
    emulator.refuse_after_next_delivery = True
    invocation = emulator.invoke("{}", wait=False)
    connection = connect(emulator)
    delivered = call(emulator, "GET", NEXT, connection=connection)
    assert delivered.headers["lambda-runtime-aws-request-id"] == invocation.request_id
    host, port = emulator.address.split(":")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=1)
    assert not invocation.done.is_set()
