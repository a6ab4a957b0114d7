"""Tests of the scripted fault server itself, with raw sockets and http.client as the client."""
from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlsplit

import pytest

from e2e.peers.raw_socket import raw_exchange
from e2e.peers.scripted import FaultServer


@pytest.fixture
def serve():
    servers: list[FaultServer] = []

    def start(*script: dict) -> FaultServer:
        server = FaultServer(list(script)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def exchange(server: FaultServer, method: str = "POST", body: bytes = b"{}") -> tuple[bytes, Exception | None]:
    url = urlsplit(server.endpoint)
    request = f"{method} / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    return raw_exchange(url.hostname, url.port, request)


def test_answers_follow_the_script_and_the_last_repeats(serve):
    server = serve({"status": 500, "body": "first"}, {"status": 200, "body": {"ok": True}, "headers": {"X-A": "1"}})
    statuses = []
    for _ in range(3):
        connection = http.client.HTTPConnection(urlsplit(server.endpoint).netloc, timeout=5)
        connection.request("POST", "/", body=b"{}")
        response = connection.getresponse()
        statuses.append((response.status, response.read()))
    assert statuses == [(500, b"first"), (200, b'{"ok": true}'), (200, b'{"ok": true}')]
    assert len(server.received) == 3 and server.received[0].text == "{}"


def test_drop_closes_without_an_answer(serve):
    received, _ = exchange(serve({"drop": True}))
    assert received == b""


def test_reset_sends_half_the_answer_then_a_tcp_reset(serve):
    received, error = exchange(serve({"reset": True, "status": 200, "body": {"SecretString": "x" * 200}}))
    assert received.startswith(b"HTTP/1.1 200") and not received.endswith(b"}")
    assert isinstance(error, ConnectionResetError)


def test_truncate_announces_more_body_than_it_sends_then_closes(serve):
    received, error = exchange(serve({"truncate": True, "status": 200, "body": "0123456789" * 4}))
    head, _, body = received.partition(b"\r\n\r\n")
    assert b"Content-Length: 40" in head and body == b"0123456789" * 2 and error is None
    received, _ = exchange(serve({"truncate": True, "status": 202}))
    assert b"Content-Length: 16" in received and received.endswith(b"\r\n\r\n")


def test_delay_and_hang(serve):
    server = serve({"delay": 0.3, "status": 200, "body": "late"}, {"hang": True})
    started = time.monotonic()
    assert exchange(server)[0].endswith(b"late") and time.monotonic() - started >= 0.3
    connection = http.client.HTTPConnection(urlsplit(server.endpoint).netloc, timeout=0.3)
    connection.request("POST", "/", body=b"{}")
    with pytest.raises(TimeoutError):
        connection.getresponse()


def test_requests_endpoint_lists_what_was_received(serve):
    server = serve({"status": 204})
    exchange(server, body=b'{"a": 1}')
    connection = http.client.HTTPConnection(urlsplit(server.endpoint).netloc, timeout=5)
    connection.request("GET", "/_requests")
    listed = json.loads(connection.getresponse().read())
    assert [(r["method"], r["body"]) for r in listed] == [("POST", '{"a": 1}')]
