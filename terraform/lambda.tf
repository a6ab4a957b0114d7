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
  description   = "Deploys the flight-consolidator Flink application to Confluent Cloud for Apache Flink"
  role          = aws_iam_role.function.arn

  # The image by digest: a new build is a new digest, so Terraform always sees the change.
  package_type  = "Image"
  image_uri     = local.image_uri
  architectures = [var.architecture]

  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrency

  # JSON logs: Lambda sets AWS_LAMBDA_LOG_FORMAT=JSON and AWS_LAMBDA_LOG_LEVEL for the runtime,
  # which then writes one JSON object per line; Lambda filters on its "level".
  logging_config {
    log_format            = "JSON"
    application_log_level = var.log_level
    system_log_level      = "WARN"
    log_group             = aws_cloudwatch_log_group.function.name
  }

  # The log group and the role's permissions exist before the first invocation.
  depends_on = [
    aws_cloudwatch_log_group.function,
    aws_iam_role_policy.function,
    aws_ecr_repository_policy.function,
  ]
}

# Deploys the pipeline whenever the image or the input changes (and on the first apply).
#
# `triggers` force a replacement of this resource on a new image digest or a new input. It keeps
# the default lifecycle_scope (CREATE_ONLY) on purpose: a replacement then only invokes the
# function again with the plain three-field event -- a deploy: same SQL -> "unchanged", changed
# SQL -> "replaced" with offsets carried over from the running INSERT. (Under CRUD, a replacement
# would first invoke the delete action and stop the running Flink job, then start a new one
# without carry-over.) Its result is the latest deployment: the outputs read it.
# Retry a deployment by hand with: terraform apply -replace=aws_lambda_invocation.deploy
resource "aws_lambda_invocation" "deploy" {
  function_name   = aws_lambda_function.function.function_name
  input           = local.invocation_input
  lifecycle_scope = "CREATE_ONLY"

  triggers = {
    image_digest = var.image_digest
    input        = local.invocation_input
  }
}

# The pipeline's lifecycle: lifecycle_scope = "CRUD" makes Terraform add {"tf": {"action":
# "create"|"update"|"delete", "prev_input": {...}}} to the same input. create/update run right
# after `deploy` and find the pipeline already deployed ("unchanged"); delete -- on
# `terraform destroy` or when this resource is removed -- stops the pipeline's running
# statements (the sink table and its data stay). It depends on `deploy`, so it is destroyed
# first, while the function and its role still exist. No `triggers` here: they would force a
# replacement, and under CRUD every replacement invokes the delete action (stops the job).
# Never `-replace` this resource: that stops the pipeline.
resource "aws_lambda_invocation" "pipeline_lifecycle" {
  function_name   = aws_lambda_function.function.function_name
  input           = local.invocation_input
  lifecycle_scope = "CRUD"

  depends_on = [aws_lambda_invocation.deploy]
}
