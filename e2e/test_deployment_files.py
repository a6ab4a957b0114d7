"""The deployment files say what the design says: Terraform (parsed with python-hcl2), the
Dockerfile and the GitHub workflows, checked statically (no AWS, no Docker engine, no provider).
terraform/pipelines.tf, which turns var.pipelines into the invocations' inputs from variables and
files alone, is also evaluated by terraform itself (`terraform apply` of a provider-free copy).

Needs python-hcl2 (8.x) and PyYAML: scripts/static-checks installs them when missing. A missing
module is a failure here, never a skip. Without a terraform binary (not on PyPI or Debian), the
evaluation tests are skipped, as scripts/static-checks skips its terraform checks.
"""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import hcl2
import pytest
import yaml
from hcl2 import SerializationOptions

ROOT = Path(__file__).resolve().parent.parent
TERRAFORM = ROOT / "terraform"
WORKFLOWS = ROOT / ".github" / "workflows"
# What every invocation input carries; `pipeline` only for a definition or another built-in.
EVENT_FIELDS = {"catalog_name", "database_name", "ccaf_secrets_path"}
DEFAULT_BUILTIN = "flight-consolidator"
# The key the single-pipeline state moves to (moved blocks), and the default's only key.
DEFAULT_KEY = "flight-consolidator"
EXAMPLE_DEFINITION = "../pipelines/airport-departures.yaml"
# Current majors (shared/reference/build-deploy.md §3.1).
ACTION_MAJORS = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "actions/github-script": "v9",
    "aws-actions/configure-aws-credentials": "v6",
    "aws-actions/amazon-ecr-login": "v2",
    "docker/setup-buildx-action": "v4",
    "docker/build-push-action": "v7",
    "hashicorp/setup-terraform": "v4",
}
LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                      2192, 2557, 2922, 3288, 3653]


# ------------------------------------------------------------------------------------ loading
def _without_comments(node):
    if isinstance(node, dict):
        return {key: _without_comments(value) for key, value in node.items()
                if key not in ("__comments__", "__inline_comments__")}
    if isinstance(node, list):
        return [_without_comments(item) for item in node]
    return node


def load_hcl(path: Path) -> dict:
    with path.open() as handle:
        document = hcl2.load(handle, serialization_options=SerializationOptions(
            strip_string_quotes=True, explicit_blocks=False))
    return _without_comments(document)


def _labelled(blocks: list[dict], depth: int) -> dict:
    """[{label1: {label2: body}}] -> {(label1, label2): body} (depth 2) or {label1: body}."""
    found = {}
    for block in blocks:
        for first, inner in block.items():
            if depth == 1:
                found[first.strip('"')] = inner
            else:
                for second, body in inner.items():
                    found[(first.strip('"'), second.strip('"'))] = body
    return found


class Terraform:
    def __init__(self, directory: Path):
        self.files = {path.name: load_hcl(path) for path in sorted(directory.glob("*.tf"))}
        merged: dict[str, list] = {}
        for document in self.files.values():
            for key, blocks in document.items():
                merged.setdefault(key, []).extend(blocks)
        self.resources = _labelled(merged.get("resource", []), 2)
        self.data = _labelled(merged.get("data", []), 2)
        self.variables = _labelled(merged.get("variable", []), 1)
        self.outputs = _labelled(merged.get("output", []), 1)
        self.locals = {key: value for block in merged.get("locals", []) for key, value in block.items()}
        self.settings = merged.get("terraform", [])
        self.providers = merged.get("provider", [])
        self.moved = merged.get("moved", [])

    def resolve(self, expression: str) -> str:
        """Inline `${local.x}` references (to any depth) so a test sees what an argument means."""
        pattern = re.compile(r"\$\{local\.([A-Za-z0-9_]+)\}")
        for _ in range(10):
            replaced = pattern.sub(lambda m: str(self.locals[m.group(1)]), expression)
            if replaced == expression:
                return replaced
            expression = replaced
        return expression

    def of_type(self, kind: str) -> dict:
        return {name: body for (type_, name), body in self.resources.items() if type_ == kind}


@functools.cache
def terraform() -> Terraform:
    return Terraform(TERRAFORM)


def only(mapping: dict, what: str):
    assert len(mapping) == 1, f"expected exactly one {what}, found {sorted(mapping)}"
    return next(iter(mapping.values()))


def policy_statements(document: dict) -> list[tuple[dict, str | None]]:
    """Every statement of an aws_iam_policy_document: (statement, for_each of its dynamic block)."""
    statements = [(statement, None) for statement in document.get("statement", [])]
    for dynamic in document.get("dynamic", []):
        for content in dynamic["statement"]["content"]:
            statements.append((content, dynamic["statement"]["for_each"]))
    return statements


def function_policy() -> list[tuple[dict, str | None]]:
    tf = terraform()
    role_policy = only(tf.of_type("aws_iam_role_policy"), "aws_iam_role_policy")
    name = re.fullmatch(r"\$\{data\.aws_iam_policy_document\.(\w+)\.json\}", role_policy["policy"]).group(1)
    return policy_statements(tf.data[("aws_iam_policy_document", name)])


# ------------------------------------------------------------------------------------ Terraform
def test_provider_admits_the_tested_5_100_and_the_current_6_with_a_backend_for_s3_or_terraform_cloud():
    tf = terraform()
    settings = only({i: block for i, block in enumerate(tf.settings)}, "terraform block")
    aws = settings["required_providers"][0]["aws"]
    # 5.100.0 is the provider e2e/test_terraform.py applies for real (the local mirror); 6.x is current.
    assert aws == {"source": "hashicorp/aws", "version": ">= 5.100, < 7.0"}
    # S3 (partial configuration, use_lockfile via -backend-config) in main.tf ...
    assert settings["backend"] == [{"s3": {}}]
    assert "use_lockfile = true" in (TERRAFORM / "backend.s3.hcl.example").read_text()
    # ... or Terraform Cloud through an override file that replaces the backend.
    cloud = load_hcl(TERRAFORM / "cloud_override.tf.example")
    assert "cloud" in cloud["terraform"][0]
    provider = only({i: block for i, block in enumerate(tf.providers)}, "provider block")["aws"]
    assert provider["region"] == "${var.region}"
    assert provider["allowed_account_ids"] == ["${var.account_id}"]


