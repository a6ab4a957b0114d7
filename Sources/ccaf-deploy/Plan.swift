import ArgumentParser
import BuiltinPipelines
import Deployment
import JSON
import Pipelines
import TableAPI

/// Prints the statements a deployment would submit: no network, no credentials.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the Flink SQL the deployment would submit, without network or credentials.",
        discussion: """
            Prints each statement of the pipeline in order, with the properties and the phase it must \
            reach. A built-in pipeline is built from its sources' known columns (the Kickstarter airline \
            schema for the flight consolidator); a deployment discovers the real ones from Confluent first.
            """)

    @Option(help: "The Flink catalog (Confluent environment).")
    var catalogName: String

    @Option(help: "The Flink database (Kafka cluster).")
    var databaseName: String

    @OptionGroup var pipeline: PipelineOptions

    func validate() throws {
        for (flag, value) in [("--catalog-name", catalogName), ("--database-name", databaseName)] {
            if let problem = DeploymentEvent.problem(with: value, field: flag, maximumLength: DeploymentEvent.maximumNameLength) {
                throw ValidationError(problem)
            }
        }
    }

    func run() throws {
        // Its errors are printed as `Error: …` with exit status 1 (not as usage errors).
        let resolved = try self.resolved()
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

    private func resolved() throws -> Pipeline {
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
}
