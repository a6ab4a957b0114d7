import AWS
import ArgumentParser
import FoundationEssentials
import HTTP
import KafkaProperties
import LambdaRuntime
import Logging
import Deployment

/// Assembles a Kafka client's configuration from Secrets Manager and SSM Parameter Store.
struct KafkaPropertiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-properties",
        abstract: "Write a Kafka client's properties from Secrets Manager and SSM Parameter Store.",
        discussion: """
            Reads the JSON secret <prefix>/<user>/kafka_cluster/java_client and the SSM parameters under \
            <prefix>/<user>/consumer_kafka_client (or producer_kafka_client), SecureStrings decrypted, \
            every page. Parameter names lose their path; numeric values become numbers. On a key in \
            both, the SSM parameter wins. A file given with --output is written atomically with mode 0600.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case properties, json }

    @Option(help: "The service account user the configuration belongs to.")
    var user: String

    @Flag(exclusivity: .exclusive, help: "Which client the properties are for.")
    var kind: Kind

    enum Kind: String, EnumerableFlag {
        case consumer, producer
    }

    @Option(help: "Output format: properties (java.util.Properties) or json.")
    var format: Format = .properties

    @Option(help: "Write to this file (mode 0600, atomically) instead of standard output.")
    var output: String?

    @Option(help: "The path prefix of the layout.")
    var prefix: String = KafkaPropertiesLocation.defaultPrefix

    @Flag(help: "Also read parameters in folders below the client's folder.")
    var recursive = false

    @Option(help: "Seconds the AWS calls may take in all.")
    var timeout: Int = 30

    func run() throws {
        let logger = Logger(label: AppIdentity.name) { LambdaLogHandler(label: $0, format: .text, level: .info, fileDescriptor: 2) }
        let environment = ProcessInfo.processInfo.environment
        do {
            let location = try KafkaPropertiesLocation(user: user, prefix: prefix)
            let http = HTTPClient(userAgent: AppIdentity.userAgent)
            let credentials = CredentialChain(environment: environment, http: http)
            func client(_ service: AWSService) throws -> AWSJSONClient {
                AWSJSONClient(configuration: try AWSServiceConfiguration(service: service, environment: environment),
                              credentials: credentials, http: http, retry: RetryPolicy(environment: environment), logger: logger)
            }
            let reader = KafkaClientPropertiesReader(
                secrets: SecretsManagerClient(client: try client(.secretsManager)),
                parameters: ParameterStoreClient(client: try client(.ssm)), logger: logger)
            let properties = try reader.read(
                location, kind: kind == .consumer ? .consumer : .producer, recursive: recursive,
                deadline: .after(.seconds(Int64(max(1, timeout)))))
            let text = format == .json
                ? PropertiesJSON.render(properties) + "\n"
                : PropertiesFormat.render(properties, comment: "Kafka \(kind.rawValue) properties for \(user), written by \(AppIdentity.name)")
            if let output {
                try OwnerOnlyFile.write(text, to: output)
                logger.info("wrote the properties", metadata: ["file": "\(output)", "keys": "\(properties.count)", "mode": "0600"])
            } else {
                print(text, terminator: "")
            }
        } catch {
            logger.error("\(error)")
            throw ExitCode.failure
        }
    }
}