def test_variables_have_descriptions_and_validations():
    variables = terraform().variables
    for name, body in variables.items():
        assert body.get("description"), f"variable {name} has no description"
    for name in ["region", "account_id", "catalog_name", "database_name", "ccaf_secrets_path", "memory_size",
                 "timeout", "log_retention_days", "architecture", "image_digest", "pipelines"]:
        assert name in variables, f"variable {name} is missing"
        assert variables[name].get("validation"), f"variable {name} has no validation"
    for name in ["region", "account_id", "catalog_name", "database_name", "ccaf_secrets_path", "image_digest"]:
        assert "default" not in variables[name], f"{name} must be given, not defaulted"

    def condition(name):
        return " ".join(rule["condition"] for rule in variables[name]["validation"])

    assert re.search(r">=\s*128\b", condition("memory_size")) and re.search(r"<=\s*10240\b", condition("memory_size"))
    assert re.search(r">=\s*1\b", condition("timeout")) and re.search(r"<=\s*900\b", condition("timeout"))
    listed = [int(n) for n in re.search(r"contains\(\[([0-9,\s]+)\]", condition("log_retention_days")).group(1).split(",")]
    assert listed == LOG_RETENTION_DAYS
    assert '"arm64"' in condition("architecture") and '"x86_64"' in condition("architecture")
    assert "sha256:[a-f0-9]{64}" in condition("image_digest")


def test_pipelines_variable_defaults_to_the_builtin_flight_consolidator_alone():
    pipelines = terraform().variables["pipelines"]
    assert pipelines["type"] == "${map(map(string))}"
    assert pipelines["default"] == {DEFAULT_KEY: {"builtin": DEFAULT_BUILTIN}}
    assert pipelines.get("nullable") is False
    assert terraform().locals["default_builtin_pipeline"] == DEFAULT_BUILTIN
    rules = " ".join(rule["condition"] for rule in pipelines["validation"])
    # The rules' bad values are exercised by terraform in scripts/static-checks; here: they exist.
    assert "length(var.pipelines) >= 1" in rules
    assert "^[a-z][a-z0-9-]{0,29}$" in rules, "key and builtin name format"
    assert '["builtin", "definition_file"]' in rules and "== 1" in rules, "exactly one of builtin/definition_file"
    assert re.search(r'setsubtract\(keys\(entry\), \["builtin", "definition_file", "catalog_name", "database_name", '
                     r'"ccaf_secrets_path", "adopt"\]\)', rules), "unknown fields (typos) are refused"
    assert "adopt is for builtin entries" in " ".join(rule["error_message"] for rule in pipelines["validation"])
    assert "(yaml|yml|json)" in rules
    for field in ["catalog_name", "database_name", "ccaf_secrets_path"]:
        assert field in rules, f"a per-pipeline {field} is not validated"


def test_tfvars_example_sets_the_event_fields_and_a_team_of_two_pipelines():
    example = load_hcl(TERRAFORM / "terraform.tfvars.example")
    assert EVENT_FIELDS <= set(example)
    assert set(example) <= set(terraform().variables)
    pipelines = example["pipelines"]
    assert pipelines[DEFAULT_KEY] == {"builtin": DEFAULT_BUILTIN}, "the built-in keeps the key the old state moves to"
    definitions = [entry["definition_file"] for entry in pipelines.values() if "definition_file" in entry]
    assert definitions == [EXAMPLE_DEFINITION]
    assert (TERRAFORM / EXAMPLE_DEFINITION).resolve().is_file(), f"{EXAMPLE_DEFINITION} (from terraform/) is missing"


def test_ecr_repository_is_immutable_scanned_encrypted_and_count_pruned():
    tf = terraform()
    repository = only(tf.of_type("aws_ecr_repository"), "ECR repository")
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert repository["image_scanning_configuration"] == [{"scan_on_push": True}]
    assert repository["encryption_configuration"][0]["encryption_type"] in {"KMS", "AES256"}
    lifecycle = only(tf.of_type("aws_ecr_lifecycle_policy"), "ECR lifecycle policy")
    assert "aws_ecr_repository." in lifecycle["repository"]
    assert "imageCountMoreThan" in lifecycle["policy"]
    assert "sinceImagePushed" not in lifecycle["policy"], "age-based expiry can delete the live image"


def test_no_policy_grants_a_wildcard_action():
    tf = terraform()
    for (kind, name), document in tf.data.items():
        if kind != "aws_iam_policy_document":
            continue
        for statement, _ in policy_statements(document):
            for action in statement.get("actions", []):
                assert "*" not in action, f"{name}: wildcard action {action}"
            assert "not_actions" not in statement


def test_role_is_assumed_by_lambda_only():
    tf = terraform()
    role = only(tf.of_type("aws_iam_role"), "IAM role")
    name = re.fullmatch(r"\$\{data\.aws_iam_policy_document\.(\w+)\.json\}", role["assume_role_policy"]).group(1)
    statements = policy_statements(tf.data[("aws_iam_policy_document", name)])
    assert [s["actions"] for s, _ in statements] == [["sts:AssumeRole"]]
    assert statements[0][0]["principals"] == [{"type": "Service", "identifiers": ["lambda.amazonaws.com"]}]


SECRET_ARNS = "${[for secret in data.aws_secretsmanager_secret.ccaf : secret.arn]}"


def test_secret_read_is_scoped_to_the_pipelines_secret_arns():
    grants = [s for s, _ in function_policy() if "secretsmanager:GetSecretValue" in s["actions"]]
    assert len(grants) == 1
    assert grants[0]["actions"] == ["secretsmanager:GetSecretValue"]
    assert grants[0]["resources"] == SECRET_ARNS
    tf = terraform()
    secret = tf.data[("aws_secretsmanager_secret", "ccaf")]
    # One lookup per distinct secret the pipelines' events name (normally var.ccaf_secrets_path).
    assert secret["for_each"] == "${local.ccaf_secrets_paths}"
    assert "each.key" in secret["arn"] and "each.key" in secret["name"]
    assert "local.pipeline_events" in tf.locals["ccaf_secrets_paths"]
    assert "event.ccaf_secrets_path" in tf.locals["ccaf_secrets_paths"]
    every_action = {a for s, _ in function_policy() for a in s["actions"]}
    assert every_action <= {"secretsmanager:GetSecretValue", "logs:CreateLogStream", "logs:PutLogEvents", "kms:Decrypt"}


