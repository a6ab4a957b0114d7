import JSON
import AWS
import Confluent
import LambdaRuntime
import Redaction
import Text

/// The CCAF settings secret: where the Flink statements API is and who to be there.
public struct CCAFSettings: Sendable {
    public let environmentId: String
    public let organizationId: String
    public let flinkAPIKey: String
    public let flinkAPISecret: Sensitive<String>
    /// Lower-cased, as it appears in host names.
    public let cloud: String
    public let region: String
    public let computePoolId: String
    public let principalId: String
    /// A full base URL for private networking, from `flink.endpoint`.
    public let endpoint: String?

    static let requiredKeys = [
        "environment.id", "flink.api.key", "flink.api.secret", "flink.cloud", "flink.compute.pool.id",
        "flink.principal.id", "flink.region", "organization.id",
    ]

    /// Parses the secret's JSON. Errors name the secret and the key, never a value.
    public static func parse(_ secret: SecretValue, secretId: String) throws(LambdaError) -> CCAFSettings {
        func invalid(_ problem: String) -> LambdaError {
            .function("InvalidSecret", "secret '\(secretId)' \(problem)")
        }
        let bytes: [UInt8]
        switch secret {
        case .string(let text): bytes = Array(text.value.utf8)
        case .binary(let data): bytes = data.value
        }
        guard let json = JSONValue.parse(bytes) else { throw invalid("is not JSON; it must be a JSON object of CCAF settings") }
        guard case .object(let fields) = json else { throw invalid("must be a JSON object, not \(json.kindDescription)") }

        var values: [String: String] = [:]
        var problems: [String] = []
        for key in requiredKeys + ["flink.endpoint"] {
            switch fields[key] {
            case .string(let value)? where !value.trimmed().isEmpty:
                values[key] = value.trimmed()
            case nil, .null?:
                if key != "flink.endpoint" { problems.append("has no '\(key)'") }
            case .string?:
                problems.append("has an empty '\(key)'")
            case let other?:
                problems.append("has '\(key)' as \(other.kindDescription); it must be a string")
            }
        }
        for key in ["flink.cloud", "flink.region"] {
            if let value = values[key], !FlinkEndpoint.isHostLabel(value) {
                problems.append("has a '\(key)' that is not a host name label (letters, digits and inner '-' only)")
            }
        }
        guard problems.isEmpty else { throw invalid(problems.joined(separator: "; ")) }
        return CCAFSettings(
            environmentId: values["environment.id"]!, organizationId: values["organization.id"]!,
            flinkAPIKey: values["flink.api.key"]!, flinkAPISecret: Sensitive(values["flink.api.secret"]!),
            cloud: values["flink.cloud"]!.lowercased(), region: values["flink.region"]!,
            computePoolId: values["flink.compute.pool.id"]!, principalId: values["flink.principal.id"]!,
            endpoint: values["flink.endpoint"])
    }
}
