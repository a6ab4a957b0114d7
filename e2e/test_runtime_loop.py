"""The real executable in Lambda mode against the Runtime API emulator, over loopback HTTP."""
from __future__ import annotations

import json
import signal
import time

import pytest

from e2e.conftest import SANITIZER

# "Exit promptly": the runtime exits in milliseconds. The bound is an upper one, so it is generous
# enough for a busy machine (and a sanitizer's work at exit), yet far below what a runtime that
# retried or waited would take; the tests also check, by the requests, that it did not retry.
EXIT_BOUND_SECONDS = 10.0 if SANITIZER else 5.0
VALID_EVENT = {"catalog_name": "flight_env", "database_name": "flight_cluster", "ccaf_secrets_path": "ccaf/demo/settings"}


def test_a_valid_event_is_answered_with_status_200(start_function, runtime_api):
    start_function()
    invocation = runtime_api.invoke(VALID_EVENT)
    assert invocation.outcome == "response"
    response = invocation.json()
    assert response["statusCode"] == 200
    body = json.loads(response["body"])
    assert body["action"] == "created"
    assert invocation.headers["content-type"] == "application/json"


def test_an_invalid_event_is_a_function_error_with_message_and_stack_trace(start_function, runtime_api):
    start_function()
    invocation = runtime_api.invoke({"catalog_name": "c", "database_name": "d"})
    assert invocation.outcome == "error"
    assert invocation.raw_error_type == "Function.InvalidEvent"
    assert invocation.error_type == "Function.InvalidEvent"
    error = invocation.json()
    assert set(error) == {"errorMessage", "errorType", "stackTrace"}
    assert error["errorMessage"] == "invalid event: ccaf_secrets_path is required"
    assert error["stackTrace"] == []
    assert invocation.headers["content-type"] == "application/vnd.aws.lambda.error+json"


LONG = "x" * 257
MALFORMED_EVENTS = [
    (b"", "the event is not valid JSON"),
    (b"not json", "the event is not valid JSON"),
    (b"{\"catalog_name\": ", "the event is not valid JSON"),
    (b"[]", "the event must be a JSON object, not an array"),
    (b"\"text\"", "the event must be a JSON object, not a string"),
    (b"42", "the event must be a JSON object, not a number"),
    (b"null", "the event must be a JSON object, not null"),
    (b"\xff\xfe{}", "the event is not valid JSON"),
    ({}, "catalog_name is required; database_name is required; ccaf_secrets_path is required"),
    ({**VALID_EVENT, "catalog_name": None}, "catalog_name is required"),
    ({**VALID_EVENT, "catalog_name": 7}, "catalog_name must be a string, not a number"),
    ({**VALID_EVENT, "database_name": ["a"]}, "database_name must be a string, not an array"),
    ({**VALID_EVENT, "database_name": ""}, "database_name must not be empty"),
    ({**VALID_EVENT, "catalog_name": LONG}, "catalog_name is 257 characters long; at most 256 are allowed"),
    ({**VALID_EVENT, "ccaf_secrets_path": "s" * 2049}, "ccaf_secrets_path is 2049 characters long; at most 2048 are allowed"),
    ({**VALID_EVENT, "catalog_name": "env\n1"}, "catalog_name contains the control character U+000A at position 4"),
    ({**VALID_EVENT, "database_name": "db\u007f"}, "database_name contains the control character U+007F at position 3"),
    ({**VALID_EVENT, "database_name": "d\u0085b"}, "database_name contains the control character U+0085 at position 2"),
    ({**VALID_EVENT, "catalog_name": " env"}, "catalog_name must not start or end with whitespace"),
    ({**VALID_EVENT, "ccaf_secrets_path": "secret name"},
     "ccaf_secrets_path may contain only ASCII letters, digits and /_+=.@- (or be a secret ARN)"),
    ({**VALID_EVENT, "ccaf_secrets_path": "arn:aws:s3:::bucket"}, "ccaf_secrets_path is not a Secrets Manager secret ARN"),
    ({**VALID_EVENT, "tf": "create"}, "tf must be an object, not a string"),
    ({**VALID_EVENT, "tf": {}}, "tf.action is required when tf is given"),
    ({**VALID_EVENT, "tf": {"action": "destroy"}}, "tf.action must be create, update or delete, not 'destroy'"),
    ({**VALID_EVENT, "tf": {"action": 1}}, "tf.action must be a string, not a number"),
    ({**VALID_EVENT, "tf": {"action": "update", "prev_input": "x"}}, "tf.prev_input must be an object, not a string"),
    ({**VALID_EVENT, "dry_run": "yes"}, "dry_run must be a boolean, not a string"),
    ({"catalog_name": 1, "database_name": "", "ccaf_secrets_path": "ok", "dry_run": 0},
     "catalog_name must be a string, not a number; database_name must not be empty; dry_run must be a boolean, not a number"),
]


