"""The main job on local stand-ins (scripts/run-local): moto holds a demo CCAF settings secret,
the Confluent emulator plays the Flink statements API, and the deployer runs once through its
CLI exactly as the Lambda function would. Prints the SQL, the statements and their phases."""
from __future__ import annotations

import json
import subprocess
import sys
import time

from e2e.conftest import BINARY, confluent_for
from e2e.peers import moto_peer


def main() -> int:
    print("Starting moto (AWS emulator, signature checking on) with a demo CCAF secret, and the Confluent emulator...", file=sys.stderr)
    moto = moto_peer.start()
    try:
        with confluent_for(moto_peer.CCAF_SECRET) as confluent:
            event = {"catalog_name": "flight_env", "database_name": "flight_cluster", "ccaf_secrets_path": moto_peer.CCAF_SECRET_NAME}
            print(f"Event: {json.dumps(event)}", file=sys.stderr)
            print(f"Deploy flags: {' '.join(sys.argv[1:]) or '(none: the default built-in pipeline)'}\n", file=sys.stderr)
            started = time.monotonic()
            result = subprocess.run(
                [str(BINARY), "deploy", "--event-file", "-", *sys.argv[1:]], input=json.dumps(event), text=True,
                capture_output=True, env={**moto.environment(), "CCAF_FLINK_ENDPOINT": confluent.base_url, "PATH": "/usr/bin:/bin"})
            elapsed = time.monotonic() - started
            sys.stderr.write(result.stderr)
            if result.returncode != 0:
                print(result.stdout, end="")
                return result.returncode
            body = json.loads(json.loads(result.stdout)["body"])
            print(f"\n{body['message']} (action: {body['action']})\n")
            for statement in body["statements"]:
                spec = confluent.statements[statement["name"]]["spec"]
                properties = ", ".join(f"{key} = '{value}'" for key, value in sorted(spec["properties"].items()))
                print(f"-- {statement['id']} ({statement['kind']}, {statement['action']}) {statement['name']}: {statement['phase']}")
                print(f"-- properties: {properties}\n{spec['statement']};\n")
            print(f"Deployed in {elapsed * 1000:.0f} ms (exit status {result.returncode}).", file=sys.stderr)
            return 0
    finally:
        moto.stop()


if __name__ == "__main__":
    sys.exit(main())