def test_logs_are_scoped_to_the_function_log_group():
    grants = [s for s, _ in function_policy() if any(a.startswith("logs:") for a in s["actions"])]
    assert grants, "the role cannot write logs"
    for statement in grants:
        assert set(statement["actions"]) <= {"logs:CreateLogStream", "logs:PutLogEvents"}
        assert statement["resources"] == ["${aws_cloudwatch_log_group.function.arn}:*"]


def test_kms_decrypt_only_when_a_customer_key_is_given():
    grants = [(s, for_each) for s, for_each in function_policy() if "kms:Decrypt" in s["actions"]]
    assert len(grants) == 1
    statement, for_each = grants[0]
    assert for_each is not None, "kms:Decrypt must be in a dynamic block"
    assert re.fullmatch(r"\$\{var\.ccaf_secret_kms_key_arn == null \? \[\] : \[var\.ccaf_secret_kms_key_arn\]\}", for_each)
    assert terraform().variables["ccaf_secret_kms_key_arn"]["default"] is None
    conditions = {c["variable"]: c["values"] for c in statement["condition"]}
    assert conditions["kms:ViaService"] == ["secretsmanager.${var.region}.amazonaws.com"]
    assert conditions["kms:EncryptionContext:SecretARN"] == SECRET_ARNS


def test_log_group_exists_before_the_function():
    tf = terraform()
    group = tf.resources[("aws_cloudwatch_log_group", "function")]
    assert group["name"] == "/aws/lambda/${var.function_name}"
    assert group["retention_in_days"] == "${var.log_retention_days}"
    function = only(tf.of_type("aws_lambda_function"), "Lambda function")
    assert "${aws_cloudwatch_log_group.function}" in function["depends_on"]
    assert "${aws_iam_role_policy.function}" in function["depends_on"]
    assert function["logging_config"][0]["log_group"] == "${aws_cloudwatch_log_group.function.name}"


def test_function_runs_the_image_by_digest_with_json_logs():
    tf = terraform()
    function = only(tf.of_type("aws_lambda_function"), "Lambda function")
    assert function["package_type"] == "Image"
    assert tf.resolve(function["image_uri"]) == "${aws_ecr_repository.function.repository_url}@${var.image_digest}"
    assert function["architectures"] == ["${var.architecture}"]
    assert function["memory_size"] == "${var.memory_size}" and function["timeout"] == "${var.timeout}"
    assert function["role"] == "${aws_iam_role.function.arn}"
    logging = function["logging_config"][0]
    assert logging["log_format"] == "JSON"
    assert "environment" not in function


def test_reserved_concurrency_covers_the_pipelines_deployed_in_parallel():
    tf = terraform()
    function = only(tf.of_type("aws_lambda_function"), "Lambda function")
    assert function["reserved_concurrent_executions"] == "${local.reserved_concurrency}"
    assert tf.locals["reserved_concurrency"] == \
        "${var.reserved_concurrency == -1 ? -1 : max(var.reserved_concurrency, length(var.pipelines))}"


def invocations() -> dict:
    found = terraform().of_type("aws_lambda_invocation")
    assert set(found) == {"deploy", "pipeline_lifecycle"}, sorted(found)
    return found


def test_both_invocations_run_once_per_pipeline_with_its_own_input():
    tf = terraform()
    for name, invocation in invocations().items():
        assert invocation["for_each"] == "${local.invocation_inputs}", name
        assert invocation["input"] == "${each.value}", name
        assert invocation["function_name"] == "${aws_lambda_function.function.function_name}", name
        assert invocation.get("terraform_key", "tf") == "tf", name
    assert tf.locals["invocation_inputs"] == "${{for key, event in local.pipeline_events : key => jsonencode(event)}}"


def test_each_event_has_exactly_the_event_fields_and_a_pipeline_only_when_not_the_default():
    tf = terraform()
    events = tf.locals["pipeline_events"]
    assert events.startswith("${{for key, entry in var.pipelines : key => merge(")
    # The base object: exactly the three fields, each the entry's own value or the top-level one.
    base = re.search(r"merge\(\{(.*?)\}, \{for", events).group(1)
    fields = dict(re.findall(r"(\w+) = (coalesce\([^()]*\([^()]*\), [\w.]+\)|[^,]+)", base))
    assert ", ".join(f"{name} = {value}" for name, value in fields.items()) == base, base
    assert set(fields) == EVENT_FIELDS
    for field in EVENT_FIELDS:
        assert fields[field] == f'coalesce(lookup(entry, "{field}", null), var.{field})', field
    # Then `pipeline`, only from a definition (the decoded file) or a built-in that is not the
    # default: the default's input stays the three-field event of before.
    added = re.findall(r'\{for k, (\w+) in local\.(\w+) : "pipeline" => \1 if ([^}]*)\}', events)
    assert [(source, condition) for _, source, condition in added] == [
        ("pipeline_definitions", "k == key"),
        ("pipeline_builtins", "k == key && name != local.default_builtin_pipeline"),
    ]
    assert tf.locals["pipeline_definitions"] == \
        "${{for key, path in local.pipeline_definition_paths : key => yamldecode(file(path))}}"
    assert '"${path.root}/${entry.definition_file}"' in tf.locals["pipeline_definition_paths"]
    assert "entry.builtin" in tf.locals["pipeline_builtins"]
    # Nothing else is ever merged in: no `tf` (aws_lambda_invocation adds it), no dry_run.
    assert events.count('"pipeline" =>') == 2 and '"tf"' not in events and "dry_run" not in events


def test_crud_invocation_stops_the_pipeline_on_destroy():
    crud = [i for i in invocations().values() if i.get("lifecycle_scope") == "CRUD"]
    assert len(crud) == 1, "one invocation with lifecycle_scope CRUD (create/update/delete)"
    assert crud[0] is invocations()["pipeline_lifecycle"]
    # Triggers force a replacement, and under CRUD a replacement invokes the delete action:
    # a new image would stop the running Flink job.
    assert "triggers" not in crud[0]


