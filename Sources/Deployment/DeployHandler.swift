import AWS
import Confluent
import HTTP
import LambdaRuntime
import Logging
import Timing

/// The function: validate the event, read the CCAF settings secret, build the pipeline's SQL
/// from the sources' schemas, and deploy it through the statements API.
public final class DeployHandler: LambdaHandler {
    /// Time kept back from the Lambda deadline to report the result.
    static let reportingMargin: Duration = .seconds(2)

    private let environment: [String: String]
    private let secretsManager: AWSServiceConfiguration
    /// `CCAF_FLINK_ENDPOINT`: a statements API base URL that wins over the secret's (local runs, tests).
    private let flinkEndpointOverride: HTTPEndpoint?
    private let http = HTTPClient(userAgent: AppIdentity.userAgent)
    private let credentials: CredentialChain

    /// Start-up checks: what every invocation needs from the environment must be there.
    public init(environment: [String: String]) throws(LambdaError) {
        self.environment = environment
        do {
            secretsManager = try AWSServiceConfiguration(service: .secretsManager, environment: environment)
        } catch {
            throw .runtime("InvalidConfiguration", error.description)
        }
        if let url = environment["CCAF_FLINK_ENDPOINT"], !url.isEmpty {
            do {
                flinkEndpointOverride = try FlinkEndpoint.resolve(override: ("CCAF_FLINK_ENDPOINT", url), region: "", cloud: "")
            } catch {
                throw .runtime("InvalidConfiguration", error.description)
            }
        } else {
            flinkEndpointOverride = nil
        }
        credentials = CredentialChain(environment: environment, http: http)
    }

    public func handle(event: [UInt8], context: InvocationContext) throws(LambdaError) -> [UInt8] {
        Array(try deploy(event: event, context: context).responseJSON.utf8)
    }

    /// The invocation as a value: what the CLI renders (a plan, say) instead of printing the response.
    public func deploy(event: [UInt8], context: InvocationContext) throws(LambdaError) -> DeployResult {
        let deployment = try DeploymentEvent.parse(event)
        let logger = context.logger
        if !deployment.unknownKeys.isEmpty {
            logger.warning("the event has keys that are ignored", metadata: ["keys": "\(deployment.unknownKeys.joined(separator: ","))"])
        }
        logger.info("event accepted", metadata: [
            "pipeline": "\(deployment.pipeline.name)", "catalog": "\(deployment.catalogName)", "database": "\(deployment.databaseName)",
            "action": "\(deployment.terraformAction?.rawValue ?? "none")", "dryRun": "\(deployment.dryRun)",
        ])
        let deadline = context.deadline.reserving(Self.reportingMargin)
        let settings = try readSettings(deployment.ccafSecretsPath, deadline: deadline, logger: logger)
        logger.info("settings read", metadata: [
            "secret": "\(deployment.ccafSecretsPath)", "environment": "\(settings.environmentId)",
            "computePool": "\(settings.computePoolId)", "cloud": "\(settings.cloud)", "region": "\(settings.region)",
        ])
        let session = ConfluentSession(
            statements: try statementsClient(settings, secretId: deployment.ccafSecretsPath, logger: logger),
            settings: settings, catalog: deployment.catalogName, database: deployment.databaseName, logger: logger, deadline: deadline)
        let deployer = FlinkDeployer(session: session, event: deployment)
        let result = try deployer.run()
        logger.info("deployment finished", metadata: [
            "action": "\(result.action.rawValue)", "statements": "\(result.statements.map(\.name).joined(separator: ","))",
        ])
        return result
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
            case .deadline: throw .function("DeployTimeout", error.description)
            case .other: throw .function("AWSError", error.description)
            }
        }
        return try CCAFSettings.parse(secret, secretId: secretId)
    }

    private func statementsClient(_ settings: CCAFSettings, secretId: String, logger: Logger) throws(LambdaError) -> StatementsClient {
        let endpoint: HTTPEndpoint
        if let flinkEndpointOverride {
            endpoint = flinkEndpointOverride
        } else {
            do {
                endpoint = try FlinkEndpoint.resolve(
                    override: settings.endpoint.map { ("flink.endpoint", $0) }, region: settings.region, cloud: settings.cloud)
            } catch {
                throw .function("InvalidSecret", "secret '\(secretId)': \(error)")
            }
        }
        return StatementsClient(
            endpoint: endpoint, organizationId: settings.organizationId, environmentId: settings.environmentId,
            apiKey: settings.flinkAPIKey, apiSecret: settings.flinkAPISecret, http: http, logger: logger)
    }
}
