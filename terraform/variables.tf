# ---------------------------------------------------------------------------------------------
# Where
# ---------------------------------------------------------------------------------------------

variable "region" {
  description = "AWS Region of the function, its ECR repository (Lambda pulls images only from its own Region) and the CCAF secret."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$", var.region))
    error_message = "region must be an AWS Region code such as us-east-1 or eu-central-1."
  }
}

variable "account_id" {
  description = "AWS account ID (12 digits) that owns everything here; the provider refuses to run against any other account."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

# ---------------------------------------------------------------------------------------------
# The function's events: which pipelines, deployed where (pipelines.tf builds one event per key)
# ---------------------------------------------------------------------------------------------

variable "pipelines" {
  description = <<-EOT
    The pipelines to deploy with the one image, keyed by a short pipeline key (1-30 characters:
    a-z, 0-9, hyphens, starting with a letter; it names the pipeline's invocations and outputs).
    Each entry has exactly one of
      builtin         = name of a pipeline built into the image, e.g. "flight-consolidator"
      definition_file = path of a pipeline definition, YAML or JSON (relative paths are taken from
                        terraform/, e.g. "../pipelines/airport-departures.yaml")
    and optionally catalog_name, database_name and ccaf_secrets_path for this pipeline alone
    (default: the top-level variables of the same names), and, for a built-in, adopt = the
    comma-separated names of statements another tool deployed that it takes over (carry-over,
    then stopped: see docs/deploy.md, "Migrating from the original Lambda"). Every key gets its own deploy and
    lifecycle invocations: a changed entry or definition file re-runs only that key's, and a
    removed key stops that pipeline's statements. The default deploys the built-in flight
    consolidator under the key "flight-consolidator": keep that key for it, since the state of
    the single-pipeline configuration moves to it.
  EOT
  type        = map(map(string))
  nullable    = false
  default = {
    "flight-consolidator" = { builtin = "flight-consolidator" }
  }

  validation {
    condition = alltrue([
      for key, entry in var.pipelines : lookup(entry, "adopt", null) == null || (
        lookup(entry, "builtin", null) != null
        && alltrue([for name in split(",", lookup(entry, "adopt", "")) : can(regex("^[a-z0-9]([a-z0-9.-]{0,98}[a-z0-9])?$", trimspace(name)))])
      )
    ])
    error_message = "adopt is for builtin entries: comma-separated statement names (lower-case letters, digits, '-' and '.'); a definition names them on the statement that takes over."
  }

  validation {
    condition     = length(var.pipelines) >= 1
    error_message = "pipelines must have at least one entry. To stop every pipeline but keep the function, run terraform destroy -target=aws_lambda_invocation.pipeline_lifecycle (docs/deploy.md)."
  }

  validation {
    condition     = alltrue([for key in keys(var.pipelines) : can(regex("^[a-z][a-z0-9-]{0,29}$", key))])
    error_message = "Every key of pipelines must be 1-30 characters of a-z, 0-9 and hyphens, starting with a letter; not: ${join(", ", [for key in keys(var.pipelines) : jsonencode(key) if !can(regex("^[a-z][a-z0-9-]{0,29}$", key))])}."
  }

  validation {
    condition = alltrue([
      for key, entry in var.pipelines : length(setsubtract(keys(entry), ["builtin", "definition_file", "catalog_name", "database_name", "ccaf_secrets_path", "adopt"])) == 0
    ])
    error_message = "A pipelines entry may have only builtin, definition_file, catalog_name, database_name, ccaf_secrets_path and adopt; unknown: ${join(", ", flatten([for key, entry in var.pipelines : [for field in setsubtract(keys(entry), ["builtin", "definition_file", "catalog_name", "database_name", "ccaf_secrets_path", "adopt"]) : "${key}.${field}"]]))}."
  }

  validation {
    condition = alltrue([
      for key, entry in var.pipelines : length([for field in ["builtin", "definition_file"] : field if lookup(entry, field, null) != null]) == 1
    ])
    error_message = "Every pipelines entry needs exactly one of builtin (a built-in pipeline's name) and definition_file (a YAML or JSON definition); not: ${join(", ", [for key, entry in var.pipelines : key if length([for field in ["builtin", "definition_file"] : field if lookup(entry, field, null) != null]) != 1])}."
  }

  validation {
    condition = alltrue([
      for key, entry in var.pipelines : can(regex("^[a-z][a-z0-9-]{0,29}$", entry.builtin)) if lookup(entry, "builtin", null) != null
    ])
    error_message = "A builtin must be a built-in pipeline's name (1-30 characters of a-z, 0-9 and hyphens, starting with a letter, e.g. flight-consolidator); not in: ${join(", ", [for key, entry in var.pipelines : key if !can(regex("^[a-z][a-z0-9-]{0,29}$", lookup(entry, "builtin", "flight-consolidator")))])}."
  }

  validation {
    condition = alltrue([
      for key, entry in var.pipelines : (
        can(regex("^[^\\x00-\\x1f\\x7f]+\\.(yaml|yml|json)$", entry.definition_file)) && trimspace(entry.definition_file) == entry.definition_file
      ) if lookup(entry, "definition_file", null) != null
    ])
    error_message = "A definition_file must be the path of a .yaml, .yml or .json file, without control characters or surrounding whitespace; not in: ${join(", ", [for key, entry in var.pipelines : key if !(can(regex("^[^\\x00-\\x1f\\x7f]+\\.(yaml|yml|json)$", lookup(entry, "definition_file", "x.yaml"))) && trimspace(lookup(entry, "definition_file", "x.yaml")) == lookup(entry, "definition_file", "x.yaml"))])}."
  }

  validation {
    condition = alltrue(flatten([
      for key, entry in var.pipelines : [
        for field in ["catalog_name", "database_name"] : (
          length(entry[field]) >= 1 && length(entry[field]) <= 256 &&
          trimspace(entry[field]) == entry[field] && !can(regex("[\\x00-\\x1f\\x7f]", entry[field]))
        ) if lookup(entry, field, null) != null
      ]
    ]))
    error_message = "A pipeline's catalog_name and database_name, when given, must be 1-256 characters, without control characters or leading/trailing whitespace (leave them out to use the top-level variables); not: ${join(", ", flatten([for key, entry in var.pipelines : [for field in ["catalog_name", "database_name"] : "${key}.${field}" if !(length(lookup(entry, field, "x")) >= 1 && length(lookup(entry, field, "x")) <= 256 && trimspace(lookup(entry, field, "x")) == lookup(entry, field, "x") && !can(regex("[\\x00-\\x1f\\x7f]", lookup(entry, field, "x"))))]]))}."
  }

  validation {
    condition = alltrue([
      for key, entry in var.pipelines : (
        length(entry.ccaf_secrets_path) >= 1 && length(entry.ccaf_secrets_path) <= 2048 &&
        trimspace(entry.ccaf_secrets_path) == entry.ccaf_secrets_path &&
        !can(regex("[\\x00-\\x1f\\x7f]", entry.ccaf_secrets_path)) &&
        (!startswith(entry.ccaf_secrets_path, "arn:") || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", entry.ccaf_secrets_path)))
      ) if lookup(entry, "ccaf_secrets_path", null) != null
    ])
    error_message = "A pipeline's ccaf_secrets_path, when given, must be a secret name or a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-xxxxxx), 1-2048 characters, without control characters or surrounding whitespace (leave it out to use the top-level ccaf_secrets_path); not in: ${join(", ", [for key, entry in var.pipelines : key if lookup(entry, "ccaf_secrets_path", null) != null && !(length(lookup(entry, "ccaf_secrets_path", "x")) >= 1 && length(lookup(entry, "ccaf_secrets_path", "x")) <= 2048 && trimspace(lookup(entry, "ccaf_secrets_path", "x")) == lookup(entry, "ccaf_secrets_path", "x") && !can(regex("[\\x00-\\x1f\\x7f]", lookup(entry, "ccaf_secrets_path", "x"))) && (!startswith(lookup(entry, "ccaf_secrets_path", "x"), "arn:") || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", lookup(entry, "ccaf_secrets_path", "x")))))])}."
  }
}

