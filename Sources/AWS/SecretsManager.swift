import Timing
import Redaction
import Text

/// The content of a secret: exactly one of SecretString and SecretBinary carries it.
public enum SecretValue: Sendable {
    case string(Sensitive<String>)
    case binary(Sensitive<[UInt8]>)
}

/// Why a secret could not be read, with the secret's name or ARN (never its value).
public struct SecretsManagerError: Error, CustomStringConvertible, Sendable {
    public enum Reason: Sendable, Equatable {
        case notFound
        case accessDenied
        /// The caller's deadline passed before Secrets Manager answered.
        case deadline
        case other
    }

    public let secretId: String
    public let region: String
    public let reason: Reason
    public let underlying: AWSCallError

    public var description: String {
        switch reason {
        case .notFound:
            return "secret '\(secretId)' was not found in region \(region): check the name or ARN and the region (\(underlying))"
        case .accessDenied:
            return "access to secret '\(secretId)' was denied: check that the role may call secretsmanager:GetSecretValue on it (and kms:Decrypt on its key) (\(underlying))"
        case .deadline, .other:
            return "could not read secret '\(secretId)': \(underlying)"
        }
    }
}

public final class SecretsManagerClient {
    private let client: AWSJSONClient

    public init(client: AWSJSONClient) {
        self.client = client
    }

    public func getSecretValue(_ secretId: String, deadline: Deadline) throws(SecretsManagerError) -> SecretValue {
        struct Request: Encodable { let SecretId: String }
        let response: GetSecretValueResponse
        do {
            response = try client.call("GetSecretValue", Request(SecretId: secretId), as: GetSecretValueResponse.self, deadline: deadline)
        } catch {
            throw SecretsManagerError(
                secretId: secretId, region: client.configuration.region, reason: Self.reason(for: error), underlying: error)
        }
        if let value = response.value { return value }
        throw SecretsManagerError(
            secretId: secretId, region: client.configuration.region, reason: .other,
            underlying: AWSCallError(
                service: AWSService.secretsManager.serviceId, operation: "GetSecretValue",
                failure: .malformedResponse("neither SecretString nor a base64 SecretBinary"), requestId: nil, attempts: 1))
    }

    package struct GetSecretValueResponse: Decodable {
        let SecretString: String?
        let SecretBinary: String?

        /// The string when there is one, else the decoded binary; nil when neither is usable.
        package var value: SecretValue? {
            if let text = SecretString { return .string(Sensitive(text)) }
            if let encoded = SecretBinary, let bytes = Base64.decode(encoded) { return .binary(Sensitive(bytes)) }
            return nil
        }
    }

    private static func reason(for error: AWSCallError) -> SecretsManagerError.Reason {
        if case .deadlineExceeded = error.failure { return .deadline }
        switch error.code {
        case "ResourceNotFoundException":
            return .notFound
        case "AccessDeniedException", "AccessDenied":
            return .accessDenied
        default:
            return .other
        }
    }
}
