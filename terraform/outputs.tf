locals {
  # The function answers {"statusCode": 200, "body": "<JSON string>"}; the body has message,
  # action, pipeline and statements [{name, kind, phase, sql_sha256}]. try() keeps outputs
  # usable if a field is absent.
  deploy_response = jsondecode(aws_lambda_invocation.deploy.result)
  deploy_body     = try(jsondecode(local.deploy_response.body), {})
  deploy_statements = [
    for statement in try(local.deploy_body.statements, []) : {
      name       = try(statement.name, null)
      kind       = try(statement.kind, null)
      phase      = try(statement.phase, null)
      sql_sha256 = try(statement.sql_sha256, null)
    }
  ]
}

output "function_arn" {
  description = "ARN of the deployer Lambda function."
  value       = aws_lambda_function.function.arn
}

output "function_name" {
  description = "Name of the deployer Lambda function (for aws lambda invoke)."
  value       = aws_lambda_function.function.function_name
}

output "image_uri" {
  description = "Image the function runs (repository@digest)."
  value       = aws_lambda_function.function.image_uri
}

output "image_digest" {
  description = "Digest of the image the function runs (what the next plan compares against)."
  value       = var.image_digest
}

output "ecr_repository_url" {
  description = "URL of the ECR repository the deploy workflow pushes to."
  value       = aws_ecr_repository.function.repository_url
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = aws_cloudwatch_log_group.function.name
}

output "statement_names" {
  description = "Names of the Flink statements of the pipeline after the last deployment."
  value       = [for statement in local.deploy_statements : statement.name]
}

output "statements" {
  description = "Statements of the last deployment: name, kind (ddl|insert), phase and sql_sha256."
  value       = local.deploy_statements
}

output "deploy_action" {
  description = "What the last deployment did: created, unchanged, replaced (or stopped/planned)."
  value       = try(local.deploy_body.action, null)
}

output "pipeline" {
  description = "Name of the deployed pipeline (the statements' user.confluent.io/pipeline label)."
  value       = try(local.deploy_body.pipeline, null)
}

output "deploy_message" {
  description = "The function's summary of the last deployment."
  value       = try(local.deploy_body.message, null)
}
