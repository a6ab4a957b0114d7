import Deployment
import AWS
import Confluent
import HTTP
import JSON
import LambdaRuntime
import Redaction
import Text

/// Target `response-decoding`: one response body, as bytes, through every decoder the clients
/// apply to what Confluent, AWS and the container credentials endpoint send: the clients' own
/// response types (package access), decoded as the clients decode them (`JSONValue.decode`),
/// and what they derive from them.
///
/// Properties: no crash; a decoded `Statement` encodes and decodes back to the same value;
/// `JSONValue` written back with `jsonText` parses to the same value; `CCAFSettings.parse`
/// gives the same answer for the secret as SecretString and as SecretBinary, accepts only
/// settings that are non-empty, trimmed and give a valid endpoint, and never lets the value of
/// `flink.api.secret` change its error message.
public func fuzzResponseDecoding(_ data: UnsafeRawBufferPointer) {
    let target = FuzzTarget.responseDecoding
    let bytes = data.byteArray
    let json = JSONValue.parse(bytes)
    let errorResponse = HTTPResponse(status: 400, headers: HTTPHeaders(), body: bytes)

    // Confluent: GET /statements/{name}, the POST answer, the list and exceptions pages, an error.
    if let statement = try? json?.decode(Statement.self) {
        checkStatementRoundTrip(statement, as: target)
    }
    if let page = try? json?.decode(StatementsClient.StatementPage.self) {
        for statement in page.data ?? [] { checkStatementRoundTrip(statement, as: target) }
        if let token = page.nextPageToken { require(!token.isEmpty, target, "an empty page token was taken for one") }
    }
    _ = try? json?.decode(StatementsClient.ExceptionList.self)
    _ = FailureBody.details(of: errorResponse)

    // AWS: GetSecretValue, GetParametersByPath, the container credentials endpoint, an error body.
    if let secret = try? json?.decode(SecretsManagerClient.GetSecretValueResponse.self) {
        _ = secret.value
    }
    if let page = try? json?.decode(ParameterStoreClient.Page.self) {
        _ = page.parameters
    }
    _ = CredentialChain.containerCredentials(from: bytes)
    _ = AWSErrorBody.parse(errorResponse)

    // Any JSON: what validation reads fields from.
    if let value = json {
        let text = value.jsonText
        guard let again = JSONValue.parse(Array(text.utf8)) else {
            violated(target, "jsonText wrote \(shown(text)), which is not JSON")
        }
        require(sameJSON(value, again), target, "jsonText wrote \(shown(text)), which parses to another value")
    }

    // The CCAF settings secret, and the endpoint it leads to.
    checkSettings(bytes, as: target)

    // Base URLs from configuration (flink.endpoint, AWS_ENDPOINT_URL, container credentials URI).
    let text = String(decoding: bytes, as: UTF8.self)
    if let endpoint = try? HTTPEndpoint(parsing: text) {
        checkEndpoint(endpoint, from: text, as: target)
    }
    if let (endpoint, path) = try? HTTPEndpoint.split(url: text) {
        checkEndpoint(endpoint, from: text, as: target)
        require(startsWith(path, "/"), target, "split \(shown(text)) into the path \(shown(path))")
    }
}

func checkStatementRoundTrip(_ statement: Statement, as target: FuzzTarget) {
    _ = statement.phase.isTerminal
    _ = statement.isWaitingForExhaustedPool
    guard let encoded = try? JSONValue(encoding: statement) else {
        violated(target, "a decoded statement does not encode")
    }
    let text = encoded.jsonText
    guard let again = try? JSONValue.decode(Statement.self, from: Array(text.utf8)) else {
        violated(target, "an encoded statement does not decode: \(shown(text))")
    }
    require(again == statement && (try? JSONValue(encoding: again))?.jsonText == text, target,
            "a statement changed through encode and decode: \(shown(text))")
}

/// Equality that compares strings scalar by scalar and numbers exactly.
func sameJSON(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case let (.bool(a), .bool(b)): return a == b
    case let (.number(a), .number(b)): return a == b
    case let (.integer(a), .integer(b)): return a == b
    case let (.integer(a), .number(b)), let (.number(b), .integer(a)): return Double(a) == b
    case let (.string(a), .string(b)): return sameScalars(a, b)
    case let (.array(a), .array(b)): return a.count == b.count && zip(a, b).allSatisfy { sameJSON($0, $1) }
    case let (.object(a), .object(b)):
        return a.count == b.count && a.allSatisfy { key, value in b[key].map { sameJSON(value, $0) } ?? false }
    default: return false
    }
}

private let secretId = "ccaf/prod/settings"

