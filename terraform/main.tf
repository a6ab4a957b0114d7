# ccaf-deploy: the Swift Lambda (container image) that deploys the flight-consolidator Flink
# application to Confluent Cloud for Apache Flink, and the invocations that run it on
# `terraform apply` and `terraform destroy`.
#
# Files: provider.tf (AWS provider), variables.tf (inputs), ecr.tf (image repository),
# iam.tf (execution role), lambda.tf (log group, function, invocations), outputs.tf.

terraform {
  # 1.10+: S3 native state locking (use_lockfile). CI pins the same minor as developers (1.11).
  required_version = ">= 1.10, < 2.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # State backend: S3 with S3-native locking, partially configured so that nothing
  # account-specific is committed. Initialise with
  #   terraform init -backend-config=backend.s3.hcl      (see backend.s3.hcl.example)
  # which must set bucket, key, region and use_lockfile = true (encrypt = true recommended).
  #
  # Terraform Cloud / HCP Terraform instead (what the original project used): copy
  # cloud_override.tf.example to cloud_override.tf. Terraform merges *_override.tf files last,
  # and a `cloud` block there replaces this backend; organization and workspace then come from
  # TF_CLOUD_ORGANIZATION and TF_WORKSPACE (or are written into that file). See docs/deploy.md.
  backend "s3" {}
}

locals {
  # The function's event: exactly the three fields the handler reads. The `tf` object is added
  # by aws_lambda_invocation itself (lifecycle_scope = "CRUD"), never written here.
  invocation_event = {
    catalog_name      = var.catalog_name
    database_name     = var.database_name
    ccaf_secrets_path = var.ccaf_secrets_path
  }
  invocation_input = jsonencode(local.invocation_event)

  # Secret name or full ARN, as given in ccaf_secrets_path; resolved to the full ARN below.
  ccaf_secret_is_arn = startswith(var.ccaf_secrets_path, "arn:")

  # Built from its parts (not from the function resource) so the repository policy can exist
  # before the function that it lets pull the image.
  function_arn = "arn:${data.aws_partition.current.partition}:lambda:${var.region}:${var.account_id}:function:${var.function_name}"

  image_uri = "${aws_ecr_repository.function.repository_url}@${var.image_digest}"
}

data "aws_partition" "current" {}

# The CCAF settings secret (created outside Terraform: it holds the Confluent API key). Looking
# it up yields the full ARN, random suffix included, which scopes GetSecretValue exactly.
data "aws_secretsmanager_secret" "ccaf" {
  arn  = local.ccaf_secret_is_arn ? var.ccaf_secrets_path : null
  name = local.ccaf_secret_is_arn ? null : var.ccaf_secrets_path
}
