"""Raw HTTP exchanges for the peers' own tests: bytes out, whatever comes back, however it ends."""
from __future__ import annotations

import socket


def raw_exchange(host: str, port: int, request: bytes, timeout: float = 5) -> tuple[bytes, Exception | None]:
    """Send `request`; return everything received until the peer closed or reset, and the error if it reset."""
    received, error = b"", None
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(request)
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except OSError as failure:
            error = failure
    return received, error
