locals {
  # Per pipeline key, from its `deploy` invocation. The function answers {"statusCode": 200,
  # "body": "<JSON string>"}; the body has message, action, pipeline and statements [{id, name,
  # kind, phase, action, sql_sha256}]. try() keeps outputs usable if a field is absent.
  deploy_bodies = {
    for key, invocation in aws_lambda_invocation.deploy : key => try(jsondecode(jsondecode(invocation.result).body), {})
  }
  deploy_statements = {
    for key, body in local.deploy_bodies : key => [
      for statement in try(body.statements, []) : {
        id         = try(statement.id, null)
        name       = try(statement.name, null)
        kind       = try(statement.kind, null)
        phase      = try(statement.phase, null)
        action     = try(statement.action, null)
        sql_sha256 = try(statement.sql_sha256, null)
      }
    ]
  }
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

# Everything below is a map keyed by pipeline key (the keys of var.pipelines).

output "statement_names" {
  description = "Per pipeline key: names of the pipeline's Flink statements after its last deployment."
  value       = { for key, statements in local.deploy_statements : key => [for statement in statements : statement.name] }
}

output "statements" {
  description = "Per pipeline key: statements of its last deployment: id, name, kind (ddl|insert), phase, action and sql_sha256."
  value       = local.deploy_statements
}

output "deploy_action" {
  description = "Per pipeline key: what its last deployment did: created, unchanged, replaced, resumed, updated (or stopped/planned)."
  value       = { for key, body in local.deploy_bodies : key => try(body.action, null) }
}

output "pipeline" {
  description = "Per pipeline key: name of the deployed pipeline (its statements' user.confluent.io/pipeline label)."
  value       = { for key, body in local.deploy_bodies : key => try(body.pipeline, null) }
}

output "deploy_message" {
  description = "Per pipeline key: the function's summary of its last deployment."
  value       = { for key, body in local.deploy_bodies : key => try(body.message, null) }
}