def test_new_image_or_input_redeploys_without_the_delete_action():
    found = invocations()
    triggered = [i for i in found.values() if "triggers" in i]
    assert len(triggered) == 1
    invocation = triggered[0]
    assert invocation is found["deploy"]
    assert invocation.get("lifecycle_scope", "CREATE_ONLY") == "CREATE_ONLY"
    assert invocation["triggers"] == {"image_digest": "${var.image_digest}", "input": "${each.value}"}
    # Destroyed in reverse: the CRUD invocation (stop) runs while everything else still exists.
    assert found["pipeline_lifecycle"]["depends_on"] == ["${aws_lambda_invocation.deploy}"]


def test_moved_blocks_carry_the_single_pipeline_state_to_the_default_key():
    moved = {(block["from"], block["to"]) for block in terraform().moved}
    assert moved == {
        (f"${{aws_lambda_invocation.{name}}}", f'${{aws_lambda_invocation.{name}["{DEFAULT_KEY}"]}}')
        for name in ["deploy", "pipeline_lifecycle"]
    }
    # The moved-to key is the one the default deploys, with the default built-in.
    assert terraform().variables["pipelines"]["default"] == {DEFAULT_KEY: {"builtin": DEFAULT_BUILTIN}}


def test_deploy_refuses_colliding_pipelines_and_files_without_a_definition():
    tf = terraform()
    conditions = [rule["condition"] for rule in tf.resources[("aws_lambda_invocation", "deploy")]["lifecycle"][0]["precondition"]]
    assert "${!contains(local.pipeline_malformed_definitions, each.key)}" in conditions
    assert "${length(local.pipeline_conflicts[each.key]) == 0}" in conditions
    identity = tf.locals["pipeline_identities"]
    for part in ["local.pipeline_names[key]", "event.catalog_name", "event.database_name", "event.ccaf_secrets_path"]:
        assert part in identity, f"the identity of a deployment lacks {part}"


def test_outputs_name_the_function_and_each_pipelines_deployment():
    tf = terraform()
    outputs = tf.outputs
    assert outputs["function_arn"]["value"] == "${aws_lambda_function.function.arn}"
    for name in ["statement_names", "statements", "deploy_action", "pipeline", "deploy_message"]:
        assert name in outputs, f"output {name} is missing"
        assert outputs[name].get("description", "").startswith("Per pipeline key"), name
    bodies = tf.locals["deploy_bodies"]
    assert bodies.startswith("${{for key, invocation in aws_lambda_invocation.deploy : key => ")
    assert "jsondecode(jsondecode(invocation.result).body)" in bodies
    assert "body.statements" in str(tf.locals["deploy_statements"])
    for field in ["id", "name", "kind", "phase", "action", "sql_sha256"]:
        assert f"statement.{field}" in str(tf.locals["deploy_statements"]), field
    assert outputs["statements"]["value"] == "${local.deploy_statements}"
    assert "statement.name" in outputs["statement_names"]["value"]
    for output, field in [("deploy_action", "action"), ("pipeline", "pipeline"), ("deploy_message", "message")]:
        assert outputs[output]["value"] == \
            f"${{{{for key, body in local.deploy_bodies : key => try(body.{field}, null)}}}}", output


# ------------------------------------------------------------------------------------ pipelines.tf, evaluated
# The old single-pipeline input, verbatim: the default's input must stay byte-identical to it.
LEGACY_INPUT = """
output "legacy_input" {
  value = jsonencode({
    catalog_name      = var.catalog_name
    database_name     = var.database_name
    ccaf_secrets_path = var.ccaf_secrets_path
  })
}
"""
EVALUATED = ["invocation_inputs", "pipeline_conflicts", "pipeline_malformed_definitions", "ccaf_secrets_paths"]
TOP_LEVEL = {
    "region": "eu-central-1", "account_id": "123456789012", "catalog_name": "flight <env> & \"co\"",
    "database_name": "flight_cluster", "ccaf_secrets_path": "/confluent_cloud_resource/demo",
    "image_digest": "sha256:" + "a" * 64,
}


