"""Runs the deployer once against local stand-ins and shows what it did (scripts/run-local)."""
from __future__ import annotations

import json
import subprocess
import sys
import time

from e2e.conftest import BINARY
from e2e.peers import moto_peer


def main() -> int:
    print("Starting moto (AWS emulator, signature checking on) with a demo CCAF secret...", file=sys.stderr)
    moto = moto_peer.start()
    try:
        event = {"catalog_name": "flight_env", "database_name": "flight_cluster", "ccaf_secrets_path": moto_peer.CCAF_SECRET_NAME}
        print(f"Event: {json.dumps(event)}", file=sys.stderr)
        started = time.monotonic()
        result = subprocess.run(
            [str(BINARY), "deploy", "--event-file", "-", *sys.argv[1:]], input=json.dumps(event), text=True,
            capture_output=True, env={**moto.environment(), "PATH": "/usr/bin:/bin"})
        elapsed = time.monotonic() - started
        sys.stderr.write(result.stderr)
        print(result.stdout, end="")
        print(f"Finished in {elapsed * 1000:.0f} ms with exit status {result.returncode}.", file=sys.stderr)
        return result.returncode
    finally:
        moto.stop()


if __name__ == "__main__":
    sys.exit(main())
