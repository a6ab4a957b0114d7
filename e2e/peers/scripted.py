"""A scripted HTTP peer that misbehaves on purpose: each request gets the next answer of a
script (the last one repeats), where an answer is a status with headers and body, a dropped
connection, or silence (the peer reads the request and never answers).

Answer keys: `status`, `headers`, `body` (str as is, anything else as JSON); `delay` (seconds
before answering); `hang` (never answer); `drop` (close the connection without answering: a
request that was processed but whose answer was lost); `reset` (send the first half of the
answer, status line and headers included, then reset the connection with a TCP RST);
`truncate` (send the status line, the headers with the full Content-Length and half the body,
then close the connection cleanly: a truncated body).

`GET /_requests` returns what it has received so far (RecordedRequest.as_json), without counting
as a scripted request. fault_server.py runs it as a program for the Swift tests.
"""
from __future__ import annotations

import json
import threading
import time

from e2e.peers.http_peer import Cut, PeerHandler, PeerServer, RecordedRequest

HANG_SECONDS = 3600  # "never" for a test


class FaultServer:
    def __init__(self, script: list[dict]):
        if not script:
            raise ValueError("the script needs at least one answer")
        self.script = script
        self._received: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-server", daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def received(self) -> list[RecordedRequest]:
        """The scripted requests received so far, oldest first."""
        with self._lock:
            return list(self._received)

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_answer(self, request: RecordedRequest) -> dict:
        with self._lock:
            index = len(self._received)
            self._received.append(request)
            return self.script[min(index, len(self.script) - 1)]


def _payload(answer: dict) -> bytes:
    body = answer.get("body", "")
    return body.encode() if isinstance(body, str) else json.dumps(body).encode()


class _Handler(PeerHandler):
    announce = True  # Server and Date, as http.server's send_response writes them
    server: _Server

    def _serve(self) -> None:
        peer = self.server.peer
        try:
            body = self.read_body()
        except ValueError:  # malformed framing
            self.close_connection = True
            self.write_answer(400)
            return
        if self.path == "/_requests":
            self.write_answer(200, json.dumps([r.as_json() for r in peer.received]).encode())
            return
        answer = peer._next_answer(self.record(body))
        if answer.get("hang"):
            time.sleep(HANG_SECONDS)
        elif answer.get("drop"):
            self.drop()
        else:
            time.sleep(answer.get("delay", 0))
            headers = answer.get("headers", {})
            if cut := Cut.asked_by(answer):
                self.write_cut(cut, answer["status"], _payload(answer), headers)
            else:
                self.write_answer(answer["status"], _payload(answer), headers)

    do_GET = do_POST = do_PUT = do_DELETE = _serve


class _Server(PeerServer):
    def __init__(self, peer: FaultServer):
        self.peer = peer
        super().__init__(0, _Handler)