class PipelinesConfiguration:
    """variables.tf and pipelines.tf in terraform/ of a scratch copy of the repository's layout
    (definition files go to ../pipelines/), applied by terraform: no provider, no backend."""

    def __init__(self, directory: Path):
        self.root = directory / "terraform"
        self.root.mkdir()
        for name in ["variables.tf", "pipelines.tf"]:
            shutil.copy(TERRAFORM / name, self.root / name)
        shutil.copytree(ROOT / "pipelines", directory / "pipelines")
        outputs = "".join(f'output "{name}" {{\n  value = local.{name}\n}}\n' for name in EVALUATED)
        (self.root / "zz_test_outputs.tf").write_text(outputs + LEGACY_INPUT)
        self.environment = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1",
                            "TF_CLI_CONFIG_FILE": os.environ.get("TF_CLI_CONFIG_FILE", "/dev/null")}
        self.run("init", "-input=false", "-backend=false")

    def run(self, *arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(["terraform", f"-chdir={self.root}", *arguments], env=self.environment,
                              capture_output=True, text=True, timeout=120)

    def write(self, relative: str, text: str) -> None:
        path = (self.root / relative).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def evaluate(self, pipelines: str | None = None, var_file: Path | None = None) -> dict:
        arguments = [f"-var={name}={value}" for name, value in TOP_LEVEL.items()]
        if var_file:
            arguments = [f"-var-file={var_file}", f"-var=image_digest={TOP_LEVEL['image_digest']}"]
        if pipelines is not None:
            arguments.append(f"-var=pipelines={pipelines}")
        applied = self.run("apply", "-auto-approve", "-input=false", "-lock=false", "-no-color", *arguments)
        assert applied.returncode == 0, applied.stdout + applied.stderr
        shown = self.run("output", "-json")
        assert shown.returncode == 0, shown.stderr
        return {name: value["value"] for name, value in json.loads(shown.stdout).items()}


@pytest.fixture(scope="module")
def configuration():
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not installed (not on PyPI or Debian: install Terraform 1.11 to run it)")
    with tempfile.TemporaryDirectory() as directory:
        yield PipelinesConfiguration(Path(directory))


def test_default_input_is_the_old_three_field_event_byte_for_byte(configuration):
    evaluated = configuration.evaluate()
    assert list(evaluated["invocation_inputs"]) == [DEFAULT_KEY]
    assert evaluated["invocation_inputs"][DEFAULT_KEY] == evaluated["legacy_input"]
    event = json.loads(evaluated["invocation_inputs"][DEFAULT_KEY])
    assert set(event) == EVENT_FIELDS, "no `pipeline` key for the default built-in"
    assert event == {field: TOP_LEVEL[field] for field in EVENT_FIELDS}
    assert evaluated["ccaf_secrets_paths"] == [TOP_LEVEL["ccaf_secrets_path"]]
    assert evaluated["pipeline_conflicts"] == {DEFAULT_KEY: []}
    assert evaluated["pipeline_malformed_definitions"] == []


def test_example_team_deploys_the_builtin_and_the_definition_file_whole(configuration):
    shutil.copy(TERRAFORM / "terraform.tfvars.example", configuration.root / "example.tfvars")
    evaluated = configuration.evaluate(var_file=configuration.root / "example.tfvars")
    example = load_hcl(TERRAFORM / "terraform.tfvars.example")
    inputs = {key: json.loads(text) for key, text in evaluated["invocation_inputs"].items()}
    assert set(inputs) == set(example["pipelines"])
    target = {field: example[field] for field in EVENT_FIELDS}
    assert inputs[DEFAULT_KEY] == target, "the built-in flight consolidator: no `pipeline`"
    definition = yaml.safe_load((TERRAFORM / EXAMPLE_DEFINITION).read_text())
    [key] = [key for key, entry in example["pipelines"].items() if entry.get("definition_file") == EXAMPLE_DEFINITION]
    assert inputs[key] == {**target, "pipeline": definition}, "the definition goes into the event whole"
    assert inputs[key]["pipeline"]["name"] == "airport-departures"
    assert all(not conflicts for conflicts in evaluated["pipeline_conflicts"].values())


def test_entries_override_the_target_and_a_changed_file_changes_only_its_own_input(configuration):
    definition = {"name": "orders", "statements": [{"id": "enrich", "sql": "INSERT INTO b SELECT * FROM a WHERE x > 0\n",
                                                    "properties": {"sql.tables.scan.idle-timeout": "1 s"}}]}
    configuration.write("../pipelines/orders.yaml", yaml.safe_dump(definition))
    configuration.write("../pipelines/returns.json", json.dumps({**definition, "name": "returns"}))
    pipelines = """{
      "flight-consolidator" = {builtin = "flight-consolidator"}
      orders  = {definition_file = "../pipelines/orders.yaml", catalog_name = "orders_env", ccaf_secrets_path = "orders/settings"}
      returns = {definition_file = "../pipelines/returns.json", database_name = "returns_cluster"}
      other   = {builtin = "another-builtin"}
    }"""
    before = configuration.evaluate(pipelines)
    inputs = {key: json.loads(text) for key, text in before["invocation_inputs"].items()}
    top = {field: TOP_LEVEL[field] for field in EVENT_FIELDS}
    assert inputs["flight-consolidator"] == top
    assert inputs["orders"] == {**top, "catalog_name": "orders_env", "ccaf_secrets_path": "orders/settings",
                                "pipeline": definition}
    assert inputs["returns"] == {**top, "database_name": "returns_cluster", "pipeline": {**definition, "name": "returns"}}
    assert inputs["other"] == {**top, "pipeline": "another-builtin"}, "a built-in other than the default goes by name"
    assert sorted(before["ccaf_secrets_paths"]) == sorted({TOP_LEVEL["ccaf_secrets_path"], "orders/settings"})

    changed = {**definition, "statements": [{**definition["statements"][0], "sql": "INSERT INTO b SELECT * FROM a\n"}]}
    configuration.write("../pipelines/orders.yaml", yaml.safe_dump(changed))
    after = configuration.evaluate(pipelines)["invocation_inputs"]
    assert json.loads(after["orders"])["pipeline"] == changed
    assert {key for key in after if after[key] != before["invocation_inputs"][key]} == {"orders"}


def test_colliding_pipelines_and_files_without_a_definition_are_found(configuration):
    configuration.write("../pipelines/copy.yaml", (TERRAFORM / EXAMPLE_DEFINITION).read_text())
    configuration.write("../pipelines/list.yaml", "- not\n- a pipeline\n")
    evaluated = configuration.evaluate(f"""{{
      "flight-consolidator" = {{builtin = "flight-consolidator"}}
      flights-again         = {{builtin = "flight-consolidator", catalog_name = {json.dumps(TOP_LEVEL["catalog_name"])}}}
      departures            = {{definition_file = "{EXAMPLE_DEFINITION}"}}
      departures-copy       = {{definition_file = "../pipelines/copy.yaml"}}
      departures-elsewhere  = {{definition_file = "../pipelines/copy.yaml", database_name = "other_cluster"}}
      broken                = {{definition_file = "../pipelines/list.yaml"}}
    }}""")
    assert evaluated["pipeline_conflicts"] == {
        "flight-consolidator": ["flights-again"], "flights-again": ["flight-consolidator"],
        "departures": ["departures-copy"], "departures-copy": ["departures"],
        "departures-elsewhere": [], "broken": [],
    }
    assert evaluated["pipeline_malformed_definitions"] == ["broken"]


def test_every_checkov_skip_gives_a_reason():
    files = [*TERRAFORM.glob("*.tf"), ROOT / "Dockerfile", *WORKFLOWS.glob("*.yml")]
    for path in files:
        for line in path.read_text().splitlines():
            if "checkov:skip" in line:
                assert re.search(r"checkov:skip=CKV2?_[A-Z0-9_]+:\s*\S.{10,}", line), f"{path.name}: {line.strip()}"


# ------------------------------------------------------------------------------------ Dockerfile
def dockerfile_stages() -> list[dict]:
    text = (ROOT / "Dockerfile").read_text()
    logical, current = [], ""
    for line in text.splitlines():
        if not current and line.lstrip().startswith("#"):
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.rstrip().endswith("\\"):
            if current.strip():
                logical.append(current.strip())
            current = ""
    stages = []
    for instruction in logical:
        keyword, _, rest = instruction.partition(" ")
        if keyword.upper() == "FROM":
            image, _, alias = re.sub(r"--platform=\S+\s+", "", rest).partition(" AS ")
            stages.append({"image": image.strip(), "name": alias.strip(), "instructions": []})
        elif stages:
            stages[-1]["instructions"].append((keyword.upper(), rest))
    return stages


def test_dockerfile_builds_on_amazon_linux_2023_and_runs_on_provided_al2023():
    stages = dockerfile_stages()
    assert len(stages) >= 2
    build, runtime = stages[0], stages[-1]
    assert re.fullmatch(r"swift:6\.3\.\d+-amazonlinux2023(@sha256:[a-f0-9]{64})?", build["image"]), build["image"]
    assert re.fullmatch(r"public\.ecr\.aws/lambda/provided:al2023\.\d{4}\.\d{2}\.\d{2}\.\d{2}(@sha256:[a-f0-9]{64})?",
                        runtime["image"]), runtime["image"]
    for stage in stages:
        assert not re.search(r"debian|ubuntu|bookworm|noble|jammy|:latest$", stage["image"]), stage["image"]


def test_dockerfile_build_stage_compiles_a_static_stdlib_stripped_binary():
    build = dockerfile_stages()[0]
    runs = " ".join(rest for keyword, rest in build["instructions"] if keyword == "RUN")
    for package in ["libcurl-devel", "openssl-devel", "zlib-devel"]:
        assert package in runs
    command = re.search(r"scripts/build-bootstrap [^&;]*", runs).group(0)
    assert "-Xlinker -s" in command, command
    script = (ROOT / "scripts/build-bootstrap").read_text()
    for flag in ["-c release", "--static-swift-stdlib", "--product bootstrap", "-use-ld=lld", "--symbol-ordering-file="]:
        assert flag in script, f"{flag} missing from scripts/build-bootstrap"
    assert "amzn" in runs and "2023" in runs, "the build stage must refuse other distributions"


def test_dockerfile_final_stage_installs_bootstrap_and_checks_runtime_libraries():
    stages = dockerfile_stages()
    runtime = stages[-1]
    copies = [rest for keyword, rest in runtime["instructions"] if keyword == "COPY"]
    assert any(f"--from={stages[0]['name']}" in c and c.endswith("${LAMBDA_RUNTIME_DIR}/bootstrap") for c in copies), copies
    runs = " ".join(rest for keyword, rest in runtime["instructions"] if keyword == "RUN")
    assert "rpm -q" in runs
    for library in ["libcurl", "libcrypto", "libz", "libstdc++", "ca-certificates"]:
        assert library in runs, f"the final stage does not check {library}"
    keywords = [keyword for keyword, _ in runtime["instructions"]]
    assert "ENTRYPOINT" not in keywords, "keep the base image's entry point (the emulator outside Lambda)"
    assert "CMD" in keywords


def dockerignore_includes(path: str) -> bool:
    """Docker's rule: the last pattern that matches the path or one of its parent folders decides."""
    rules = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip() and not line.startswith("#")]
    parts = path.split("/")
    prefixes = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
    included = True
    for rule in rules:
        exception, pattern = rule.startswith("!"), rule.lstrip("!").rstrip("/")
        regex = re.escape(pattern).replace(r"\*\*/", "(.*/)?").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        if any(re.fullmatch(regex, prefix) for prefix in prefixes):
            included = exception
    return included


