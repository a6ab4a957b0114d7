# ccaf-deploy: the Swift Lambda (container image) that deploys Flink pipelines to Confluent Cloud
# for Apache Flink -- the built-in flight consolidator and pipeline definitions -- and the
# invocations that run it for every pipeline on `terraform apply` and `terraform destroy`.
#
# Files: provider.tf (AWS provider), variables.tf (inputs), pipelines.tf (one invocation input per
# pipeline), ecr.tf (image repository), iam.tf (execution role), lambda.tf (log group, function,
# invocations), outputs.tf.

terraform {
  # 1.10+: S3 native state locking (use_lockfile). CI pins the same minor as developers (1.11).
  required_version = ">= 1.10, < 2.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.100 (the newest 5.x, which e2e/test_terraform.py applies against moto) up to the current
      # 6.x: the configuration uses nothing that differs between them.
      version = ">= 5.100, < 7.0"
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
  # Terraform invokes the pipelines in parallel: a reservation is raised to at least one execution
  # per pipeline, so that none of them is throttled while another deploys. -1 (the default) keeps
  # the function on the account's unreserved pool: a reservation fails on new and low-quota
  # accounts (unreserved concurrency must stay at 10 or more), and concurrent deploys of one
  # pipeline converge on the same deterministically named statements anyway.
  reserved_concurrency = var.reserved_concurrency == -1 ? -1 : max(var.reserved_concurrency, length(var.pipelines))

  # IAM role names are at most 64 characters: a long function name is shortened, with a hash of
  # the whole name so that two long names sharing a prefix still get distinct roles.
  role_name = (
    length("${var.function_name}-execution") <= 64
    ? "${var.function_name}-execution"
    : "${substr(var.function_name, 0, 45)}-${substr(sha256(var.function_name), 0, 8)}-execution"
  )

  # Built from its parts (not from the function resource) so the repository policy can exist
  # before the function that it lets pull the image.
  function_arn = "arn:${data.aws_partition.current.partition}:lambda:${var.region}:${var.account_id}:function:${var.function_name}"

  image_uri = "${aws_ecr_repository.function.repository_url}@${var.image_digest}"
}

data "aws_partition" "current" {}

# The CCAF settings secrets (created outside Terraform: they hold the Confluent API key), one per
# distinct ccaf_secrets_path of the pipelines (normally just var.ccaf_secrets_path), each given
# as a name or a full ARN. Looking them up yields the full ARNs, random suffix included, which
# scope GetSecretValue exactly.
data "aws_secretsmanager_secret" "ccaf" {
  for_each = local.ccaf_secrets_paths

  arn  = startswith(each.key, "arn:") ? each.key : null
  name = startswith(each.key, "arn:") ? null : each.key
}
