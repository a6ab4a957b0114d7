import AWS
import JSON
import Logging
import Timing

/// Which Kafka client the properties are for; each has its own folder of SSM parameters.
public enum KafkaClientKind: String, Sendable {
    case consumer, producer

    var parameterFolder: String { "\(rawValue)_kafka_client" }
}

/// Where a service account's Kafka configuration lives in AWS:
/// the secret `<prefix>/<user>/kafka_cluster/java_client` and the parameters under
/// `<prefix>/<user>/consumer_kafka_client` (or `producer_kafka_client`).
public struct KafkaPropertiesLocation: Sendable {
    public static let defaultPrefix = "/confluent_cloud_resource"

    public let prefix: String
    public let user: String

    public struct InvalidLocation: Error, CustomStringConvertible {
        public let description: String
    }

    public init(user: String, prefix: String = Self.defaultPrefix) throws(InvalidLocation) {
        let allowed = Set("_.-")
        guard !user.isEmpty, user.count <= 128, user.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || allowed.contains($0) }) else {
            throw InvalidLocation(description: "the user '\(user.prefix(128))' must be 1–128 ASCII letters, digits, '_', '.' or '-'")
        }
        var trimmedPrefix = Substring(prefix)
        while trimmedPrefix.hasSuffix("/") { trimmedPrefix = trimmedPrefix.dropLast() }
        guard trimmedPrefix.hasPrefix("/"), !trimmedPrefix.contains("//"),
              trimmedPrefix.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || "/_.-".contains($0) }) else {
            throw InvalidLocation(description: "the prefix '\(prefix)' must be a path such as /confluent_cloud_resource (letters, digits, '/', '_', '.', '-')")
        }
        self.prefix = String(trimmedPrefix)
        self.user = user
    }

    public var secretId: String { "\(prefix)/\(user)/kafka_cluster/java_client" }

    public func parameterPath(for kind: KafkaClientKind) -> String { "\(prefix)/\(user)/\(kind.parameterFolder)" }
}

/// Why the properties could not be assembled: names the secret or path, never a value.
public struct KafkaPropertiesError: Error, CustomStringConvertible {
    public let description: String
}

/// Merges the cluster secret (a JSON object) with the client's SSM parameters into one map.
/// Parameter names lose their path (`…/consumer_kafka_client/enable.auto.commit` → `enable.auto.commit`;
/// with `recursive`, nested ones keep their path below the folder). On a key in both, the SSM
/// parameter wins: the secret holds the cluster's defaults, the parameters tune one client.
public struct KafkaClientPropertiesReader {
    private let secrets: SecretsManagerClient
    private let parameters: ParameterStoreClient
    private let logger: Logger

    public init(secrets: SecretsManagerClient, parameters: ParameterStoreClient, logger: Logger) {
        self.secrets = secrets
        self.parameters = parameters
        self.logger = logger
    }

    public func read(_ location: KafkaPropertiesLocation, kind: KafkaClientKind, recursive: Bool = false, deadline: Deadline) throws(KafkaPropertiesError) -> [String: PropertyValue] {
        var properties = try secretProperties(location.secretId, deadline: deadline)
        logger.info("read the cluster secret", metadata: ["secret": "\(location.secretId)", "keys": "\(properties.count)"])

        let path = location.parameterPath(for: kind)
        let found: [Parameter]
        do {
            found = try parameters.parameters(under: path, recursive: recursive, withDecryption: true, deadline: deadline)
        } catch {
            throw KafkaPropertiesError(description: error.description)
        }
        guard !found.isEmpty else {
            throw KafkaPropertiesError(description: "there are no SSM parameters under '\(path)'\(recursive ? "" : " (nested ones are read only with --recursive)"): create the \(kind.rawValue) client settings there")
        }
        var overridden: [String] = []
        for parameter in found {
            let key = String(parameter.name.dropFirst(path.count + 1))
            if properties[key] != nil { overridden.append(key) }
            properties[key] = PropertyValue(coercing: parameter.value.value)
        }
        logger.info("read the client parameters", metadata: [
            "path": "\(path)", "parameters": "\(found.count)", "overriddenSecretKeys": "\(overridden.sorted().joined(separator: ","))",
        ])
        return properties
    }

    private func secretProperties(_ secretId: String, deadline: Deadline) throws(KafkaPropertiesError) -> [String: PropertyValue] {
        let secret: SecretValue
        do {
            secret = try secrets.getSecretValue(secretId, deadline: deadline)
        } catch {
            throw KafkaPropertiesError(description: error.description)
        }
        let bytes: [UInt8]
        switch secret {
        case .string(let text): bytes = Array(text.value.utf8)
        case .binary(let data): bytes = data.value
        }
        guard let json = JSONValue.parse(bytes) else {
            throw KafkaPropertiesError(description: "secret '\(secretId)' is not JSON; it must be a JSON object of Kafka client properties")
        }
        guard case .object(let fields) = json else {
            throw KafkaPropertiesError(description: "secret '\(secretId)' must be a JSON object of Kafka client properties, not \(json.kindDescription)")
        }
        var properties: [String: PropertyValue] = [:]
        for (key, value) in fields {
            switch value {
            case .string(let text): properties[key] = .string(text)
            case .bool(let flag): properties[key] = .boolean(flag)
            case .integer(let number): properties[key] = .integer(number)
            case .number(let number):
                properties[key] = number == number.rounded() && abs(number) < 9e15 ? .integer(Int64(number)) : .decimal(number)
            case .null, .array, .object:
                throw KafkaPropertiesError(description: "secret '\(secretId)' has '\(key)' as \(value.kindDescription); a property must be a string, number or boolean")
            }
        }
        return properties
    }
}

extension PropertyValue {
    /// The value as JSON: numbers and booleans typed, text quoted.
    public var jsonText: String {
        switch self {
        case .string(let value): return JSONText.string(value)
        case .decimal(let value) where !value.isFinite: return JSONText.string(text)
        default: return text
        }
    }
}

public enum PropertiesJSON {
    public static func render(_ properties: [String: PropertyValue]) -> String {
        JSONText.object(properties.keys.sorted().map { ($0, properties[$0]!.jsonText) })
    }
}
