import JSON
import AWS
import HTTP
import LambdaRuntime
import Logging

/// The function: validate the event, read the CCAF settings secret, then deploy. Until the
/// deployer lands, it answers with the validated event and the non-secret settings it read.
public final class DeployHandler: LambdaHandler {
    /// Time kept back from the Lambda deadline to report the result.
    static let reportingMargin: Duration = .seconds(2)

    private let environment: [String: String]
    private let secretsManager: AWSServiceConfiguration
    private let http = HTTPClient(userAgent: RuntimeIdentity.userAgent)
    private let credentials: CredentialChain

    /// Start-up checks: what every invocation needs from the environment must be there.
    public init(environment: [String: String]) throws(LambdaError) {
        self.environment = environment
        do {
            secretsManager = try AWSServiceConfiguration(service: .secretsManager, environment: environment)
        } catch {
            throw .runtime("InvalidConfiguration", error.description)
        }
        credentials = CredentialChain(environment: environment, http: http)
    }

    public func handle(event: [UInt8], context: InvocationContext) throws(LambdaError) -> [UInt8] {
        let deployment = try DeploymentEvent.parse(event)
        let logger = context.logger
        if !deployment.unknownKeys.isEmpty {
            logger.warning("the event has keys that are ignored", metadata: ["keys": "\(deployment.unknownKeys.joined(separator: ","))"])
        }
        logger.info("event accepted", metadata: [
            "catalog": "\(deployment.catalogName)", "database": "\(deployment.databaseName)",
            "action": "\(deployment.terraformAction?.rawValue ?? "none")", "dryRun": "\(deployment.dryRun)",
        ])
        let deadline = context.deadline.reserving(Self.reportingMargin)
        let settings = try readSettings(deployment.ccafSecretsPath, deadline: deadline, logger: logger)
        logger.info("settings read", metadata: [
            "secret": "\(deployment.ccafSecretsPath)", "environment": "\(settings.environmentId)",
            "computePool": "\(settings.computePoolId)", "cloud": "\(settings.cloud)", "region": "\(settings.region)",
        ])
        let body = JSONText.object([
            ("message", JSONText.string("event validated and CCAF settings read; statement deployment is not implemented yet")),
            ("catalog_name", JSONText.string(deployment.catalogName)),
            ("database_name", JSONText.string(deployment.databaseName)),
            ("environment_id", JSONText.string(settings.environmentId)),
            ("compute_pool_id", JSONText.string(settings.computePoolId)),
            ("flink_region", JSONText.string("\(settings.cloud)/\(settings.region)")),
            ("action", JSONText.string(deployment.terraformAction?.rawValue ?? "create")),
            ("dry_run", deployment.dryRun ? "true" : "false"),
        ])
        return Array(JSONText.object([("statusCode", "200"), ("body", JSONText.string(body))]).utf8)
    }

    private func readSettings(_ secretId: String, deadline: Deadline, logger: Logger) throws(LambdaError) -> CCAFSettings {
        let client = AWSJSONClient(
            configuration: secretsManager, credentials: credentials, http: http,
            retry: RetryPolicy(environment: environment), logger: logger)
        let secret: SecretValue
        do {
            secret = try SecretsManagerClient(client: client).getSecretValue(secretId, deadline: deadline)
        } catch {
            switch error.reason {
            case .notFound: throw .function("SecretNotFound", error.description)
            case .accessDenied: throw .function("SecretAccessDenied", error.description)
            case .other: throw .function("AWSError", error.description)
            }
        }
        return try CCAFSettings.parse(secret, secretId: secretId)
    }
}
