"""Shared fixtures: the real built executable, run as a subprocess against real peers."""
from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from e2e.peers import moto_peer
from e2e.peers.confluent import ConfluentEmulator
from e2e.peers.runtime_api import RuntimeAPIEmulator

ROOT = Path(__file__).resolve().parent.parent
BINARY = Path(os.environ.get("CCAF_DEPLOY_BIN", ROOT / ".build" / "debug" / "ccaf-deploy"))
# Set by scripts/sanitize when BINARY is built with a sanitizer: its allocator keeps freed memory
# in quarantine, so RSS says nothing about leaks there (LeakSanitizer checks them instead).
SANITIZER = os.environ.get("CCAF_SANITIZER")


@pytest.fixture(scope="session")
def binary() -> Path:
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: build it with `swift build` (scripts/test does)")
    return BINARY


class RunningFunction:
    """The executable in Lambda mode, its stdout (the function's logs) collected line by line.

    Reading `lines` or `output` first takes whatever the pipe holds, so a line the process wrote
    before an HTTP request the test has seen is always there (a reader thread alone may lag)."""

    def __init__(self, binary: Path, api: RuntimeAPIEmulator, environment: dict[str, str]):
        env = {"PATH": os.environ.get("PATH", ""), "AWS_LAMBDA_RUNTIME_API": api.address,
               "AWS_LAMBDA_FUNCTION_NAME": "test_function", **environment}
        env = {key: value for key, value in env.items() if value is not None}
        self.started = time.monotonic()
        self.process = subprocess.Popen([str(binary)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._pipe = self.process.stdout.fileno()
        os.set_blocking(self._pipe, False)
        self._lines: list[str] = []
        self._partial = b""
        self._lock = threading.Lock()
        # Keeps the pipe from filling up (and blocking the process) while the test is not reading.
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        while True:
            select.select([self._pipe], [], [])
            if not self._drain():
                return

    def _drain(self) -> bool:
        """Moves what the pipe holds into the lines; False once the process's output has ended."""
        with self._lock:
            while True:
                try:
                    chunk = os.read(self._pipe, 65536)
                except BlockingIOError:
                    return True
                if not chunk:
                    if self._partial:
                        self._lines.append(self._partial.decode("utf-8", "replace"))
                        self._partial = b""
                    return False
                *complete, self._partial = (self._partial + chunk).split(b"\n")
                self._lines.extend(line.decode("utf-8", "replace") for line in complete)

    @property
    def lines(self) -> list[str]:
        self._drain()
        return list(self._lines)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_output(self, text: str, timeout: float = 60) -> None:
        """Block until `text` is in the output (an event, not a guess at how long it takes);
        TimeoutError after `timeout` seconds, a deadline only a broken product reaches."""
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline or (self.process.poll() is not None and text not in self.output):
                raise TimeoutError(f"{text!r} not in the function's output within {timeout} s")
            time.sleep(0.005)

    def wait_exit(self, timeout: float) -> int:
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=2)
        return code

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def open_files(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=5)
        self._reader.join(timeout=2)


@contextmanager
def refusing_port() -> Iterator[int]:
    """A loopback port that refuses every connection while the block runs: a socket is bound to it
    but never listens, so no other socket (an emulator binding port 0 meanwhile) can take it, unlike
    a port that was merely free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def refused_port() -> Iterator[int]:
    with refusing_port() as port:
        yield port


@pytest.fixture(scope="session")
def moto():
    peer = moto_peer.start()
    yield peer
    peer.stop()


def confluent_for(secret: dict) -> ConfluentEmulator:
    """A Confluent statements API emulator that accepts the Flink key of a CCAF settings secret."""
    return ConfluentEmulator(secret["organization.id"], secret["environment.id"], secret["flink.api.key"],
                             secret["flink.api.secret"], phase_delays={"pending": 0.05, "completing": 0.05, "stopping": 0.05})


@pytest.fixture
def confluent():
    with confluent_for(moto_peer.CCAF_SECRET) as emulator:
        yield emulator


@pytest.fixture
def runtime_api():
    with RuntimeAPIEmulator() as api:
        yield api


@pytest.fixture
def start_function(binary, runtime_api, moto, confluent):
    """Starts the function in Lambda mode, its AWS calls going to moto as the allowed user and its
    Confluent calls to the emulator."""
    started: list[RunningFunction] = []

    def start(**environment) -> RunningFunction:
        defaults = {**moto.environment(), "CCAF_FLINK_ENDPOINT": confluent.base_url}
        function = RunningFunction(binary, runtime_api, {**defaults, **environment})
        started.append(function)
        return function

    yield start
    for function in started:
        function.stop()


def run_cli(binary: Path, *arguments: str, environment: dict[str, str] | None = None, stdin: str | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/root"), **(environment or {})}
    return subprocess.run([str(binary), *arguments], env=env, input=stdin, capture_output=True, text=True, timeout=timeout)