def test_dockerignore_keeps_the_context_to_what_the_build_needs():
    # Every target's folder, or SwiftPM refuses to load the package in the build stage.
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True, capture_output=True,
                                        text=True).stdout)
    for target in package["targets"]:
        folder = target.get("path") or f"{'Tests' if target['type'] == 'test' else 'Sources'}/{target['name']}"
        assert dockerignore_includes(f"{folder}/x.swift"), f"the build context lacks {folder} (target {target['name']})"
    for needed in ["Package.swift", "scripts/build-bootstrap", "link/bootstrap.order"]:
        assert dockerignore_includes(needed), needed
    for left_out in [".build/debug/x.o", ".git/HEAD", "terraform/main.tf", ".github/workflows/ci.yml", "e2e/conftest.py",
                     "scripts/test", "fuzz/run", "fuzz/corpus/json-parsing/statement.json", "bench/runtime.py", "docs/deploy.md",
                     "Sources/.build/x"]:
        assert not dockerignore_includes(left_out), left_out


# ------------------------------------------------------------------------------------ workflows
def workflow(name: str) -> dict:
    document = yaml.safe_load((WORKFLOWS / name).read_text())
    if True in document:  # YAML 1.1 reads the key `on` as a boolean
        document["on"] = document.pop(True)
    return document


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(job: dict, action: str) -> list[dict]:
    return [step for step in steps(job) if step.get("uses", "").split("@")[0] == action]


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def test_actions_are_on_their_current_major():
    for path in WORKFLOWS.glob("*.yml"):
        for job in workflow(path.name)["jobs"].values():
            for step in steps(job):
                if "uses" in step:
                    action, _, version = step["uses"].partition("@")
                    assert action in ACTION_MAJORS, f"{path.name}: unexpected action {action}"
                    assert version == ACTION_MAJORS[action], f"{path.name}: {action}@{version}"


def test_ci_tests_on_linux_and_runs_the_static_checks_on_every_push_and_pull_request():
    ci = workflow("ci.yml")
    assert {"push", "pull_request"} <= set(ci["on"])
    assert ci["permissions"] == {"contents": "read"}
    jobs = ci["jobs"].values()
    assert any("scripts/test" in runs(job) and "ubuntu" in job["runs-on"] for job in jobs)
    assert any("scripts/static-checks" in runs(job) for job in jobs)


