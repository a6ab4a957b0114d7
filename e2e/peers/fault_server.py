"""A scripted HTTP peer that misbehaves on purpose: each request gets the next answer of a
script (the last one repeats), where an answer is a status with headers and body, a dropped
connection, or silence (the peer reads the request and never answers).

Answer keys: `status`, `headers`, `body` (str as is, anything else as JSON); `delay` (seconds
before answering); `hang` (never answer); `drop` (close the connection without answering: a
request that was processed but whose answer was lost); `reset` (send the first half of the
answer, status line and headers included, then reset the connection with a TCP RST);
`truncate` (send the status line, the headers with the full Content-Length and half the body,
then close the connection cleanly: a truncated body).

Run as a program with the script as JSON in argv[1], it prints one JSON line
`{"endpoint": ...}` and serves until its standard input closes. `GET /_requests` returns what
it has received so far (method, path, headers, body), without counting as a scripted request.
"""
from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FaultServer:
    def __init__(self, script: list[dict]):
        if not script:
            raise ValueError("the script needs at least one answer")
        self.script = script
        self.received: list[dict] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "FaultServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_answer(self, record: dict) -> dict:
        with self._lock:
            index = len(self.received)
            self.received.append(record)
            return self.script[min(index, len(self.script) - 1)]

    def _handler(self):
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
                if self.path == "/_requests":
                    with peer._lock:
                        self._reply({"status": 200, "body": peer.received})
                    return
                answer = peer._next_answer({
                    "method": self.command, "path": self.path, "body": body,
                    "headers": {name.lower(): value for name, value in self.headers.items()},
                    "time": time.time(),
                })
                if answer.get("hang"):
                    time.sleep(3600)
                elif answer.get("drop"):
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                elif answer.get("reset") or answer.get("truncate"):
                    time.sleep(answer.get("delay", 0))
                    self._partial_reply(answer)
                else:
                    time.sleep(answer.get("delay", 0))
                    self._reply(answer)

            def _reply(self, answer: dict):
                body = answer.get("body", "")
                payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(answer["status"])
                for name, value in answer.get("headers", {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _partial_reply(self, answer: dict):
                body = answer.get("body", "")
                payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                head = [f"HTTP/1.1 {answer['status']} {self.responses.get(answer['status'], ('',))[0]}"]
                head += [f"{name}: {value}" for name, value in answer.get("headers", {}).items()]
                # A truncated answer promises more body than it sends (at least 16 bytes).
                head.append(f"Content-Length: {max(len(payload), 16) if answer.get('truncate') else len(payload)}")
                raw = ("\r\n".join(head) + "\r\n\r\n").encode()
                self.close_connection = True
                if answer.get("truncate"):
                    self.wfile.write(raw + payload[:len(payload) // 2])
                    self.connection.shutdown(socket.SHUT_WR)
                else:
                    whole = raw + payload
                    self.wfile.write(whole[:len(whole) // 2])
                    reset(self.connection)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler


def reset(connection: socket.socket) -> None:
    """Close with SO_LINGER 0: the kernel sends a TCP RST instead of a FIN."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


if __name__ == "__main__":
    server = FaultServer(json.loads(sys.argv[1])).start()
    print(json.dumps({"endpoint": server.endpoint}), flush=True)
    sys.stdin.read()
