# From var.pipelines to one invocation input per pipeline key. Only variables, path.root and the
# definition files feed these locals (no provider), so e2e/test_deployment_files.py evaluates this
# file with variables.tf alone.

locals {
  # What an event without `pipeline` deploys (the function's default). Its entries send no
  # `pipeline` at all, so their input stays exactly the three-field event of before.
  default_builtin_pipeline = "flight-consolidator"

  # Definition files (YAML or JSON: YAML is a superset), relative paths taken from this directory.
  # The decoded object goes into the input: a changed file is a changed input.
  pipeline_definition_paths = {
    for key, entry in var.pipelines : key => (
      startswith(entry.definition_file, "/") ? entry.definition_file : "${path.root}/${entry.definition_file}"
    ) if lookup(entry, "definition_file", null) != null
  }
  pipeline_definitions = {
    for key, path in local.pipeline_definition_paths : key => yamldecode(file(path))
  }
  pipeline_adopt = {
    for key, entry in var.pipelines : key => [for name in split(",", entry.adopt) : trimspace(name)] if lookup(entry, "adopt", null) != null
  }
  pipeline_builtins = {
    for key, entry in var.pipelines : key => entry.builtin if lookup(entry, "builtin", null) != null
  }

  # Each key's event: the entry's own catalog_name, database_name and ccaf_secrets_path, else the
  # top-level variables; plus `pipeline` = the decoded definition or a built-in's name, left out
  # for the default built-in. (The two one-element `for`s add `pipeline` or nothing: a conditional
  # could not choose between an object, a string and nothing.) The `tf` object is added by
  # aws_lambda_invocation itself (lifecycle_scope = "CRUD"), never written here.
  pipeline_events = {
    for key, entry in var.pipelines : key => merge(
      {
        catalog_name      = coalesce(lookup(entry, "catalog_name", null), var.catalog_name)
        database_name     = coalesce(lookup(entry, "database_name", null), var.database_name)
        ccaf_secrets_path = coalesce(lookup(entry, "ccaf_secrets_path", null), var.ccaf_secrets_path)
      },
      { for k, definition in local.pipeline_definitions : "pipeline" => definition if k == key },
      { for k, name in local.pipeline_builtins : "pipeline" => name if k == key && name != local.default_builtin_pipeline },
      # A built-in pipeline taking over statements of another tool (docs/deploy.md, migrating).
      { for k, names in local.pipeline_adopt : "adopt" => names if k == key },
    )
  }
  invocation_inputs = { for key, event in local.pipeline_events : key => jsonencode(event) }

  # The name each key deploys under (its statements' user.confluent.io/pipeline label): the
  # built-in's name or the definition's `name` (null if the file has none).
  pipeline_names = merge(
    local.pipeline_builtins,
    { for key, definition in local.pipeline_definitions : key => try(tostring(definition.name), null) },
  )

  # Keys whose definition file holds no pipeline object (an object with a `name`); the function
  # checks everything else in a definition, and refuses it before touching anything.
  pipeline_malformed_definitions = sort([
    for key, name in local.pipeline_names : key if name == null
  ])

  # Two keys that deploy the same pipeline name into the same catalog and database with the same
  # secret would replace and stop each other's statements (and removing one would stop the
  # other's): every key lists the other keys it collides with, normally none.
  pipeline_identities = {
    for key, event in local.pipeline_events : key => jsonencode([
      local.pipeline_names[key], event.catalog_name, event.database_name, event.ccaf_secrets_path,
    ])
  }
  pipeline_conflicts = {
    for key, identity in local.pipeline_identities : key => sort([
      for other, other_identity in local.pipeline_identities : other if other != key && other_identity == identity
    ])
  }

  # Every secret some pipeline reads: the role may read exactly these.
  ccaf_secrets_paths = toset([for event in values(local.pipeline_events) : event.ccaf_secrets_path])
}
