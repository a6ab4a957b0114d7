"""terraform/ applied for real: Terraform 1.11 and the real hashicorp/aws provider (from a local
filesystem mirror) against moto_server (signature checking on), every AWS call going through
e2e/lambda_invoke_proxy.py, which answers Lambda's Invoke with the real executable in Lambda mode
(Runtime API emulator) in front of the Confluent emulator, and forwards everything else to moto.

The walk-through is the one of docs/deploy.md ("First deployment", "Redeploy and destroy"): the
one-time ECR bootstrap, an image pushed, apply (deploys: RUNNING), apply again (nothing invoked),
a changed definition (that key alone redeploys), destroy (every pipeline stopped, the repository
deleted with its images); and a failed deployment fails `terraform apply` with the function's
error. Every AWS action Terraform called is checked against the role policies in docs/deploy.md.

Needs terraform (1.10+) and the provider mirror (TF_PROVIDER_MIRROR, default /opt/tf-plugins);
skipped with the reason when either is missing.
"""
from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import boto3
import pytest

from e2e.conftest import BINARY, ROOT, RunningFunction, confluent_for
from e2e.lambda_invoke_proxy import LambdaInvokeProxy
from e2e.peers import moto_peer
from e2e.peers.runtime_api import RuntimeAPIEmulator

MIRROR = Path(os.environ.get("TF_PROVIDER_MIRROR", "/opt/tf-plugins"))
PROVIDER_DIR = MIRROR / "registry.terraform.io" / "hashicorp" / "aws"
TERRAFORM = shutil.which("terraform")
DOCS = ROOT / "docs" / "deploy.md"
ACCOUNT_ID = "123456789012"  # moto's default account
FUNCTION_TIMEOUT = 300
DEFINITION = (ROOT / "pipelines" / "airport-departures.yaml").read_text()

pytestmark = [
    pytest.mark.skipif(TERRAFORM is None, reason="terraform is not installed (install Terraform 1.11 to run the Terraform end-to-end test)"),
    pytest.mark.skipif(not any(PROVIDER_DIR.glob("*/linux_amd64/terraform-provider-aws*")),
                       reason=f"no hashicorp/aws provider in the filesystem mirror {MIRROR} (set TF_PROVIDER_MIRROR)"),
]


# ---------------------------------------------------------------------------------------------
# The peers
# ---------------------------------------------------------------------------------------------

def start_moto() -> tuple[moto_peer.MotoPeer, dict]:
    """moto_peer's moto (its seeded secret and users), plus a Terraform user allowed everything
    (moto's IAM checks match resources only as "*"; the policies are checked per action below),
    then signature checking on, as moto_peer.start() does."""
    port = moto_peer.free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        moto_peer._wait_until_up(endpoint, process)
        peer = moto_peer._seed(endpoint)
        peer.process = process
        iam = moto_peer._client("iam", endpoint)
        terraform_keys = moto_peer._user_with_policy(iam, "terraform", ["*"])
        moto_peer._enable_signature_checking(endpoint)
        return peer, terraform_keys
    except BaseException:
        process.kill()
        process.wait()
        raise


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    home = tmp_path_factory.mktemp("terraform")
    # A copy of the executable: a rebuild while the test runs must not swap it underneath.
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: build it with `swift build` (scripts/test does)")
    binary = home / "ccaf-deploy"
    shutil.copy2(BINARY, binary)
    peer, keys = start_moto()
    confluent = confluent_for(moto_peer.CCAF_SECRET).start()
    runtime_api = RuntimeAPIEmulator(function_name="ccaf-deploy").start()
    function = RunningFunction(binary, runtime_api, {
        **peer.environment(), "CCAF_FLINK_ENDPOINT": confluent.base_url, "AWS_LAMBDA_FUNCTION_NAME": "ccaf-deploy",
        "AWS_LAMBDA_FUNCTION_TIMEOUT": str(FUNCTION_TIMEOUT), "AWS_LAMBDA_LOG_FORMAT": "JSON"})
    proxy = LambdaInvokeProxy(peer.endpoint, runtime_api, credentials={keys["AccessKeyId"]: keys["SecretAccessKey"]},
                              timeout_ms=FUNCTION_TIMEOUT * 1000,
                              alive=lambda: function.process.poll() is None).start()
    try:
        yield Stack(home, peer, keys, confluent, runtime_api, function, proxy)
    finally:
        proxy.stop()
        function.stop()
        runtime_api.stop()
        confluent.stop()
        peer.stop()