def test_deploy_uses_oidc_and_a_protected_environment_one_at_a_time():
    deploy = workflow("deploy.yml")
    assert set(deploy["on"]["push"]["branches"]) == {"main"}
    assert "workflow_dispatch" in deploy["on"] and "pull_request" in deploy["on"]
    assert deploy["permissions"] == {"contents": "read"}, "id-token only where a job assumes a role"
    concurrency = deploy["concurrency"]
    assert concurrency["group"]
    assert "github.event_name == 'pull_request'" in str(concurrency["cancel-in-progress"]), \
        "never cancel a running apply"
    text = (WORKFLOWS / "deploy.yml").read_text()
    assert "aws-access-key-id" not in text and "aws-secret-access-key" not in text
    for name, job in deploy["jobs"].items():
        for step in uses(job, "aws-actions/configure-aws-credentials"):
            assert step["with"]["role-to-assume"], name
            assert job["permissions"]["id-token"] == "write", name


def test_deploy_pushes_a_single_platform_image_and_applies_its_digest():
    jobs = workflow("deploy.yml")["jobs"]
    build = next(job for job in jobs.values() if uses(job, "docker/build-push-action"))
    assert uses(build, "aws-actions/amazon-ecr-login")
    assert uses(build, "docker/setup-buildx-action")
    pushes = [step["with"] for step in uses(build, "docker/build-push-action") if step["with"].get("push") is True]
    assert len(pushes) == 1
    push = pushes[0]
    assert push["provenance"] is False and push["sbom"] is False
    assert "github.sha" in str(build.get("env", {}).get("IMAGE_TAG", "")) + push["tags"]
    assert build["outputs"]["digest"]
    apply = next(job for job in jobs.values() if "terraform apply" in runs(job))
    assert apply["environment"] == "production"
    assert "needs.build.outputs.digest" in str(apply["env"]["TF_VAR_image_digest"])
    for command in ["terraform init", "terraform plan", "terraform apply"]:
        assert command in runs(apply)
    # The per-deployment outputs are maps keyed by pipeline key: -raw cannot print them.
    for output in ["deploy_action", "pipeline", "deploy_message", "statement_names", "statements"]:
        assert f"output -raw {output}" not in runs(apply), output
    plan = next(job for job in jobs.values() if "pull_request" in str(job.get("if", "")) and "terraform plan" in runs(job)
                and "terraform apply" not in runs(job))
    assert "terraform plan" in runs(plan)
    assert "environment" not in plan


