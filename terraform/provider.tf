provider "aws" {
  region = var.region

  # Refuse to touch any other account, whatever credentials are active.
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = merge(
      {
        Project   = "ccaf-deploy"
        ManagedBy = "terraform"
      },
      var.tags,
    )
  }
}
