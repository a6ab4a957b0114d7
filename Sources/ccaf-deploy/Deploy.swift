import JSON
import Deployment
import ArgumentParser
import FoundationEssentials
import LambdaRuntime
import Logging

/// Runs the Lambda handler once, on this machine, on an event from flags or a file.
struct Deploy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the deployment once, exactly as the Lambda function would.",
        discussion: """
            Prints the function's response as JSON on standard output, or the error JSON \
            ({"errorMessage","errorType","stackTrace"}) with exit status 1. Logs go to standard error.
            """)

    @Option(help: "The Flink catalog (Confluent environment) to deploy into.")
    var catalogName: String?

    @Option(help: "The Flink database (Kafka cluster) to deploy into.")
    var databaseName: String?

    @Option(help: "Name or ARN of the Secrets Manager secret with the CCAF settings.")
    var ccafSecretsPath: String?

    @Option(help: "A JSON file with the whole event ('-' for standard input); flags override its fields.")
    var eventFile: String?

    @OptionGroup var pipeline: PipelineOptions

    @Option(help: ArgumentHelp("A statement another tool deployed that the built-in pipeline takes over (repeatable).", valueName: "name"))
    var adopt: [String] = []

    @Flag(help: "Validate and plan only; submit nothing.")
    var dryRun = false

    @Option(help: "Seconds the deployment may take, like the Lambda function's timeout.")
    var timeout: Int = 300

    @Option(help: "Log level: TRACE, DEBUG, INFO, WARN, ERROR or FATAL.")
    var logLevel: String = "INFO"

    @Flag(help: "Write logs as JSON lines, as the Lambda function does.")
    var jsonLogs = false

    func validate() throws {
        if let problem = CLIContext.problem(timeoutSeconds: timeout, logLevel: logLevel) { throw ValidationError(problem) }
        guard eventFile != nil || (catalogName != nil && databaseName != nil && ccafSecretsPath != nil) else {
            throw ValidationError("give --event-file, or all of --catalog-name, --database-name and --ccaf-secrets-path")
        }
    }

    func run() throws {
        let context = CLIContext.make(timeoutSeconds: timeout, logLevel: logLevel, jsonLogs: jsonLogs)

        let result = Result(catching: { () throws(LambdaError) in
            let event = try event()  // a bad pipeline file is reported before the environment is checked
            return try DeployHandler(environment: ProcessInfo.processInfo.environment).handle(event: event, context: context)
        })
        switch result {
        case .success(let body):
            print(String(decoding: body, as: UTF8.self))
        case .failure(let error):
            print(error.json)
            throw ExitCode.failure
        }
    }

    /// The event file's JSON with the flags laid over it, or the flags alone.
    private func event() throws(LambdaError) -> [UInt8] {
        var fields: [String: JSONValue] = [:]
        if let eventFile {
            let bytes: [UInt8]
            if eventFile == "-" {
                bytes = Array(readStandardInput().utf8)
            } else if let data = FileManager.default.contents(atPath: eventFile) {
                bytes = Array(data)
            } else {
                throw .function("InvalidEvent", "cannot read the event file '\(eventFile)'")
            }
            let overlaid = catalogName != nil || databaseName != nil || ccafSecretsPath != nil || dryRun
                || pipeline.pipeline != nil || pipeline.pipelineFile != nil || !adopt.isEmpty
            guard overlaid else { return bytes }
            guard case .object(let object)? = JSONValue.parse(bytes) else { return bytes }
            fields = object
        }
        if let value = try pipeline.eventValue() { fields["pipeline"] = value }
        if !adopt.isEmpty { fields["adopt"] = .array(adopt.map(JSONValue.string)) }
        if let catalogName { fields["catalog_name"] = .string(catalogName) }
        if let databaseName { fields["database_name"] = .string(databaseName) }
        if let ccafSecretsPath { fields["ccaf_secrets_path"] = .string(ccafSecretsPath) }
        if dryRun { fields["dry_run"] = .bool(true) }
        return Array(JSONValue.object(fields).jsonText.utf8)
    }

    private func readStandardInput() -> String {
        var lines: [String] = []
        while let line = readLine(strippingNewline: false) { lines.append(line) }
        return lines.joined()
    }
}
