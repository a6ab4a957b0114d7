"""The Confluent Flink statements API emulator as a peer process for the Swift tests.

It starts a `ConfluentEmulator` on a free loopback port and prints ONE JSON line describing it:
`{"base_url", "org", "env", "key", "secret"}`. Then it serves a line protocol on stdin/stdout:
each stdin line is `{"call": "<name>", "args": [...], "kwargs": {...}}` naming a fault knob or
an introspection member of the emulator (`fail_next`, `statements`, `count_requests`, ...), and is
answered by one stdout line, `{"result": <JSON>}` or `{"error": "<text>"}`. A member that is not
callable (the `statements` and `requests` properties) is returned as it is. The peer stops
when stdin closes, which happens when the test process exits.

Started by its path (`python3 e2e/peers/confluent_peer.py`, as Tests/TestSupport/PeerProcess
does), it runs itself again as `python3 -m e2e.peers.confluent_peer` from the repository root, the
one way the package `e2e` is importable: no sys.path editing.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from e2e.peers.confluent import ConfluentEmulator

ROOT = Path(__file__).resolve().parents[2]
ORG = "b0b21724-4586-4a07-b787-d0bb5aacbf87"
ENV = "env-test01"
KEY = "FLINKTESTKEY0001"
SECRET = "flink-secret/Qx9+not-for-logs"
# Only these members may be called: the documented knobs and introspection, nothing private.
CALLABLE = frozenset({
    "fail_next", "slow_next", "lose_next_create_response", "fail_statement_when_created", "degrade",
    "exhaust_pool", "set_phase_delays", "statements", "requests", "count_requests",
})


def _jsonable(value: object) -> object:
    """json.dumps fallback: recorded requests as their JSON form (the body as text), anything else as text."""
    as_json = getattr(value, "as_json", None)
    return as_json() if callable(as_json) else str(value)


def _answer(emulator: ConfluentEmulator, line: str) -> dict:
    try:
        request = json.loads(line)
        name = request["call"]
        if name not in CALLABLE:
            raise ValueError(f"'{name}' is not one of {sorted(CALLABLE)}")
        member = getattr(emulator, name)
        result = member(*request.get("args", []), **request.get("kwargs", {})) if callable(member) else member
        return {"result": result}
    except Exception as error:  # any failure goes back to the test as text
        return {"error": f"{type(error).__name__}: {error}"}


def main() -> int:
    from e2e.peers.confluent import ConfluentEmulator  # importable once run as a module (below)

    with ConfluentEmulator(ORG, ENV, KEY, SECRET) as emulator:
        description = {"base_url": emulator.base_url, "org": ORG, "env": ENV, "key": KEY, "secret": SECRET}
        print(json.dumps(description), flush=True)
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(_answer(emulator, line), default=_jsonable), flush=True)
    return 0


if __name__ == "__main__":
    if not __package__:  # started by path: replace this process (same pid and streams) with the module
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "e2e.peers.confluent_peer", *sys.argv[1:]])
    sys.exit(main())
