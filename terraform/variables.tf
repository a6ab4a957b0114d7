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
# The function's event (exactly these three fields are sent)
# ---------------------------------------------------------------------------------------------

variable "catalog_name" {
  description = "Flink catalog for the statements: the Confluent Cloud environment's display name (sql.current-catalog)."
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
  description = "Flink database for the statements: the Kafka cluster's display name (sql.current-database)."
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
  description = "Name or full ARN of the Secrets Manager secret that holds the CCAF settings (environment.id, flink.api.key, ...). The function reads it; GetSecretValue is granted on this one secret only."
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
  description = "ARN of the customer-managed KMS key that encrypts the CCAF secret, if any. Only then does the role get kms:Decrypt (on this key, via Secrets Manager, for this secret). Leave null for the default aws/secretsmanager key."
  type        = string
  default     = null

  validation {
    condition     = var.ccaf_secret_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.ccaf_secret_kms_key_arn))
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
  description = "Instruction set of the image and the function: arm64 (Graviton, the default) or x86_64. Must match the platform the image was built for."
  type        = string
  default     = "arm64"

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

variable "ecr_kms_key_arn" {
  description = "Customer-managed KMS key ARN for ECR encryption. Null uses KMS with the AWS-managed aws/ecr key. Fixed at repository creation (a change replaces the repository)."
  type        = string
  default     = null

  validation {
    condition     = var.ecr_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.ecr_kms_key_arn))
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
  description = "Reserved concurrent executions. 1 (default) makes deployments of the pipeline strictly one at a time; -1 removes the reservation (for accounts whose unreserved concurrency cannot spare one)."
  type        = number
  default     = 1

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
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be null or a KMS key ARN."
  }
}

variable "tags" {
  description = "Extra tags for every resource (merged over Project and ManagedBy)."
  type        = map(string)
  default     = {}
}
