import ArgumentParser
import BuiltinPipelines
import Deployment
import FoundationEssentials
import JSON
import LambdaRuntime
import Pipelines
import TableAPI

/// What a deployment would do: offline, the statements it would submit; with the settings
/// secret, the live plan (pipelines.md §6), per statement the action and why, validated by Confluent.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a deployment would do, without changing anything.",
        discussion: """
            Without --ccaf-secrets-path: prints each statement of the pipeline in order, with its \
            properties and the phase it must reach, without network or credentials (a built-in pipeline \
            is built from its sources' known columns). With it: reads the settings secret and Confluent's \
            statements, and prints per statement the action a deploy would take and why, each statement \
            it would submit validated with sql.dry-run; nothing is created or stopped. Exit status 2 when \
            a deploy would be refused, 1 when the plan cannot be made.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json }

    @Option(help: "The Flink catalog (Confluent environment).")
    var catalogName: String

    @Option(help: "The Flink database (Kafka cluster).")
    var databaseName: String

    @OptionGroup var pipeline: PipelineOptions

    @Option(help: "Name or ARN of the CCAF settings secret: plan against the live environment.")
    var ccafSecretsPath: String?

    @Option(help: "The live plan's output: text, markdown (for a pull-request comment) or json.")
    var format: Format = .text

    @Option(help: "Seconds the live plan may take.")
    var timeout: Int = 120

    @Option(help: "Log level of the live plan (logs go to standard error).")
    var logLevel: String = "WARN"

    func validate() throws {
        for (flag, value) in [("--catalog-name", catalogName), ("--database-name", databaseName)] {
            if let problem = DeploymentEvent.problem(with: value, field: flag, maximumLength: DeploymentEvent.maximumNameLength) {
                throw ValidationError(problem)
            }
        }
        if let problem = CLIContext.problem(timeoutSeconds: timeout, logLevel: logLevel) { throw ValidationError(problem) }
    }

    func run() throws {
        // Errors are printed as `Error: …` with exit status 1 (not as usage errors).
        if let ccafSecretsPath {
            try livePlan(secret: ccafSecretsPath)
        } else {
            printStatements(try offlinePipeline())
        }
    }

    private func livePlan(secret: String) throws {
        var event: [String: JSONValue] = [
            "catalog_name": .string(catalogName), "database_name": .string(databaseName),
            "ccaf_secrets_path": .string(secret), "dry_run": .bool(true),
        ]
        event["pipeline"] = try pipeline.eventValue()
        let context = CLIContext.make(timeoutSeconds: timeout, logLevel: logLevel, jsonLogs: false)
        let result = try DeployHandler(environment: ProcessInfo.processInfo.environment)
            .deploy(event: Array(JSONValue.object(event).jsonText.utf8), context: context)
        let lines = result.plan ?? []
        switch format {
        case .text: print(PlanRendering.text(result, catalog: catalogName, database: databaseName))
        case .markdown: print(PlanRendering.markdown(result, catalog: catalogName, database: databaseName))
        case .json: print(result.bodyJSON)
        }
        if lines.contains(where: \.isRefused) { throw ExitCode(2) }
    }

    private func offlinePipeline() throws -> Pipeline {
        switch try pipeline.eventValue() {
        case .object(let members)?:
            return try PipelineDefinition.parse(.object(members)).get()
        case .string(let name)?:
            return try builtin(named: name)
        default:
            return try builtin(named: BuiltinPipelines.default.name)
        }
    }

    private func builtin(named name: String) throws -> Pipeline {
        guard let builtin = BuiltinPipelines.named(name) else { throw ValidationError("'\(name)' is not a built-in pipeline") }
        let schemas = try builtin.offlineColumns.mapValues { columns throws(TableAPIError) in try Schema(columns) }
        return Pipeline(name: name, statements: try builtin.statements(catalog: catalogName, database: databaseName, schemas: schemas))
    }

    private func printStatements(_ resolved: Pipeline) {
        let target = ["sql.current-catalog": catalogName, "sql.current-database": databaseName]
        for (index, statement) in resolved.statements.enumerated() {
            let phase = statement.kind == .bounded ? "runs to COMPLETED before the next statement" : "keeps RUNNING"
            print("-- \(resolved.name) / \(statement.id): \(statement.kind) statement, \(phase)")
            let properties = statement.properties.merging(target) { $1 }.sorted { $0.key < $1.key }
            print("-- properties: " + properties.map { "\($0.key) = \(SQL.literal($0.value))" }.joined(separator: ", "))
            if let pool = statement.computePoolId { print("-- compute pool: \(pool)") }
            if let principal = statement.principal { print("-- principal: \(principal)") }
            print(statement.sql + ";" + (index == resolved.statements.count - 1 ? "" : "\n"))
        }
    }
}
