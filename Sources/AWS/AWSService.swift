import HTTP
import Text

/// What the JSON 1.1 client needs to know about one AWS service.
public struct AWSService: Sendable {
    /// The name in messages, and in `AWS_ENDPOINT_URL_<ID>` with spaces turned to `_`.
    public let serviceId: String
    /// The signing name and the host name prefix.
    public let signingName: String
    /// The `X-Amz-Target` prefix before the operation name.
    public let targetPrefix: String

    public static let secretsManager = AWSService(serviceId: "Secrets Manager", signingName: "secretsmanager", targetPrefix: "secretsmanager")
    public static let ssm = AWSService(serviceId: "SSM", signingName: "ssm", targetPrefix: "AmazonSSM")

    /// `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_SSM`: the SDKs' per-service override.
    public var endpointVariable: String {
        "AWS_ENDPOINT_URL_" + serviceId.uppercased().map { $0 == " " || $0 == "-" ? "_" : String($0) }.joined()
    }
}

public struct AWSConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// The region and endpoint for a service, resolved the way the AWS SDKs resolve them.
public struct AWSServiceConfiguration: Sendable {
    public let service: AWSService
    public let region: String
    public let endpoint: HTTPEndpoint

    /// Region from `AWS_REGION`, then `AWS_DEFAULT_REGION`; endpoint from the service's own
    /// variable, then `AWS_ENDPOINT_URL` (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`),
    /// then the public endpoint of the region.
    public init(service: AWSService, environment: [String: String]) throws(AWSConfigurationError) {
        guard let region = [environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]]
            .compactMap({ $0?.trimmed() }).first(where: { !$0.isEmpty }) else {
            throw AWSConfigurationError(description: "no AWS region: set AWS_REGION (Lambda sets it for you)")
        }
        guard region.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x61...0x7a).contains($0) }),
              region.count <= 64 else {
            throw AWSConfigurationError(description: "AWS region '\(region)' is not valid: use lower-case letters, digits and '-' (e.g. us-east-1)")
        }
        let ignoreOverrides = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true"
        let override = ignoreOverrides ? nil
            : [service.endpointVariable, "AWS_ENDPOINT_URL"].lazy
                .compactMap { name in environment[name].flatMap { $0.isEmpty ? nil : (name, $0) } }.first
        if let (variable, url) = override {
            do {
                endpoint = try HTTPEndpoint(parsing: url)
            } catch {
                throw AWSConfigurationError(description: "\(variable): \(error)")
            }
        } else {
            let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
            endpoint = HTTPEndpoint(scheme: .https, host: "\(service.signingName).\(region).\(suffix)")
        }
        self.service = service
        self.region = region
    }
}