@pytest.mark.parametrize("event,message", MALFORMED_EVENTS, ids=range(len(MALFORMED_EVENTS)))
def test_every_malformed_event_is_named_in_an_invalid_event_error(start_function, runtime_api, event, message):
    function = start_function()
    invocation = runtime_api.invoke(event)
    assert invocation.outcome == "error", invocation.body
    assert invocation.raw_error_type == "Function.InvalidEvent"
    assert message in invocation.json()["errorMessage"]
    # The runtime survived and serves the next invocation.
    assert runtime_api.invoke(VALID_EVENT).outcome == "response"
    assert function.process.poll() is None


def test_error_messages_keep_non_ascii_text_intact(start_function, runtime_api):
    start_function()
    invocation = runtime_api.invoke({**VALID_EVENT, "tf": {"action": "créer ☃"}})
    assert "'créer ☃'" in invocation.body.decode("utf-8")
    assert invocation.json()["errorMessage"].endswith("not 'créer ☃'")


def test_a_start_up_failure_is_reported_to_init_error_and_the_process_exits(start_function, runtime_api):
    function = start_function(AWS_REGION=None)
    assert function.wait_exit(timeout=60) == 1
    assert runtime_api.init_error is not None
    assert runtime_api.init_error.raw_error_type == "Runtime.InvalidConfiguration"
    assert "AWS_REGION" in json.loads(runtime_api.init_error.body)["errorMessage"]
    assert runtime_api.next_calls == 0


def test_a_413_on_the_response_is_not_followed_by_an_error_post(start_function, runtime_api):
    function = start_function()
    runtime_api.response_status_override = 413
    first = runtime_api.invoke(VALID_EVENT)
    second = runtime_api.invoke(VALID_EVENT)
    assert second.outcome == "response"
    error_posts = [r for r in runtime_api.requests if r.method == "POST" and r.path.endswith(f"{first.request_id}/error")]
    assert error_posts == []
    assert function.process.poll() is None
    assert "the Runtime API refused the result" in function.output


@pytest.mark.parametrize("status", [400, 403])
def test_a_refused_post_is_logged_and_the_loop_goes_on(start_function, runtime_api, status):
    function = start_function()
    runtime_api.response_status_override = status
    runtime_api.invoke(VALID_EVENT, wait=False)
    assert runtime_api.wait_for_next_poll(2, timeout=60)
    assert runtime_api.invoke(VALID_EVENT).outcome == "response"
    assert f"status={status}" in function.output


def test_a_500_from_next_ends_the_process_within_a_second(start_function, runtime_api):
    # The second GET /next is answered 500, whenever it comes (setting the fault after the first
    # invocation would race with the runtime's next poll).
    runtime_api.next_faults = [{}, {"status": 500}]
    function = start_function()
    assert runtime_api.invoke(VALID_EVENT).outcome == "response"
    assert function.wait_exit(timeout=60) == 1
    assert runtime_api.next_calls == 2, "the runtime asked again after the 500"
    assert time.monotonic() - runtime_api.next_times[1] < EXIT_BOUND_SECONDS
    assert "the Runtime API is gone" in function.output


def test_a_500_on_the_response_ends_the_process(start_function, runtime_api):
    function = start_function()
    runtime_api.response_status_override = 500
    runtime_api.invoke(VALID_EVENT, wait=False)
    assert function.wait_exit(timeout=60) == 1


def test_a_vanished_runtime_api_ends_the_process_within_a_second(start_function, runtime_api):
    function = start_function()
    runtime_api.wait_for_next_poll(1, timeout=60)
    runtime_api.stop()
    started = time.monotonic()
    assert function.wait_exit(timeout=60) == 1
    assert time.monotonic() - started < EXIT_BOUND_SECONDS


@pytest.mark.parametrize("deadline_header", ["-9223372036854775808", "0", "-1"])
def test_a_deadline_long_past_is_reported_not_a_crash(start_function, runtime_api, deadline_header):
    """Found by fuzzing: a Deadline-Ms near Int64.min once trapped the runtime before it could answer.
    With no time left, the first call (reading the settings secret) is not even started."""
    function = start_function()
    invocation = runtime_api.invoke(VALID_EVENT, deadline_header=deadline_header)
    assert invocation.outcome == "error"
    assert invocation.raw_error_type == "Function.DeployTimeout", invocation.body  # 8646e13: cut by the deadline
    assert "the deadline passed before AWS answered" in invocation.json()["errorMessage"]
    assert runtime_api.invoke(VALID_EVENT).outcome == "response"  # and the runtime lives on
    assert function.process.poll() is None