class Stack:
    def __init__(self, home: Path, moto, keys, confluent, runtime_api, function, proxy):
        self.home, self.moto, self.confluent, self.runtime_api = home, moto, confluent, runtime_api
        self.function, self.proxy = function, proxy
        self.key_id = keys["AccessKeyId"]
        self.cli_config = home / "terraform.rc"
        self.cli_config.write_text(
            'provider_installation {\n'
            f'  filesystem_mirror {{\n    path    = "{MIRROR}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }}\n'
            '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n')
        self.environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
            "TF_CLI_CONFIG_FILE": str(self.cli_config), "TF_IN_AUTOMATION": "1", "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
            # Every AWS service through the proxy: Invoke to the executable, the rest to moto.
            "AWS_ENDPOINT_URL": proxy.endpoint, "AWS_REGION": moto.region,
            "AWS_ACCESS_KEY_ID": keys["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": keys["SecretAccessKey"],
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        self.keys = keys
        self.calls: dict[str, list] = {}

    def boto(self, service: str):
        return boto3.client(service, endpoint_url=self.proxy.endpoint, region_name=self.moto.region,
                            aws_access_key_id=self.keys["AccessKeyId"], aws_secret_access_key=self.keys["SecretAccessKey"])

    def workdir(self, name: str, variables: dict) -> Path:
        """A copy of terraform/*.tf with a local backend (state in the temp dir) and the variables."""
        directory = self.home / name
        directory.mkdir()
        for source in (ROOT / "terraform").glob("*.tf"):
            shutil.copy(source, directory)
        (directory / "backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
        (directory / "terraform.tfvars.json").write_text(json.dumps(variables, indent=2))
        return directory

    def terraform(self, directory: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        """Runs terraform; the AWS calls it made are kept in `calls` under its command (plan, apply, ...)."""
        self.proxy.take_calls()
        result = subprocess.run([TERRAFORM, f"-chdir={directory}", *arguments, "-no-color"], env=self.environment,
                                capture_output=True, text=True, timeout=300)
        if check and result.returncode != 0:
            pytest.fail(f"terraform {' '.join(arguments)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
                        f"\n--- function output ---\n{self.function.output[-4000:]}")
        self.calls.setdefault(arguments[0], []).extend(self.proxy.take_calls())
        return result

    def push_image(self, repository: str, tag: str) -> str:
        """What the build job does: push an image manifest, tagged with the commit; its digest."""
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2,
                               "digest": "sha256:" + "1" * 64},
                    "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 3,
                                "digest": "sha256:" + tag.ljust(64, "0")[:64]}]}
        image = self.boto("ecr").put_image(repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag)
        return image["image"]["imageId"]["imageDigest"]

    def invocations(self):
        return self.proxy.take_invocations()


def variables(**more) -> dict:
    return {"region": moto_peer.REGION, "account_id": ACCOUNT_ID, "catalog_name": "flight_env",
            "database_name": "flight_cluster", "ccaf_secrets_path": moto_peer.CCAF_SECRET_NAME, **more}


def running(confluent, pipeline: str) -> list[str]:
    return sorted(name for name, statement in confluent.statements.items()
                  if statement["metadata"].get("labels", {}).get("user.confluent.io/pipeline") == pipeline
                  and statement["status"]["phase"] == "RUNNING")


def body(invocation) -> dict:
    return json.loads(json.loads(invocation.result)["body"])


def actions_of(invocations) -> list[tuple[str, str, str]]:
    """(pipeline key-ish name, tf action or "deploy", function's action) per invocation, sorted."""
    seen = []
    for invocation in invocations:
        payload = invocation.payload
        pipeline = payload.get("pipeline", "flight-consolidator")
        pipeline = pipeline["name"] if isinstance(pipeline, dict) else pipeline
        seen.append((pipeline, payload.get("tf", {}).get("action", "deploy"),
                     "error" if invocation.function_error else body(invocation)["action"]))
    return sorted(seen)


