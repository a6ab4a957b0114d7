# The function's execution role: it may read one secret and write to its own log group.
data "aws_iam_policy_document" "assume_lambda" {
  statement {
    sid     = "LambdaAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name               = local.role_name
  description        = "Execution role of the ${var.function_name} Lambda function"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

data "aws_iam_policy_document" "function" {
  # The CCAF settings: GetSecretValue on exactly the pipelines' secret ARNs (random suffix included).
  statement {
    sid       = "ReadCCAFSettingsSecret"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [for secret in data.aws_secretsmanager_secret.ccaf : secret.arn]
  }

  # Logs: streams and events in the function's own log group only. No logs:CreateLogGroup:
  # Terraform creates the group before the function, so Lambda never creates a stray one.
  statement {
    sid       = "WriteOwnLogGroup"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function.arn}:*"]
  }

  # Only when the secrets are encrypted with a customer-managed key: decrypt with that key,
  # through Secrets Manager, for these secrets. (The default aws/secretsmanager key needs nothing.)
  dynamic "statement" {
    for_each = var.ccaf_secret_kms_key_arn == null ? [] : [var.ccaf_secret_kms_key_arn]

    content {
      sid       = "DecryptCCAFSettingsSecret"
      effect    = "Allow"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${var.region}.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:EncryptionContext:SecretARN"
        values   = [for secret in data.aws_secretsmanager_secret.ccaf : secret.arn]
      }
    }
  }
}

resource "aws_iam_role_policy" "function" {
  name   = "${var.function_name}-least-privilege"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}
