"""The container's start, simulated without a Docker engine.

Builds the release binary the way the Dockerfile does (scripts/build-bootstrap, stripped; in a
separate scratch path so other builds are untouched), records its size, copies it to a temp
dir as `bootstrap` and starts it with the environment Lambda gives a container-image function,
its AWS_LAMBDA_RUNTIME_API pointing at the project's Runtime API emulator
(e2e/peers/runtime_api.py). Invalid events must come back through the emulator's error endpoint
as Function.InvalidEvent: that proves the runtime wiring (the valid path needs AWS and Confluent).
Exit status 0 when they do. This host builds on Debian: the binary is for this check only; the
image's binary is built on Amazon Linux 2023 by the Dockerfile.
"""
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from e2e.peers.runtime_api import RuntimeAPIEmulator

ROOT = Path(__file__).resolve().parent.parent

BUILD = [str(ROOT / "scripts/build-bootstrap"), "-Xlinker", "-s", "--scratch-path", str(ROOT / ".build-container")]
# 8.9 MB now; Foundation would add some 5 MB, _StringProcessing's regex engine 1.4 MB.
SIZE_BUDGET = 10_000_000
INVALID_EVENTS = [
    {"catalog_name": "flight_env", "database_name": 7},  # mistyped and missing fields
    {"catalog_name": "flight_env", "database_name": "flight_cluster",  # Terraform CRUD, bad action
     "ccaf_secrets_path": "ccaf/settings", "tf": {"action": "rename"}},
]

def main() -> int:
    subprocess.run(BUILD, cwd=ROOT, check=True)
    binary = Path(subprocess.run([*BUILD, "--show-bin-path"], cwd=ROOT, check=True, capture_output=True,
                                 text=True).stdout.strip()) / "bootstrap"
    size = binary.stat().st_size
    (ROOT / ".build-container" / "bootstrap-size.txt").write_text(f"{size}\n")
    print(f"release binary (static Swift stdlib, stripped): {size} bytes ({size / 1e6:.1f} MB)", flush=True)
    if size > SIZE_BUDGET:
        print(f"the binary is over its budget of {SIZE_BUDGET} bytes: look for Foundation, or the standard library's string "
              "searches (contains, firstRange, split by a string, replacing), which link _StringProcessing", file=sys.stderr)
        return 1

    failures = 0
    with tempfile.TemporaryDirectory() as task_root, RuntimeAPIEmulator(function_name="ccaf-deploy") as api:
        bootstrap = Path(task_root) / "bootstrap"
        shutil.copy2(binary, bootstrap)
        environment = {  # what Lambda sets for a container-image function (reference/lambda-aws.md §1.8)
            "AWS_LAMBDA_RUNTIME_API": api.address, "_HANDLER": "ccaf-deploy", "AWS_EXECUTION_ENV": "AWS_Lambda_Image",
            "LAMBDA_TASK_ROOT": task_root, "LAMBDA_RUNTIME_DIR": task_root, "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_LAMBDA_FUNCTION_NAME": "ccaf-deploy",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand", "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/ccaf-deploy",
            "AWS_LAMBDA_LOG_STREAM_NAME": "2026/01/01/[$LATEST]simulated", "AWS_LAMBDA_LOG_FORMAT": "JSON",
            "AWS_LAMBDA_LOG_LEVEL": "INFO", "AWS_ACCESS_KEY_ID": "ASIASIMULATED", "AWS_SECRET_ACCESS_KEY": "simulated",
            "AWS_SESSION_TOKEN": "simulated", "TZ": ":UTC", "LANG": "en_US.UTF-8",
            "PATH": "/usr/local/bin:/usr/bin/:/bin:/opt/bin", "HOME": task_root,
        }
        function = subprocess.Popen([str(bootstrap)], cwd=task_root, env=environment)
        try:
            for event in INVALID_EVENTS:
                invocation = api.invoke(event, timeout_ms=30_000, wait_timeout=30)
                answer = invocation.json()
                print(f"event {json.dumps(event)}\n  -> {invocation.outcome} {invocation.error_type}: "
                      f"{answer.get('errorMessage')}", flush=True)
                failures += invocation.outcome != "error" or invocation.error_type != "Function.InvalidEvent"
        finally:
            function.terminate()
            function.wait(timeout=5)

    print("simulate-container: " + ("PASS" if failures == 0 else f"FAIL ({failures} unexpected answers)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