# ---------------------------------------------------------------------------------------------
# The role policies of docs/deploy.md, checked against what Terraform really called
# ---------------------------------------------------------------------------------------------

def documented_policy(role: str) -> list[str]:
    """The Allow actions of the JSON block that follows `<!-- policy: ROLE -->` in docs/deploy.md."""
    match = re.search(rf"<!-- policy: {re.escape(role)} -->\s*```json\n(.*?)```", DOCS.read_text(), re.S)
    assert match, f"docs/deploy.md has no policy block for {role}"
    document = json.loads(match[1])
    actions = []
    for statement in document["Statement"]:
        assert statement["Effect"] == "Allow"
        listed = statement["Action"]
        actions += [listed] if isinstance(listed, str) else listed
    return actions


def not_allowed(calls, policy: list[str]) -> list[str]:
    return sorted({call.action for call in calls
                   if not any(fnmatch.fnmatchcase(call.action.lower(), allowed.lower()) for allowed in policy)})


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------

def test_apply_redeploy_and_destroy_with_the_real_provider(stack):
    definition_file = stack.home / "airport-departures.yaml"
    definition_file.write_text(DEFINITION)
    pipelines = {"flight-consolidator": {"builtin": "flight-consolidator"},
                 "airport-departures": {"definition_file": str(definition_file)}}
    placeholder = "sha256:" + "0" * 64
    directory = stack.workdir("main", variables(pipelines=pipelines))
    stack.terraform(directory, "init", "-input=false")
    stack.terraform(directory, "validate")

    # First deployment, step 1 (docs/deploy.md): the repository alone, with a placeholder digest.
    stack.terraform(directory, "apply", "-auto-approve", "-target=aws_ecr_repository.function",
                    "-target=aws_ecr_lifecycle_policy.function", f"-var=image_digest={placeholder}")
    assert stack.invocations() == []
    # The build job pushes the image of the commit; the deploy job plans and applies its digest.
    digest = stack.push_image("ccaf-deploy", "c0ffee1")
    (directory / "digest.auto.tfvars.json").write_text(json.dumps({"image_digest": digest}))
    stack.terraform(directory, "plan", "-out=tfplan")
    stack.terraform(directory, "apply", "-auto-approve", "tfplan")
    first = stack.invocations()
    assert actions_of(first) == [
        ("airport-departures", "create", "unchanged"), ("airport-departures", "deploy", "created"),
        ("flight-consolidator", "create", "unchanged"), ("flight-consolidator", "deploy", "created")]
    departures, flights = running(stack.confluent, "airport-departures"), running(stack.confluent, "flight-consolidator")
    assert len(departures) == 2 and len(flights) == 1
    outputs = json.loads(stack.terraform(directory, "output", "-json").stdout)
    assert outputs["deploy_action"]["value"] == {"airport-departures": "created", "flight-consolidator": "created"}
    assert outputs["image_uri"]["value"].endswith(f"/ccaf-deploy@{digest}")

    # The function as a new account gets it: no reserved concurrency, Lambda's START/REPORT lines
    # kept, the architecture of the default runner (from the applied plan: moto keeps no
    # LoggingConfig).
    plan = json.loads(stack.terraform(directory, "show", "-json", "tfplan").stdout)
    (function,) = [change["change"]["after"] for change in plan["resource_changes"]
                   if change["address"] == "aws_lambda_function.function"]
    assert function["reserved_concurrent_executions"] == -1
    assert function["logging_config"][0]["system_log_level"] == "INFO"
    assert function["architectures"] == ["x86_64"]
    assert "ReservedConcurrentExecutions" not in stack.boto("lambda").get_function(FunctionName="ccaf-deploy").get("Concurrency", {})

    # No change: nothing to plan, nothing invoked.
    unchanged = stack.terraform(directory, "plan", "-detailed-exitcode", check=False)
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    stack.terraform(directory, "apply", "-auto-approve")
    assert stack.invocations() == []
    assert running(stack.confluent, "airport-departures") == departures

    # A changed definition: its key alone redeploys (carry-over), the other is not invoked.
    definition_file.write_text(DEFINITION.replace("'1 d'", "'2 d'"))
    stack.terraform(directory, "apply", "-auto-approve")
    changed = stack.invocations()
    assert actions_of(changed) == [("airport-departures", "deploy", "replaced"),
                                   ("airport-departures", "update", "unchanged")]
    now_running = running(stack.confluent, "airport-departures")
    assert len(now_running) == 2 and not set(now_running) & set(departures)
    assert all(stack.confluent.statements[name]["status"]["phase"] == "STOPPED" for name in departures)
    assert running(stack.confluent, "flight-consolidator") == flights

    # Destroy: each pipeline's lifecycle invocation stops it; the repository goes with its image.
    stack.terraform(directory, "destroy", "-auto-approve")
    destroyed = stack.invocations()
    assert actions_of(destroyed) == [("airport-departures", "delete", "stopped"),
                                     ("flight-consolidator", "delete", "stopped")]
    assert running(stack.confluent, "airport-departures") == running(stack.confluent, "flight-consolidator") == []
    assert stack.boto("ecr").describe_repositories()["repositories"] == []
    assert stack.boto("lambda").list_functions()["Functions"] == []

    # The documented roles allow what the provider really called: the plan role every call of
    # the plans, the deploy role every call of plan, apply and destroy.
    assert not_allowed(stack.calls["plan"], documented_policy("plan-role")) == []
    everything = stack.calls["plan"] + stack.calls["apply"] + stack.calls["destroy"]
    assert not_allowed(everything, documented_policy("deploy-role")) == []
    assert not any(call.action.startswith(("lambda:?", "iam:?")) for call in everything)
    print(f"\ninvocations per apply: first {len(first)}, unchanged 0, changed {len(changed)}, destroy {len(destroyed)}")


