"""What the peers' HTTP servers share (runtime_api.py, confluent.py, scripted.py): a threading
HTTP/1.1 server on loopback that tracks its connections (so that a peer can drop them all, or all
but one), a quiet request handler that reads bodies (Content-Length or chunked), writes an answer
in one send, or cuts it short on purpose, and the one record of a request they all keep.
"""
from __future__ import annotations

import enum
import json
import socket
import socketserver
import struct
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.client import responses
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


class Cut(enum.Enum):
    """How an answer is cut short on purpose."""

    RESET = "reset"  # the first half of the answer (status line and headers included), then a TCP RST
    TRUNCATE = "truncate"  # the headers with the full Content-Length (at least 16) and half the body, then a clean close

    @classmethod
    def asked_by(cls, fault: Mapping) -> Cut | None:
        """The cut a scripted fault asks for with `{"reset": True}` or `{"truncate": True}`, if any."""
        return cls.RESET if fault.get("reset") else cls.TRUNCATE if fault.get("truncate") else None


@dataclass(frozen=True)
class RecordedRequest:
    """A request as a peer received it, and the status it answered (None: no answer)."""

    method: str
    path: str  # without the query
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    at: float  # time.monotonic() on arrival
    status: int | None = None
    request_id: str | None = None  # the X-Request-Id answered, for peers that send one
    wall: float = field(default_factory=time.time, repr=False)  # time.time() on arrival

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> object:
        return json.loads(self.body) if self.body else None

    def as_json(self) -> dict:
        """JSON-ready, for the peers' programs (the body as text; `time` is wall-clock seconds)."""
        return {"method": self.method, "path": self.path, "query": self.query, "headers": self.headers,
                "body": self.text, "status": self.status, "request_id": self.request_id, "at": self.at,
                "time": self.wall}


def render(status: int, body: bytes, headers: Mapping[str, str] | None = None,
           content_length: int | None = None) -> tuple[bytes, bytes]:
    """The head (status line, headers, Content-Length) and the body of an answer."""
    lines = [f"HTTP/1.1 {status} {responses.get(status, '')}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines.append(f"Content-Length: {len(body) if content_length is None else content_length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode(), body


def reset(connection: socket.socket) -> None:
    """Close with SO_LINGER 0: the kernel sends a TCP RST instead of a FIN."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


class PeerHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive, Nagle off, no per-request log (tests read the recorded requests)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    announce = False  # send Server and Date headers, as most HTTP servers do

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def read_body(self) -> bytes:
        """The request body, Content-Length or chunked (trailers skipped); ValueError on bad framing."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip(), 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailer fields
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        return self.rfile.read(length)

    def record(self, body: bytes, status: int | None = None, request_id: str | None = None,
               at: float | None = None) -> RecordedRequest:
        url = urlsplit(self.path)
        return RecordedRequest(self.command, url.path, dict(parse_qsl(url.query, keep_blank_values=True)),
                               {name.lower(): value for name, value in self.headers.items()}, body,
                               time.monotonic() if at is None else at, status, request_id)

    def _head_headers(self, headers: Mapping[str, str] | None) -> dict[str, str]:
        extra = {"Server": self.version_string(), "Date": self.date_time_string()} if self.announce else {}
        return {**extra, **(headers or {})}

    def write_answer(self, status: int, body: bytes = b"", headers: Mapping[str, str] | None = None) -> None:
        """Status line, headers, Content-Length and body in a single send."""
        head, body = render(status, body, self._head_headers(headers))
        self.wfile.write(head + body)

    def write_cut(self, cut: Cut, status: int, body: bytes = b"", headers: Mapping[str, str] | None = None) -> None:
        """The answer cut short as `cut` says; the connection is closed either way."""
        self.close_connection = True
        headers = self._head_headers(headers)
        if cut is Cut.TRUNCATE:
            head, body = render(status, body, headers, content_length=max(len(body), 16))
            self.wfile.write(head + body[:len(body) // 2])
            self.connection.shutdown(socket.SHUT_WR)
        else:
            head, body = render(status, body, headers)
            whole = head + body
            self.wfile.write(whole[:len(whole) // 2])
            reset(self.connection)

    def drop(self) -> None:
        """Close the connection without an answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the client is gone already


class PeerServer(ThreadingHTTPServer):
    """A threading HTTP server on 127.0.0.1:`port` (0: a free one) that knows its open connections."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, handler: type[PeerHandler]):
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup of the host."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def process_request(self, request: socket.socket, client_address: object) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self, except_connection: socket.socket | None = None) -> None:
        """Shut every open connection down (but `except_connection`, a handler's own)."""
        with self._connections_lock:
            connections = [c for c in self._connections if c is not except_connection]
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the peer

    def stop_listening(self, except_connection: socket.socket | None = None) -> None:
        """Stop serving, close the listening socket and every connection but `except_connection`."""
        self.shutdown()
        self.server_close()
        self.close_connections(except_connection)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (or was hung up on) is not a peer error."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)
