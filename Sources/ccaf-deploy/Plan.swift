import Deployment
import ArgumentParser
import BuiltinPipelines
import TableAPI

/// Prints the SQL the pipeline would submit: no network, no credentials, the known schema.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the Flink SQL the deployment would submit, without network or credentials.",
        discussion: """
            Uses the known Kickstarter airline schema for both sources; a deployment discovers the \
            sources' real schemas from Confluent first.
            """)

    @Option(help: "The Flink catalog (Confluent environment).")
    var catalogName: String

    @Option(help: "The Flink database (Kafka cluster).")
    var databaseName: String

    func validate() throws {
        for (flag, value) in [("--catalog-name", catalogName), ("--database-name", databaseName)] {
            if let problem = DeploymentEvent.problem(with: value, field: flag, maximumLength: DeploymentEvent.maximumNameLength) {
                throw ValidationError(problem)
            }
        }
    }

    func run() throws {
        do {
            let schema = try KickstarterAirlineSchema.schema
            let pipeline = try FlightConsolidatorPipeline(
                catalog: catalogName, database: databaseName, skyOneSchema: schema, sunsetSchema: schema)
            print("-- \(FlightConsolidatorPipeline.pipelineName): the sink table (must reach COMPLETED)")
            print(pipeline.createSinkSQL + ";\n")
            print("-- \(FlightConsolidatorPipeline.pipelineName): the pipeline (must reach RUNNING)")
            print(pipeline.insertSQL + ";")
        } catch {
            throw ValidationError(error.description)
        }
    }
}