def test_a_failed_deployment_fails_terraform_apply(stack):
    broken = stack.home / "broken.json"
    broken.write_text(json.dumps({"name": "broken", "statements": [{"id": "no-sql"}]}))
    # The longest function name Lambda allows: the role's name must still fit IAM's 64 characters.
    long_name = "ccaf-deploy-failing-".ljust(64, "x")
    stack.invocations()  # what earlier tests left untaken is theirs
    directory = stack.workdir("failing", variables(
        function_name=long_name, ecr_repository_name="ccaf-deploy-failing",
        pipelines={"broken": {"definition_file": str(broken)}}, image_digest="sha256:" + "0" * 64))
    stack.terraform(directory, "init", "-input=false")
    stack.terraform(directory, "apply", "-auto-approve", "-target=aws_ecr_repository.function")
    digest = stack.push_image("ccaf-deploy-failing", "bad0001")
    failed = stack.terraform(directory, "apply", "-auto-approve", f"-var=image_digest={digest}", check=False)
    assert failed.returncode == 1
    assert "Function.InvalidEvent" in failed.stderr, failed.stderr
    # One deploy invocation; on a loaded machine the provider's SDK may resend an Invoke it gave up
    # waiting for, so every one seen must be this function's failed deploy of the same event.
    invocations = stack.invocations()
    assert invocations and {i.function_name for i in invocations} == {long_name}, invocations
    assert all(i.function_error == "Unhandled" and i.payload == invocations[0].payload for i in invocations)
    invocation = invocations[0]
    roles = [role["RoleName"] for role in stack.boto("iam").list_roles()["Roles"] if role["RoleName"].startswith("ccaf-deploy-failing")]
    assert len(roles) == 1 and len(roles[0]) <= 64 and roles[0].endswith("-execution"), roles
    assert json.loads(invocation.result)["errorType"] == "Function.InvalidEvent"
    # Nothing was deployed, so nothing is left to stop: destroy removes the rest.
    stack.terraform(directory, "destroy", "-auto-approve", f"-var=image_digest={digest}")
    assert stack.invocations() == []
