import Deployment
import ArgumentParser
import FoundationEssentials
import LambdaRuntime
import Logging

/// One executable, two modes: the Lambda runtime when `AWS_LAMBDA_RUNTIME_API` is set (it is
/// the container's `bootstrap`), a command-line tool everywhere else.
@main
enum Main {
    static func main() {
        let environment = ProcessInfo.processInfo.environment
        if environment["AWS_LAMBDA_RUNTIME_API"] != nil {
            LambdaFunction.run(environment: environment)
        }
        Command.main()
    }
}

struct Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ccaf-deploy",
        abstract: "Deploys the flight-consolidator Flink application to Confluent Cloud for Apache Flink.",
        discussion: "Runs as the AWS Lambda function when AWS_LAMBDA_RUNTIME_API is set; otherwise as this tool.",
        version: AppIdentity.version,
        subcommands: [Deploy.self, Plan.self, KafkaPropertiesCommand.self])
}