@pytest.mark.parametrize("deadline_header", ["9223372036854775807", "soon", ""])
def test_a_deadline_far_off_or_unreadable_still_lets_the_deploy_run(start_function, runtime_api, deadline_header):
    start_function()
    assert runtime_api.invoke(VALID_EVENT, deadline_header=deadline_header).outcome == "response"


def test_every_header_but_the_request_id_is_optional(start_function, runtime_api):
    start_function(AWS_LAMBDA_LOG_LEVEL="DEBUG", AWS_LAMBDA_LOG_FORMAT="JSON")
    invocation = runtime_api.invoke(VALID_EVENT, client_context='{"custom":{"k":"v"}}',
                                    cognito_identity='{"cognitoIdentityId":"i","cognitoIdentityPoolId":"p"}', tenant_id="tenant-1")
    assert invocation.outcome == "response"


def test_the_trace_id_is_set_for_each_invocation_and_cleared_when_absent(start_function, runtime_api):
    function = start_function(AWS_LAMBDA_LOG_LEVEL="DEBUG", AWS_LAMBDA_LOG_FORMAT="JSON")
    trace = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"
    with_trace = runtime_api.invoke(VALID_EVENT, trace_id=trace)
    without_trace = runtime_api.invoke(VALID_EVENT)
    received = {line["requestId"]: line["xrayTraceId"] for line in map(json.loads, function.lines)
                if line.get("message") == "invocation received"}
    assert received[with_trace.request_id] == trace
    assert received[without_trace.request_id] == ""


def test_json_log_lines_parse_and_carry_the_request_id(start_function, runtime_api):
    function = start_function(AWS_LAMBDA_LOG_FORMAT="json")
    invocation = runtime_api.invoke({**VALID_EVENT, "unexpected": "value-must-not-be-logged"})
    runtime_api.invoke(VALID_EVENT)
    lines = [json.loads(line) for line in function.lines]
    during = [line for line in lines if line.get("requestId") == invocation.request_id]
    assert {line["message"] for line in during} >= {"event accepted", "the event has keys that are ignored"}
    for line in lines:
        assert set(line) >= {"timestamp", "level", "message", "logger"}
        assert line["level"] in {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}
        assert time.strptime(line["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ")
    warning = next(line for line in during if line["message"] == "the event has keys that are ignored")
    assert warning["level"] == "WARN" and warning["keys"] == "unexpected"
    assert "value-must-not-be-logged" not in function.output


def test_the_log_level_filters_lines(start_function, runtime_api):
    function = start_function(AWS_LAMBDA_LOG_FORMAT="JSON", AWS_LAMBDA_LOG_LEVEL="ERROR")
    runtime_api.invoke(VALID_EVENT)
    runtime_api.invoke({})
    assert "invocation failed" in function.output
    levels = {json.loads(line)["level"] for line in function.lines}
    assert levels == {"ERROR"}


def test_text_logs_are_readable_lines_with_the_request_id(start_function, runtime_api):
    function = start_function()
    invocation = runtime_api.invoke(VALID_EVENT)
    runtime_api.invoke(VALID_EVENT)
    line = next(line for line in function.lines if "event accepted" in line)
    _, level, request_id, *_ = line.split(" ")
    assert level == "INFO" and request_id == invocation.request_id
    assert "catalog=flight_env" in line


def test_sigterm_after_registration_exits_cleanly(start_function, runtime_api):
    function = start_function()
    runtime_api.wait_for_next_poll(1, timeout=60)
    assert [extension.events for extension in runtime_api.extensions] == [[]]
    first_next = next(r for r in runtime_api.requests if r.path.endswith("/invocation/next"))
    register = next(r for r in runtime_api.requests if r.path.endswith("/extension/register"))
    assert register.at < first_next.at
    function.process.send_signal(signal.SIGTERM)
    assert function.wait_exit(timeout=60) == 0
    assert "SIGTERM received; shutting down" in function.output


def test_a_thousand_invocations_in_a_row_do_not_leak(start_function, runtime_api):
    function = start_function()
    for index in range(100):
        assert runtime_api.invoke(VALID_EVENT if index % 10 == 0 else {}).outcome in {"response", "error"}
    rss_after_warm_up, files_after_warm_up = function.rss_kib(), function.open_files()
    for index in range(900):
        # Every tenth a redeploy (an unchanged pipeline), the rest rejected events.
        event = VALID_EVENT if index % 10 == 0 else {"catalog_name": index}
        runtime_api.invoke(event)
    growth = function.rss_kib() - rss_after_warm_up
    assert SANITIZER or growth < 1024, f"RSS grew by {growth} KiB over 900 invocations"
    assert function.open_files() == files_after_warm_up