variable "catalog_name" {
  description = "Flink catalog of the pipelines that set no catalog_name of their own: the Confluent Cloud environment's display name (sql.current-catalog)."
  type        = string

  validation {
    condition = (
      length(var.catalog_name) >= 1 && length(var.catalog_name) <= 256 &&
      trimspace(var.catalog_name) == var.catalog_name &&
      !can(regex("[\\x00-\\x1f\\x7f]", var.catalog_name))
    )
    error_message = "catalog_name must be 1-256 characters, without control characters or leading/trailing whitespace."
  }
}

variable "database_name" {
  description = "Flink database of the pipelines that set no database_name of their own: the Kafka cluster's display name (sql.current-database)."
  type        = string

  validation {
    condition = (
      length(var.database_name) >= 1 && length(var.database_name) <= 256 &&
      trimspace(var.database_name) == var.database_name &&
      !can(regex("[\\x00-\\x1f\\x7f]", var.database_name))
    )
    error_message = "database_name must be 1-256 characters, without control characters or leading/trailing whitespace."
  }
}

variable "ccaf_secrets_path" {
  description = "Name or full ARN of the Secrets Manager secret that holds the CCAF settings (environment.id, flink.api.key, ...), for the pipelines that set no ccaf_secrets_path of their own. The function reads it; GetSecretValue is granted on exactly the secrets the pipelines name."
  type        = string

  validation {
    condition = (
      length(var.ccaf_secrets_path) >= 1 && length(var.ccaf_secrets_path) <= 2048 &&
      trimspace(var.ccaf_secrets_path) == var.ccaf_secrets_path &&
      !can(regex("[\\x00-\\x1f\\x7f]", var.ccaf_secrets_path)) &&
      (!startswith(var.ccaf_secrets_path, "arn:") || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.ccaf_secrets_path)))
    )
    error_message = "ccaf_secrets_path must be a secret name or a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-xxxxxx), 1-2048 characters, without control characters or surrounding whitespace."
  }
}

