"""The runtime loop against the Runtime API emulator, ours next to AWS's Python runtime
interface client (awslambdaric, which embeds aws-lambda-cpp), both running an echo handler:
cold start (spawn to first GET /next), per-invocation time (/next delivered to /response
received) over many invocations, and peak RSS. Also the product's own binary (built by
scripts/build-bootstrap) answering invalid events with Function.InvalidEvent, and two bare
loopback round trips (GET /next + POST /response from a Python client) as the floor.

Usage: python3 -m bench.runtime [--runs 20] [--invocations 2000]"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from e2e.peers.runtime_api import RuntimeAPIEmulator

ROOT = Path(__file__).resolve().parent.parent

EVENT = {"catalog_name": "flight_env", "database_name": "flight_cluster", "ccaf_secrets_path": "ccaf/demo/settings"}
INVALID_EVENT = {"catalog_name": "flight_env", "database_name": 7}


def runtimes() -> dict[str, tuple[list[str], dict, str]]:
    """Name: command, event, the outcome every invocation must have."""
    return {
        "ccaf-deploy runtime (echo)": ([str(ROOT / ".build/release/echo-runtime")], EVENT, "response"),
        "awslambdaric (echo)": ([sys.executable, "-m", "awslambdaric", "echo.handler"], EVENT, "response"),
        "bootstrap (invalid event)": ([str(ROOT / ".build/release/bootstrap")], INVALID_EVENT, "error"),
    }


def spawn(command: list[str], api: RuntimeAPIEmulator) -> subprocess.Popen:
    env = {"PATH": os.environ["PATH"], "AWS_LAMBDA_RUNTIME_API": api.address, "AWS_REGION": "us-east-1",
           "LAMBDA_TASK_ROOT": str(ROOT / "bench/handlers"), "PYTHONPATH": str(ROOT / "bench/handlers"),
           "AWS_LAMBDA_FUNCTION_NAME": "bench", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
           "AWS_LAMBDA_LOG_LEVEL": "ERROR", "_HANDLER": "echo.handler"}
    return subprocess.Popen(command, env=env, cwd=ROOT / "bench/handlers", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cold_start_ms(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with RuntimeAPIEmulator() as api:
            started = time.monotonic()
            process = spawn(command, api)
            first_next = api.wait_for_next_poll(1, timeout=30)
            times.append((first_next - started) * 1000)
            process.kill()
            process.wait()
    return times


def loop(command: list[str], invocations: int, event: dict, outcome: str) -> tuple[list[float], int]:
    with RuntimeAPIEmulator() as api:
        process = spawn(command, api)
        try:
            for _ in range(50):
                api.invoke(event)
            durations = []
            for _ in range(invocations):
                invocation = api.invoke(event)
                assert invocation.outcome == outcome, invocation.body
                durations.append((invocation.completed_at - invocation.delivered_at) * 1000)
            status = Path(f"/proc/{process.pid}/status").read_text()
            peak_kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
            return durations, peak_kib
        finally:
            process.kill()
            process.wait()


def bare_round_trips(invocations: int) -> list[float]:
    """GET /next + POST /response from a kept-alive Python client: the floor of any runtime."""
    with RuntimeAPIEmulator() as api:
        host, port = api.address.split(":")
        connection = http.client.HTTPConnection(host, int(port))
        durations = []
        for _ in range(invocations):
            pending = api.invoke(EVENT, wait=False)
            connection.request("GET", "/2018-06-01/runtime/invocation/next")
            response = connection.getresponse()
            body = response.read()
            request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
            connection.request("POST", f"/2018-06-01/runtime/invocation/{request_id}/response", body=body)
            connection.getresponse().read()
            pending.done.wait(5)
            durations.append((pending.completed_at - pending.delivered_at) * 1000)
        return durations


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--invocations", type=int, default=2000)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "echo-runtime"], cwd=ROOT, check=True,
                   capture_output=True)
    subprocess.run([str(ROOT / "scripts/build-bootstrap")], cwd=ROOT, check=True, capture_output=True)

    results = {}
    for name, (command, event, outcome) in runtimes().items():
        cold = cold_start_ms(command, args.runs)
        durations, peak_kib = loop(command, args.invocations, event, outcome)
        results[name] = {"cold_start_ms": {"min": min(cold), "median": statistics.median(cold), "max": max(cold)},
                         "invocation_ms": {"median": statistics.median(durations), "p99": percentile(durations, 0.99)},
                         "peak_rss_mib": peak_kib / 1024}
    floor = bare_round_trips(args.invocations)

    print(f"{'runtime':30} {'cold start min/median/max (ms)':>32} {'invocation median/p99 (ms)':>28} {'peak RSS (MiB)':>15}")
    for name, figures in results.items():
        cold, inv = figures["cold_start_ms"], figures["invocation_ms"]
        print(f"{name:30} {cold['min']:10.1f} {cold['median']:10.1f} {cold['max']:10.1f} {inv['median']:13.3f} {inv['p99']:13.3f} "
              f"{figures['peak_rss_mib']:15.1f}")
    print(f"{'two bare loopback round trips':30} {'':32} {statistics.median(floor):13.3f} {percentile(floor, 0.99):13.3f}")
    ours, theirs = results["ccaf-deploy runtime (echo)"], results["awslambdaric (echo)"]
    print(f"cold start ratio (awslambdaric / ours, medians): {theirs['cold_start_ms']['median'] / ours['cold_start_ms']['median']:.1f}x; "
          f"invocation ratio: {theirs['invocation_ms']['median'] / ours['invocation_ms']['median']:.1f}x; "
          f"ours vs the bare floor: {ours['invocation_ms']['median'] / statistics.median(floor):.2f}x")
    product = results["bootstrap (invalid event)"]
    print(f"peak RSS, awslambdaric / ours: echo runtime {theirs['peak_rss_mib'] / ours['peak_rss_mib']:.2f}x, "
          f"bootstrap {theirs['peak_rss_mib'] / product['peak_rss_mib']:.2f}x")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
