# The function's log group, created before the function (the function depends on it): otherwise
# Lambda creates /aws/lambda/<name> itself on the first invoke and the next apply fails with
# ResourceAlreadyExistsException. An existing group is adopted with an `import` block.
resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
}

resource "aws_lambda_function" "function" {
  #checkov:skip=CKV_AWS_50: X-Ray tracing adds nothing for a single synchronous deployer call and would need xray:PutTraceSegments on "*"; the runtime propagates _X_AMZN_TRACE_ID anyway.
  #checkov:skip=CKV_AWS_116: no DLQ: the function is only invoked synchronously (aws_lambda_invocation, aws lambda invoke); errors go back to the caller and fail the apply.
  #checkov:skip=CKV_AWS_117: no VPC: it reaches only public AWS and Confluent Cloud endpoints over TLS; a VPC would need a NAT gateway for the same result.
  #checkov:skip=CKV_AWS_272: code signing applies to .zip packages, not to container images; the image is pinned by digest from our own immutable ECR repository.
  function_name = var.function_name
  description   = "Deploys Flink pipelines to Confluent Cloud for Apache Flink"
  role          = aws_iam_role.function.arn

  # The image by digest: a new build is a new digest, so Terraform always sees the change.
  package_type  = "Image"
  image_uri     = local.image_uri
  architectures = [var.architecture]

  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = local.reserved_concurrency

  # JSON logs: Lambda sets AWS_LAMBDA_LOG_FORMAT=JSON and AWS_LAMBDA_LOG_LEVEL for the runtime,
  # which then writes one JSON object per line; Lambda filters on its "level".
  logging_config {
    log_format            = "JSON"
    application_log_level = var.log_level
    # INFO: Lambda's own START, END and REPORT lines (duration, memory, init) are INFO; WARN
    # would drop them.
    system_log_level = "INFO"
    log_group        = aws_cloudwatch_log_group.function.name
  }

  # The log group and the role's permissions exist before the first invocation.
  depends_on = [
    aws_cloudwatch_log_group.function,
    aws_iam_role_policy.function,
    aws_ecr_repository_policy.function,
  ]
}

# One pair of invocations per pipeline key (var.pipelines, built into inputs by pipelines.tf).
# Each key's input is its own: a changed entry or definition file changes that key's input alone,
# so only that key's invocations run again.

# Deploys a pipeline whenever the image or its input changes (and on the first apply).
#
# `triggers` force a replacement of an instance on a new image digest (every key) or a new input
# (that key). It keeps the default lifecycle_scope (CREATE_ONLY) on purpose: a replacement then
# only invokes the function again with the plain event -- a deploy: same SQL -> "unchanged",
# changed SQL -> "replaced" with offsets carried over from the running INSERT. (Under CRUD, a
# replacement would first invoke the delete action and stop the running Flink job, then start a
# new one without carry-over.) Its result is the pipeline's latest deployment: the outputs read it.
# Retry one pipeline's deployment by hand with:
#   terraform apply -replace='aws_lambda_invocation.deploy["KEY"]'
resource "aws_lambda_invocation" "deploy" {
  for_each = local.invocation_inputs

  function_name   = aws_lambda_function.function.function_name
  input           = each.value
  lifecycle_scope = "CREATE_ONLY"

  triggers = {
    image_digest = var.image_digest
    input        = each.value
  }

  lifecycle {
    precondition {
      condition     = !contains(local.pipeline_malformed_definitions, each.key)
      error_message = "pipelines[\"${each.key}\"]: the definition_file does not hold a pipeline definition (a YAML or JSON object with name and statements)."
    }
    precondition {
      condition     = length(local.pipeline_conflicts[each.key]) == 0
      error_message = "pipelines[\"${each.key}\"] deploys the same pipeline (${coalesce(local.pipeline_names[each.key], "?")}) into the same catalog and database with the same secret as ${join(", ", local.pipeline_conflicts[each.key])}: they would replace and stop each other's statements. Keep one of them."
    }
  }
}

# A pipeline's lifecycle: lifecycle_scope = "CRUD" makes Terraform add {"tf": {"action":
# "create"|"update"|"delete", "prev_input": {...}}} to the same input. create/update run right
# after the deploys and find the pipeline already deployed ("unchanged"); delete -- on
# `terraform destroy`, or when the key is removed from var.pipelines -- stops that pipeline's
# running statements (the sink tables and their data stay). It depends on `deploy`, so it is
# destroyed first, while the function and its role still exist. No `triggers` here: they would
# force a replacement, and under CRUD every replacement invokes the delete action (stops the job).
# Never `-replace` an instance of this resource: that stops its pipeline.
resource "aws_lambda_invocation" "pipeline_lifecycle" {
  for_each = local.invocation_inputs

  function_name   = aws_lambda_function.function.function_name
  input           = each.value
  lifecycle_scope = "CRUD"

  depends_on = [aws_lambda_invocation.deploy]
}

# The single-pipeline configuration had one instance of each, without a key. Its state moves to
# the default pipeline's key: same input, same triggers, so nothing is invoked, replaced or
# stopped by the upgrade. (Terraform moves the objects whether or not var.pipelines still has
# this key; without it, the moved instances are planned for destruction like any removed key.)
moved {
  from = aws_lambda_invocation.deploy
  to   = aws_lambda_invocation.deploy["flight-consolidator"]
}

moved {
  from = aws_lambda_invocation.pipeline_lifecycle
  to   = aws_lambda_invocation.pipeline_lifecycle["flight-consolidator"]
}