variable "ccaf_secret_kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the CCAF secret(s), if any. Only then does the role get kms:Decrypt (on this key, via Secrets Manager, for the pipelines' secrets). Leave null for the default aws/secretsmanager key."
  type        = string
  default     = null

  validation {
    condition     = var.ccaf_secret_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", var.ccaf_secret_kms_key_arn))
    error_message = "ccaf_secret_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID); aliases are not accepted by IAM resource matching."
  }
}

# ---------------------------------------------------------------------------------------------
# The image
# ---------------------------------------------------------------------------------------------

variable "image_digest" {
  description = "Digest of the image to run (sha256:...), as pushed by the deploy workflow. The function is pinned to repository@digest, so every new image is a new deployment."
  type        = string

  validation {
    condition     = can(regex("^sha256:[a-f0-9]{64}$", var.image_digest))
    error_message = "image_digest must look like sha256:<64 lower-case hex digits>."
  }
}

variable "architecture" {
  description = "Instruction set of the image and the function: x86_64 (the default: its native GitHub runner, ubuntu-24.04, is available to every repository) or arm64 (Graviton; native arm64 runners are not available to private repositories on every plan). Must match the platform the image was built for."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "ecr_repository_name" {
  description = "Name of the ECR repository for the function's images."
  type        = string
  default     = "ccaf-deploy"

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.ecr_repository_name)) && length(var.ecr_repository_name) >= 2 && length(var.ecr_repository_name) <= 256
    error_message = "ecr_repository_name must be 2-256 lower-case characters: letters, digits, and . _ - / as separators."
  }
}

variable "ecr_images_to_keep" {
  description = "How many images the ECR lifecycle policy keeps (newest first). Count-based on purpose: an age-based rule can delete the digest the function still runs. Keep it well above the number of deploys you may want to roll back to."
  type        = number
  default     = 30

  validation {
    condition     = var.ecr_images_to_keep >= 10 && var.ecr_images_to_keep <= 1000 && floor(var.ecr_images_to_keep) == var.ecr_images_to_keep
    error_message = "ecr_images_to_keep must be a whole number from 10 to 1000."
  }
}

variable "ecr_deployed_images_to_keep" {
  description = "How many of the deployed images (tagged deployed-<sha> by the deploy workflow) the ECR lifecycle policy keeps, newest first, whatever is pushed in between: the live image and the rollback targets."
  type        = number
  default     = 10

  validation {
    condition     = var.ecr_deployed_images_to_keep >= 1 && var.ecr_deployed_images_to_keep <= 1000 && floor(var.ecr_deployed_images_to_keep) == var.ecr_deployed_images_to_keep
    error_message = "ecr_deployed_images_to_keep must be a whole number from 1 to 1000."
  }
}

variable "ecr_kms_key_arn" {
  description = "Customer-managed KMS key ARN for ECR encryption. Null uses KMS with the AWS-managed aws/ecr key. Fixed at repository creation (a change replaces the repository)."
  type        = string
  default     = null

  validation {
    condition     = var.ecr_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", var.ecr_kms_key_arn))
    error_message = "ecr_kms_key_arn must be null or a KMS key ARN."
  }
}

# ---------------------------------------------------------------------------------------------
# The function
# ---------------------------------------------------------------------------------------------

variable "function_name" {
  description = "Name of the Lambda function (also names its role and its log group /aws/lambda/<name>)."
  type        = string
  default     = "ccaf-deploy"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be 1-64 characters: letters, digits, hyphens and underscores."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB (128-10240); CPU grows with it. 256 MB is plenty for the Swift binary; more only shortens TLS handshakes."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  description = "Function timeout in seconds (1-900). The deployer waits for the INSERT to reach RUNNING until shortly before this deadline. Long synchronous invocations can be cut by client idle timeouts; 300 s is a safe default."
  type        = number
  default     = 300

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds from 1 to 900."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions: -1 (the default) reserves none, which works on every account (a reservation fails on new and low-quota accounts, whose unreserved concurrency must stay at 10 or more); concurrent deploys are safe without one. A number is raised to the number of pipelines if lower (Terraform invokes the pipelines in parallel, and a throttled invocation would fail)."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrency == -1 || (var.reserved_concurrency >= 1 && floor(var.reserved_concurrency) == var.reserved_concurrency)
    error_message = "reserved_concurrency must be -1 (no reservation) or a whole number >= 1."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's CloudWatch log group, in days (one of the values CloudWatch Logs allows)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_level" {
  description = "Application log level Lambda passes to the function (AWS_LAMBDA_LOG_LEVEL) and filters on: TRACE, DEBUG, INFO, WARN, ERROR or FATAL."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }
}

variable "log_kms_key_arn" {
  description = "Customer-managed KMS key ARN to encrypt the log group with (its key policy must allow logs.<region>.amazonaws.com). Null keeps CloudWatch Logs' default encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be null or a KMS key ARN."
  }
}

variable "tags" {
  description = "Extra tags for every resource (merged over Project and ManagedBy)."
  type        = map(string)
  default     = {}
}
