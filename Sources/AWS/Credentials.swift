import HTTP
import JSON
import Redaction
import SystemIO
import Text
import Timing

/// An access key pair and optional session token. Printing it never shows the secret key or
/// the token, and shows the key id only in shortened form.
public struct AWSCredentials: Sendable, CustomStringConvertible {
    public let accessKeyId: String
    public let secretAccessKey: Sensitive<String>
    public let sessionToken: Sensitive<String>?
    /// When temporary credentials stop working, in Unix epoch milliseconds; `nil` for long-lived keys.
    public let expirationEpochMilliseconds: Int64?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expirationEpochMilliseconds: Int64? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = Sensitive(secretAccessKey)
        self.sessionToken = sessionToken.map(Sensitive.init)
        self.expirationEpochMilliseconds = expirationEpochMilliseconds
    }

    public var description: String { "AWSCredentials(<redacted>)" }
}

public struct CredentialsError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Finds credentials the way the AWS SDKs do, in this order: the environment variables
/// (what Lambda sets), the shared credentials file for `AWS_PROFILE`, then the container
/// credentials endpoint. The answer is kept until five minutes before it expires.
public final class CredentialChain {
    private let environment: [String: String]
    private let http: HTTPClient
    private var cached: AWSCredentials?

    public init(environment: [String: String], http: HTTPClient) {
        self.environment = environment
        self.http = http
    }

    public func credentials() throws(CredentialsError) -> AWSCredentials {
        if let cached, cached.expirationEpochMilliseconds.map({ $0 - currentEpochMilliseconds() > 300_000 }) ?? true {
            return cached
        }
        var tried: [String] = []
        let sources = [fromEnvironment, fromSharedFile, fromContainerEndpoint]
        for source in sources {
            if let found = try source(&tried) {
                cached = found
                return found
            }
        }
        throw CredentialsError(description: "no AWS credentials found; tried " + tried.joined(separator: "; "))
    }

    private func value(_ name: String) -> String? {
        guard let value = environment[name]?.trimmed(), !value.isEmpty else { return nil }
        return value
    }

    private func fromEnvironment(_ tried: inout [String]) throws(CredentialsError) -> AWSCredentials? {
        let keyId = value("AWS_ACCESS_KEY_ID"), secret = value("AWS_SECRET_ACCESS_KEY")
        switch (keyId, secret) {
        case let (keyId?, secret?):
            return AWSCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        case (nil, nil):
            tried.append("environment variables (AWS_ACCESS_KEY_ID is not set)")
            return nil
        default:
            throw CredentialsError(description:
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together; only \(keyId == nil ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") is set")
        }
    }

    private func fromSharedFile(_ tried: inout [String]) throws(CredentialsError) -> AWSCredentials? {
        let profile = value("AWS_PROFILE") ?? "default"
        let path = value("AWS_SHARED_CREDENTIALS_FILE") ?? (value("HOME").map { "\($0)/.aws/credentials" } ?? "")
        guard !path.isEmpty, let data = readFile(atPath: path) else {
            tried.append("shared credentials file '\(path)' (not readable)")
            return nil
        }
        guard let section = SharedCredentialsFile.parse(String(decoding: data, as: UTF8.self))[profile] else {
            tried.append("shared credentials file '\(path)' (no profile [\(profile)])")
            return nil
        }
        guard let keyId = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] else {
            throw CredentialsError(description:
                "profile [\(profile)] in '\(path)' needs both aws_access_key_id and aws_secret_access_key")
        }
        return AWSCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: section["aws_session_token"])
    }

    private func fromContainerEndpoint(_ tried: inout [String]) throws(CredentialsError) -> AWSCredentials? {
        let url: String
        if let full = value("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            url = full
        } else if let relative = value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            url = "http://169.254.170.2" + relative
        } else {
            tried.append("container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI and _RELATIVE_URI are not set)")
            return nil
        }
        let (endpoint, path): (HTTPEndpoint, String)
        do {
            (endpoint, path) = try HTTPEndpoint.split(url: url)
        } catch {
            throw CredentialsError(description: "container credentials endpoint: \(error)")
        }
        guard endpoint.scheme == .https || endpoint.isLoopback || Self.containerHosts.contains(endpoint.host) else {
            throw CredentialsError(description:
                "container credentials endpoint \(endpoint): plain http only to a loopback address or to "
                + Self.containerHosts.joined(separator: ", ") + " (the authorization token travels with the request)")
        }
        var request = HTTPRequest(method: "GET", endpoint: endpoint, path: path, connectTimeout: .seconds(2), timeout: .seconds(5))
        if let token = try authorizationToken() {
            request.headers.add("Authorization", token)
        }
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            throw CredentialsError(description: "container credentials endpoint \(endpoint): \(error.detail)")
        }
        guard response.isSuccess else {
            throw CredentialsError(description: "container credentials endpoint \(endpoint) answered HTTP \(response.status)")
        }
        guard let credentials = Self.containerCredentials(from: response.body) else {
            throw CredentialsError(description: "container credentials endpoint \(endpoint) answered with an unexpected body")
        }
        return credentials
    }

    /// The link-local addresses of the ECS and EKS credential agents: the only hosts besides
    /// loopback that the AWS SDKs let the full URI reach over plain http.
    static let containerHosts = ["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"]

    /// The container credentials endpoint's answer; nil when it lacks the key pair.
    package static func containerCredentials(from body: [UInt8]) -> AWSCredentials? {
        struct Answer: Decodable {
            let AccessKeyId: String
            let SecretAccessKey: String
            let Token: String?
            let Expiration: String?
        }
        guard let answer = try? JSONValue.decode(Answer.self, from: body) else { return nil }
        return AWSCredentials(
            accessKeyId: answer.AccessKeyId, secretAccessKey: answer.SecretAccessKey, sessionToken: answer.Token,
            expirationEpochMilliseconds: answer.Expiration.flatMap(ISO8601Time.epochMilliseconds))
    }

    private func authorizationToken() throws(CredentialsError) -> String? {
        if let token = value("AWS_CONTAINER_AUTHORIZATION_TOKEN") { return token }
        guard let file = value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") else { return nil }
        guard let data = readFile(atPath: file) else {
            throw CredentialsError(description: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '\(file)' is not readable")
        }
        return String(decoding: data, as: UTF8.self).trimmed()
    }
}

/// The INI dialect of `~/.aws/credentials`: `[profile]` sections of `key = value` lines.
enum SharedCredentialsFile {
    static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmed(" \t")
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmed(" \t")
                current = name.hasPrefix("profile ") ? String(name.dropFirst(8)).trimmed(" \t") : name
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmed(" \t").lowercased()
            sections[current, default: [:]][key] = line[line.index(after: equals)...].trimmed(" \t")
        }
        return sections
    }
}
