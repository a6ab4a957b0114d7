import AWS
import LambdaRuntime
import Logging

/// The function: validate the event, then deploy. Until the deployer lands, a validated event
/// is answered with what would be deployed, so the runtime and CLI can be used end to end.
public struct DeployHandler: LambdaHandler {
    let secretsManager: AWSServiceConfiguration

    /// Start-up checks: what every invocation needs from the environment must be there.
    public init(environment: [String: String]) throws(LambdaError) {
        do {
            secretsManager = try AWSServiceConfiguration(service: .secretsManager, environment: environment)
        } catch {
            throw .runtime("InvalidConfiguration", error.description)
        }
    }

    public func handle(event: [UInt8], context: InvocationContext) throws(LambdaError) -> [UInt8] {
        let deployment = try DeploymentEvent.parse(event)
        if !deployment.unknownKeys.isEmpty {
            context.logger.warning("the event has keys that are ignored", metadata: ["keys": "\(deployment.unknownKeys.joined(separator: ","))"])
        }
        context.logger.info("event accepted", metadata: [
            "catalog": "\(deployment.catalogName)", "database": "\(deployment.databaseName)",
            "action": "\(deployment.terraformAction?.rawValue ?? "none")", "dryRun": "\(deployment.dryRun)",
        ])
        let body = JSONText.object([
            ("message", JSONText.string("event validated; deployment is not implemented yet")),
            ("catalog_name", JSONText.string(deployment.catalogName)),
            ("database_name", JSONText.string(deployment.databaseName)),
            ("ccaf_secrets_path", JSONText.string(deployment.ccafSecretsPath)),
            ("action", JSONText.string(deployment.terraformAction?.rawValue ?? "create")),
            ("dry_run", deployment.dryRun ? "true" : "false"),
        ])
        return Array(JSONText.object([("statusCode", "200"), ("body", JSONText.string(body))]).utf8)
    }
}