/// `CCAFSettings.parse` on the bytes as SecretString and as SecretBinary.
func checkSettings(_ bytes: [UInt8], as target: FuzzTarget) {
    let binary = outcome(.binary(Sensitive(bytes)))
    if String(validating: bytes, as: UTF8.self) != nil {
        let string = outcome(.string(Sensitive(String(decoding: bytes, as: UTF8.self))))
        require(string == binary, target, "the secret as SecretString gives \(string), as SecretBinary \(binary)")
    }
    guard case .object(var fields)? = JSONValue.parse(bytes) else { return }
    switch binary {
    case .accepted:
        guard let settings = try? CCAFSettings.parse(.binary(Sensitive(bytes)), secretId: secretId) else { return }
        checkAcceptedSettings(settings, as: target)
    case .refused(let message):
        // The message may name keys and kinds, never a value: another API secret of the same
        // kind (a non-blank string) must leave it as it is.
        guard case .string(let secret)? = fields["flink.api.secret"], !secret.trimmed().isEmpty else { return }
        fields["flink.api.secret"] = .string("another-value-\(secret.count)")
        let other = outcome(.binary(Sensitive(Array(JSONValue.object(fields).jsonText.utf8))))
        require(other == .refused(message), target,
                "the value of flink.api.secret changes the error: \(shown(message)) and \(other)")
    }
}

private enum SettingsOutcome: Equatable, CustomStringConvertible {
    case accepted(fields: [String])
    case refused(String)

    var description: String {
        switch self {
        case .accepted(let fields): return "accepted \(fields.map { shown($0, limit: 40) })"
        case .refused(let message): return "refused: \(shown(message))"
        }
    }
}

private func outcome(_ secret: SecretValue) -> SettingsOutcome {
    do throws(LambdaError) {
        let settings = try CCAFSettings.parse(secret, secretId: secretId)
        return .accepted(fields: [
            settings.environmentId, settings.organizationId, settings.flinkAPIKey, settings.flinkAPISecret.value,
            settings.cloud, settings.region, settings.computePoolId, settings.principalId, settings.endpoint ?? "-",
        ])
    } catch {
        return .refused(error.errorType + ": " + error.message)
    }
}

private func checkAcceptedSettings(_ settings: CCAFSettings, as target: FuzzTarget) {
    for value in [settings.environmentId, settings.organizationId, settings.flinkAPIKey, settings.flinkAPISecret.value,
                  settings.cloud, settings.region, settings.computePoolId, settings.principalId] + (settings.endpoint.map { [$0] } ?? []) {
        require(!value.isEmpty && value == value.trimmed(), target, "accepted the setting \(shown(value))")
    }
    require(settings.cloud == settings.cloud.lowercased(), target, "the cloud \(shown(settings.cloud)) is not lower-case")
    require(FlinkEndpoint.isHostLabel(settings.cloud) && FlinkEndpoint.isHostLabel(settings.region), target,
            "accepted the cloud \(shown(settings.cloud)) and region \(shown(settings.region))")
    do throws(ConfluentError) {
        let endpoint = try FlinkEndpoint.resolve(
            override: settings.endpoint.map { ("flink.endpoint", $0) }, region: settings.region, cloud: settings.cloud)
        if settings.endpoint == nil {
            require(endpoint.scheme == .https && endpoint.port == nil
                    && endpoint.host == "flink.\(settings.region).\(settings.cloud).confluent.cloud",
                    target, "the settings lead to \(shown(endpoint.description))")
        } else {
            // Plain http only to a loopback address: the API key and secret are in every request.
            require(endpoint.scheme == .https || isLoopbackLiteral(endpoint.host), target,
                    "flink.endpoint \(shown(settings.endpoint ?? "")) is let through as plain http to \(shown(endpoint.host))")
        }
        checkEndpoint(endpoint, from: settings.endpoint ?? "", as: target)
    } catch {
        require(settings.endpoint != nil && error.kind == .invalidConfiguration && error.key == "flink.endpoint", target,
                "valid settings give no endpoint: \(shown(error.description))")
    }
}

/// What a parsed base URL must be: a host with nothing that could start a path, query, user
/// part or a second line, and a port in range.
func checkEndpoint(_ endpoint: HTTPEndpoint, from text: String, as target: FuzzTarget) {
    require(!endpoint.host.isEmpty, target, "\(shown(text)) gave an empty host")
    require(!endpoint.host.unicodeScalars.contains(where: { "/?#@ \\\r\n".unicodeScalars.contains($0) }), target,
            "\(shown(text)) gave the host \(shown(endpoint.host))")
    if let port = endpoint.port { require((1...65535).contains(port), target, "\(shown(text)) gave the port \(port)") }
    let url = HTTPRequest(method: "GET", endpoint: endpoint, path: "/x").url
    require(startsWith(url, endpoint.scheme.rawValue + "://") && endsWith(url, "/x"), target, "\(shown(text)) gave the URL \(shown(url))")
}

/// `localhost`, `[::1]` or an IPv4 address in 127.0.0.0/8, written as nothing else.
func isLoopbackLiteral(_ host: String) -> Bool {
    host == "localhost" || host == "[::1]"
        || (startsWith(host, "127.") && host.utf8.allSatisfy { $0 == UInt8(ascii: ".") || (0x30...0x39).contains($0) })
}
