"""The scripted fault peer (scripted.py) as a program for the Swift tests: run with the script as
JSON in argv[1], it prints one JSON line `{"endpoint": ...}` and serves until its standard input
closes. `GET /_requests` returns what it has received so far.

Started by its path (`python3 e2e/peers/fault_server.py`, as Tests/TestSupport/PeerProcess does),
it runs itself again as `python3 -m e2e.peers.fault_server` from the repository root, the one way
the package `e2e` is importable: no sys.path editing.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    from e2e.peers.scripted import FaultServer  # importable once run as a module (below)

    server = FaultServer(json.loads(argv[0])).start()
    print(json.dumps({"endpoint": server.endpoint}), flush=True)
    sys.stdin.read()
    return 0


def run_as_module(module: str) -> None:
    """Replace this process (same pid, same standard streams) with `python3 -m module`, run from the root."""
    os.chdir(ROOT)
    os.execv(sys.executable, [sys.executable, "-m", module, *sys.argv[1:]])


if __name__ == "__main__":
    if not __package__:
        run_as_module("e2e.peers.fault_server")
    sys.exit(main(sys.argv[1:]))