def test_pull_requests_get_the_live_flink_plan_as_a_comment_and_fail_when_a_deploy_would_be_refused():
    jobs = workflow("deploy.yml")["jobs"]
    flink = next(job for job in jobs.values() if "ccaf-deploy" in runs(job) and " plan " in runs(job))
    assert "github.event_name == 'pull_request'" in flink["if"] and "head.repo.full_name == github.repository" in flink["if"]
    assert flink["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}
    assert "environment" not in flink, "a plan changes nothing: no production approval"
    text = runs(flink)
    assert "--ccaf-secrets-path" in text and "--format markdown" in text
    assert "pipelines/*.yaml" in text, "every definition is planned"
    assert uses(flink, "aws-actions/configure-aws-credentials")[0]["with"]["role-to-assume"] == "${{ vars.AWS_PLAN_ROLE_ARN }}"
    comment = uses(flink, "actions/github-script")[0]
    assert "updateComment" in comment["with"]["script"] and "createComment" in comment["with"]["script"]
    failing = [step for step in steps(flink) if "refused" in str(step.get("if", ""))]
    assert failing and "exit 1" in failing[0]["run"]


# ------------------------------------------------------------------ what a real account would hit
# (issue #14: each defect that broke a new user, and the check that keeps it fixed)
def test_no_reserved_concurrency_by_default():
    # A reservation fails on new and low-quota accounts (unreserved concurrency must stay >= 10).
    assert terraform().variables["reserved_concurrency"]["default"] == -1


def test_lambda_platform_log_lines_are_kept():
    function = only(terraform().of_type("aws_lambda_function"), "Lambda function")
    # START, END and REPORT are INFO lines: WARN or above drops them.
    assert function["logging_config"][0]["system_log_level"] in ("INFO", "DEBUG")


def test_kms_key_arns_accept_single_and_multi_region_keys():
    tf = terraform()
    good = ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:eu-central-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab"]
    bad = ["alias/ccaf", "arn:aws:kms:us-east-1:123456789012:alias/ccaf", "arn:aws:kms:us-east-1:123456789012:key/mrk-xyz"]
    for name in ["ccaf_secret_kms_key_arn", "ecr_kms_key_arn", "log_kms_key_arn"]:
        condition = tf.variables[name]["validation"][0]["condition"]
        pattern = re.search(r'regex\("(.+?)", var\.', condition).group(1).replace("\\\\", "\\")
        for arn in good:
            assert re.search(pattern, arn), (name, arn)
        for arn in bad:
            assert not re.search(pattern, arn), (name, arn)


def test_the_role_name_fits_64_characters_for_any_function_name():
    tf = terraform()
    role = only(tf.of_type("aws_iam_role"), "IAM role")
    assert role["name"] == "${local.role_name}"
    expression = tf.locals["role_name"]
    # The long branch: 45 characters of the name, "-", 8 of its hash, "-execution".
    assert "substr(var.function_name, 0, 45)" in expression and "substr(sha256(var.function_name), 0, 8)" in expression
    assert 45 + 1 + 8 + len("-execution") == 64


def test_destroy_deletes_the_repository_with_its_images():
    repository = only(terraform().of_type("aws_ecr_repository"), "ECR repository")
    assert repository["force_delete"] is True


def test_deployed_images_survive_any_number_of_pushes():
    rules = re.split(r"rulePriority\s*=\s*", (TERRAFORM / "ecr.tf").read_text())[1:]
    priority = {("deployed" if '["deployed-"]' in rule else "any" if '"any"' in rule else "other"): int(rule.split()[0])
                for rule in rules}
    assert "deployed" in priority and "any" in priority and priority["deployed"] < priority["any"], \
        "the deployed-* rule must come before the tagStatus=any rule (a lower one cannot expire what it selects)"
    jobs = workflow("deploy.yml")["jobs"]
    apply = jobs["deploy"]
    tagging = [i for i, step in enumerate(steps(apply)) if "deployed-$IMAGE_TAG" in step.get("run", "")]
    applying = [i for i, step in enumerate(steps(apply)) if "terraform apply" in step.get("run", "")]
    assert tagging and applying and tagging[0] < applying[0], "tag the image deployed-<sha> before applying it"


def test_the_default_architecture_has_a_runner_every_repository_gets():
    assert terraform().variables["architecture"]["default"] == "x86_64"
    deploy = workflow("deploy.yml")
    assert deploy["env"]["LAMBDA_ARCHITECTURE"] == "${{ vars.LAMBDA_ARCHITECTURE || 'x86_64' }}"
    assert deploy["env"]["TF_VAR_architecture"] == "${{ vars.LAMBDA_ARCHITECTURE || 'x86_64' }}"
    runs_on = deploy["jobs"]["build"]["runs-on"]
    assert runs_on == "${{ (vars.LAMBDA_ARCHITECTURE || 'x86_64') == 'arm64' && 'ubuntu-24.04-arm' || 'ubuntu-24.04' }}"


def test_deploys_are_gated_on_the_tests_and_on_a_plan_made_before_approval():
    assert "workflow_call" in workflow("ci.yml")["on"]
    jobs = workflow("deploy.yml")["jobs"]
    assert jobs["tests"]["uses"] == "./.github/workflows/ci.yml"
    assert "tests" in jobs["build"]["needs"] if isinstance(jobs["build"]["needs"], list) else jobs["build"]["needs"] == "tests"
    plan = jobs["plan-production"]
    assert "environment" not in plan and "-lock=false" in runs(plan)
    assert uses(plan, "aws-actions/configure-aws-credentials")[0]["with"]["role-to-assume"] == "${{ vars.AWS_PLAN_ROLE_ARN }}"
    assert plan["outputs"]["fingerprint"]
    apply = jobs["deploy"]
    assert set(apply["needs"]) == {"build", "plan-production"}
    assert apply["env"]["APPROVED_PLAN"] == "${{ needs.plan-production.outputs.fingerprint }}"
    assert '"$fingerprint" != "$APPROVED_PLAN"' in runs(apply) and "apply -no-color -auto-approve tfplan" in runs(apply)


def test_pull_request_terraform_gets_no_credential_that_can_write_state():
    jobs = workflow("deploy.yml")["jobs"]
    for name, job in jobs.items():
        text = yaml.safe_dump(job)
        if job.get("environment") != "production":
            assert "secrets.TF_API_TOKEN" not in text, f"{name}: TF_API_TOKEN (writes state) outside production"
            assert "AWS_DEPLOY_ROLE_ARN" not in text, f"{name}: the deploy role outside production"
        if "terraform plan" in runs(job) and job.get("environment") != "production":
            assert "-lock=false" in runs(job), f"{name}: a read-only plan cannot take the state lock"


def test_the_image_is_built_with_the_swift_the_tests_use():
    version = re.fullmatch(r"swift:(\d+\.\d+\.\d+)-amazonlinux2023(@sha256:[a-f0-9]{64})?", dockerfile_stages()[0]["image"]).group(1)
    containers = []
    for path in WORKFLOWS.glob("*.yml"):
        for name, job in workflow(path.name)["jobs"].items():
            image = job.get("container")
            image = image.get("image") if isinstance(image, dict) else image
            if image and image.startswith("swift:"):
                containers.append((f"{path.name}:{name}", image))
    assert containers
    for where, image in containers:
        assert image.startswith(f"swift:{version}-"), f"{where} uses {image}, the image is built with Swift {version}"
    ci = workflow("ci.yml")["jobs"]
    assert any(job.get("container") == f"swift:{version}-amazonlinux2023" and "swift test" in runs(job) for job in ci.values()), \
        "the Swift suites also run on the image's build platform"


def test_the_built_image_is_smoke_tested_through_its_emulator_before_it_is_pushed():
    build = workflow("deploy.yml")["jobs"]["build"]
    order = [(i, step) for i, step in enumerate(steps(build))]
    smoke = [i for i, step in order if "Function.InvalidEvent" in step.get("run", "")]
    push = [i for i, step in order if step.get("uses", "").startswith("docker/build-push-action")
            and step["with"].get("push") is True]
    loaded = [i for i, step in order if step.get("uses", "").startswith("docker/build-push-action")
              and step["with"].get("load") is True]
    assert smoke and push and loaded and loaded[0] < smoke[0] < push[0]
    text = steps(build)[smoke[0]]["run"]
    assert "docker run" in text and "2015-03-31/functions/function/invocations" in text


def docs_policy(role: str) -> dict:
    match = re.search(rf"<!-- policy: {re.escape(role)} -->\s*```json\n(.*?)```", (ROOT / "docs" / "deploy.md").read_text(), re.S)
    assert match, f"docs/deploy.md has no policy JSON for {role}"
    return json.loads(match[1])


def allowed_actions(document: dict) -> set[str]:
    actions = set()
    for statement in document["Statement"]:
        listed = statement["Action"]
        actions |= {listed} if isinstance(listed, str) else set(listed)
    return actions


def test_the_roles_are_policy_json_that_covers_the_secret_data_source():
    for role in ["build-role", "plan-role", "deploy-role"]:
        assert docs_policy(role)["Version"] == "2012-10-17"
    for role in ["plan-role", "deploy-role"]:
        # data.aws_secretsmanager_secret calls both (e2e/test_terraform.py sees every call).
        assert {"secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"} <= allowed_actions(docs_policy(role)), role
    deploy = allowed_actions(docs_policy("deploy-role"))
    assert {"iam:PassRole", "lambda:InvokeFunction", "ecr:PutImage", "ecr:BatchGetImage"} <= deploy
    plan = allowed_actions(docs_policy("plan-role"))
    assert not {action for action in plan if re.search(r":(Create|Delete|Put|Update|Tag|Set|Invoke)", action)}, \
        "the plan role is read-only"


def test_the_documented_immutable_oidc_subject_has_githubs_format():
    text = (ROOT / "docs" / "deploy.md").read_text()
    # repo:OWNER@OWNER_ID/REPO@REPO_ID:... (GitHub's OIDC reference, immutable subject claims)
    examples = re.findall(r"repo:[A-Za-z0-9-]+@\d+/[A-Za-z0-9._-]+@\d+:(?:environment:\w+|ref:refs/heads/\w+|pull_request)", text)
    assert examples, "docs/deploy.md shows no immutable subject example"
    assert "ORG_ID" not in text and "REPO_ID" not in text
