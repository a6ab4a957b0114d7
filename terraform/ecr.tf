# The function's image repository. Images are tagged with the commit SHA and deployed by digest.
resource "aws_ecr_repository" "function" {
  name = var.ecr_repository_name

  # A tag, once pushed, always names the same image: a re-run of a commit reuses its digest.
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  # KMS with the AWS-managed aws/ecr key unless a customer key is given.
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.ecr_kms_key_arn
  }

  # `terraform destroy` deletes the repository with its images: destroying the function is the
  # end of its images too, and a repository that still holds images would otherwise fail the
  # destroy with RepositoryNotEmptyException. (Day to day, immutable tags and the lifecycle
  # policy below protect the images; nothing but a destroy or a renamed repository deletes it.)
  force_delete = true
}

# Keep the newest N images. Count-based on purpose: an age-based rule ("expire after X days")
# can delete the digest the live function is pinned to, and Lambda then fails every invoke
# with ImageDeleted. Untagged images (failed or superseded pushes) go first.
resource "aws_ecr_lifecycle_policy" "function" {
  repository = aws_ecr_repository.function.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Keep at most 5 untagged images"
        selection = {
          tagStatus   = "untagged"
          countType   = "imageCountMoreThan"
          countNumber = 5
        }
        action = { type = "expire" }
      },
      {
        # The deploy workflow tags every image it deploys deployed-<sha> before applying it: such
        # images only ever expire under this rule (a lower-priority rule cannot expire an image a
        # higher one selects), so pushes of commits that are never deployed cannot push the
        # live image out of the newest-N window below.
        rulePriority = 2
        description  = "Keep the newest ${var.ecr_deployed_images_to_keep} deployed images"
        selection = {
          tagStatus     = "tagged"
          tagPrefixList = ["deployed-"]
          countType     = "imageCountMoreThan"
          countNumber   = var.ecr_deployed_images_to_keep
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 3
        description  = "Keep the newest ${var.ecr_images_to_keep} images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.ecr_images_to_keep
        }
        action = { type = "expire" }
      },
    ]
  })
}

# Lambda pulls the image with these two actions; scoped to this one function by source ARN.
data "aws_iam_policy_document" "ecr_pull" {
  statement {
    sid     = "LambdaImagePull"
    effect  = "Allow"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "aws:sourceArn"
      values   = [local.function_arn]
    }
  }
}

resource "aws_ecr_repository_policy" "function" {
  repository = aws_ecr_repository.function.name
  policy     = data.aws_iam_policy_document.ecr_pull.json
}
