"""Deploy wall time of a pipeline of 1, 5 and 20 streaming INSERT statements: the deployer
submits a pipeline's streaming statements together and waits for them to reach RUNNING side by
side, so 20 of them should take about as long as one (goal: within 1.5x).

Each run is one `ccaf-deploy deploy --pipeline-file` (release build) against moto (holding the
demo CCAF secret, signatures checked) and a fresh Confluent emulator, so every statement is
created. The emulator's phase delays are realistic rather than the tests' 50 ms: a streaming
INSERT becomes RUNNING 2 s after it is created, a bounded CREATE TABLE is COMPLETED 1 s after
(0.5 s PENDING + 0.5 s RUNNING). Each pipeline is one bounded CREATE TABLE of a shared sink,
then N INSERTs into it (alternately from skyone_avro and sunset_avro), so the floor of a whole
deploy is 1 s (DDL) + 2 s (RUNNING) = 3 s plus process start and the secret read.

Figures: wall time of the whole CLI run (min/median/max), its median's ratio to the 1-statement
median; the streaming stage alone (first INSERT POST to the last request, from the emulator's
request log: DDL, process start and the secret read excluded; floor 2 s); the HTTP requests the
deploy made to the emulator; and a naive serial estimate (N x the 1-statement median).
A benchmark, not a test: nothing here is run by the test suite.

Usage: python3 -m bench.pipeline_scale [--runs 5] [--sizes 1,5,20] [--no-build]"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from e2e.conftest import confluent_for
from e2e.peers import moto_peer

ROOT = Path(__file__).resolve().parent.parent

BINARY = ROOT / ".build/release/ccaf-deploy"
DDL_SECONDS = 1.0  # CREATE TABLE: PENDING 0.5 s, then RUNNING 0.5 s, then COMPLETED
RUNNING_SECONDS = 2.0  # INSERT INTO: PENDING 2 s, then RUNNING
PHASE_DELAYS = {"pending": 0.5, "completing": 0.5, "pending.INSERT_INTO": RUNNING_SECONDS}
GOAL = 1.5


def pipeline(size: int) -> dict:
    statements = [{"id": "sink", "sql": "CREATE TABLE IF NOT EXISTS scale_sink (email_address STRING, "
                                        "flight_number STRING, departure_airport_code STRING)"}]
    for number in range(1, size + 1):
        source = "skyone_avro" if number % 2 else "sunset_avro"
        statements.append({"id": f"copy-{number}", "sql": (
            f"INSERT INTO scale_sink SELECT email_address, flight_number, departure_airport_code FROM {source} "
            f"WHERE flight_number <> 'X{number}'")})
    return {"name": f"scale-{size}", "statements": statements}


def deploy_once(size: int, moto: moto_peer.MotoPeer, pipeline_file: Path) -> dict:
    """One deploy into a fresh emulator: wall seconds, streaming-stage seconds, request counts."""
    with confluent_for(moto_peer.CCAF_SECRET) as confluent:
        confluent.set_phase_delays(PHASE_DELAYS)
        started = time.monotonic()
        result = subprocess.run(
            [str(BINARY), "deploy", "--catalog-name", "flight_env", "--database-name", "flight_cluster",
             "--ccaf-secrets-path", moto_peer.CCAF_SECRET_NAME, "--pipeline-file", str(pipeline_file)],
            capture_output=True, text=True, timeout=120,
            env={**moto.environment(), "CCAF_FLINK_ENDPOINT": confluent.base_url, "PATH": "/usr/bin:/bin"})
        wall = time.monotonic() - started
        if result.returncode != 0:
            raise SystemExit(f"deploy of {size} statements failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
        body = json.loads(json.loads(result.stdout)["body"])
        outcomes = body["statements"]
        inserts = [s for s in outcomes if s["id"] != "sink"]
        if len(inserts) != size or any(s["action"] != "created" or s["phase"] != "RUNNING" for s in inserts):
            raise SystemExit(f"deploy of {size} statements did not create them all RUNNING: {outcomes}")
        requests = confluent.requests
        insert_posts = [r for r in requests if r.method == "POST" and "INSERT INTO" in r.text]
        return {
            "wall": wall,
            "streaming": requests[-1].at - insert_posts[0].at,
            "requests": len(requests),
            "gets": sum(1 for r in requests if r.method == "GET" and r.path.rsplit("/", 1)[-1].startswith("scale-")),
            "posts": sum(1 for r in requests if r.method == "POST"),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1,5,20", help="numbers of streaming INSERTs, comma-separated (1 first)")
    parser.add_argument("--no-build", action="store_true", help="use .build/release/ccaf-deploy as it is")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    if not arguments.no_build:
        build = subprocess.run(["swift", "build", "-c", "release", "--product", "ccaf-deploy"], cwd=ROOT, capture_output=True, text=True)
        if build.returncode != 0:
            raise SystemExit(f"swift build -c release --product ccaf-deploy failed:\n{build.stdout[-4000:]}{build.stderr[-4000:]}")

    results: dict[int, list[dict]] = {}
    moto = moto_peer.start()
    try:
        with tempfile.TemporaryDirectory() as directory:
            for size in sizes:
                pipeline_file = Path(directory) / f"scale-{size}.json"
                pipeline_file.write_text(json.dumps(pipeline(size)))
                results[size] = [deploy_once(size, moto, pipeline_file) for _ in range(arguments.runs)]
    finally:
        moto.stop()

    base = statistics.median(run["wall"] for run in results[sizes[0]])
    print(f"Pipeline deploy, 1 bounded CREATE TABLE (shared sink, COMPLETED after {DDL_SECONDS:g} s) + N streaming INSERTs "
          f"(RUNNING {RUNNING_SECONDS:g} s after creation); a fresh emulator per run")
    print(f"Floor of a whole deploy: {DDL_SECONDS:g} s + {RUNNING_SECONDS:g} s = {DDL_SECONDS + RUNNING_SECONDS:g} s "
          f"(+ process start, secret read); floor of the streaming stage: {RUNNING_SECONDS:g} s")
    header = (f"{'statements':>10} {'runs':>4} {'min s':>6} {'median s':>8} {'max s':>6} {'ratio':>6} "
              f"{'stream med s':>12} {'requests':>8} {'GET polls':>9} {'serial est s':>12}")
    print(header)
    print("-" * len(header))
    for size in sizes:
        runs = results[size]
        walls = [run["wall"] for run in runs]
        median = statistics.median(walls)
        print(f"{size:>10} {len(runs):>4} {min(walls):>6.2f} {median:>8.2f} {max(walls):>6.2f} {median / base:>5.2f}x "
              f"{statistics.median(run['streaming'] for run in runs):>12.2f} "
              f"{statistics.median(run['requests'] for run in runs):>8g} "
              f"{statistics.median(run['gets'] for run in runs):>9g} {size / sizes[0] * base:>12.2f}")
    print(f"ratio: median wall / {sizes[0]}-statement median; requests, GET polls: medians per deploy (all HTTP "
          f"requests to the emulator; GETs of single statements); serial est: N x the {sizes[0]}-statement median")
    worst = max(statistics.median(run["wall"] for run in results[size]) / base for size in sizes)
    print(f"Goal: {max(sizes)} statements within {GOAL:g}x of {sizes[0]}: "
          f"{'met' if worst <= GOAL else 'NOT met'} (largest ratio {worst:.2f}x)")


if __name__ == "__main__":
    main()
