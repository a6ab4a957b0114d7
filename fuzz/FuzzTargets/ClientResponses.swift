import Deployment
import AWS
import Confluent
import HTTP
import JSON
import KafkaProperties
import LambdaRuntime
import Logging
import TestSupport
import Timing
import Redaction
import Text

/// Target `client-responses`: the real clients, over libcurl, against a loopback peer that sends
/// the fuzzed response. The input is text: the operation (a name below; anything else picks one
/// from the input), the status (200–599; anything else is reduced into that range), `Name: value`
/// header lines up to an empty line, then the body. Framing headers (`Content-Length`,
/// `Transfer-Encoding`, `Connection`) are set by the peer. Every request of the operation gets
/// the same answer; clients make one attempt, so nothing sleeps.
///
/// This reaches what no public function exposes alone: `HTTPClient`'s header parsing,
/// `AWSErrorBody.parse`, `ConfluentError.response` and `FailureBody`, `Retry-After`, page
/// tokens, the create reconciliation, the Runtime API client.
///
/// Properties: no crash; no error, log line or result shows a credential (the AWS secret key and
/// session token, the Confluent API secret or its Basic token, the container authorization
/// token) unless the response itself holds it; `Function.*` errors are valid Runtime API error
/// bodies; a statement decoded from the response survives encode and decode; properties read
/// through Secrets Manager and SSM render to text that `Properties.load` reads back.
public func fuzzClientResponses(_ data: UnsafeRawBufferPointer) {
    let input = ClientInput(data.byteArray)
    let peer = LoopbackPeer.shared
    peer.answer(with: LoopbackPeer.response(status: input.status, headerLines: input.head.headLines, body: input.head.body))
    let logs = LogRecorder()
    let run = ClientRun(peer: peer, logs: logs, input: input)
    let outcome = run.perform()
    run.checkNoCredentials(in: outcome)
    for line in logs.lines { run.checkNoCredentials(in: line, what: "a log line") }
}

/// The operations, by the name the input's first line gives.
enum ClientOperation: String, CaseIterable {
    case getSecretValue = "secretsmanager.GetSecretValue"
    case getParametersByPath = "ssm.GetParametersByPath"
    case kafkaProperties = "kafka.read"
    case containerCredentials = "credentials.container"
    case getStatement = "confluent.get"
    case listStatements = "confluent.list"
    case statementExceptions = "confluent.exceptions"
    case deleteStatement = "confluent.delete"
    case stopStatement = "confluent.stop"
    case resumeStatement = "confluent.resume"
    case createStatement = "confluent.create"
    case runtimeNext = "runtime.next"
}

struct ClientInput {
    let operation: ClientOperation
    let status: Int
    let head: HeadAndBody
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let firstEnd = bytes.firstIndex(of: 0x0A) ?? bytes.count
        let name = String(decoding: bytes[..<firstEnd], as: UTF8.self).trimmed()
        let afterFirst = min(bytes.count, firstEnd + 1)
        let secondEnd = bytes[afterFirst...].firstIndex(of: 0x0A) ?? bytes.count
        let statusText = String(decoding: bytes[afterFirst..<secondEnd], as: UTF8.self).trimmed()
        operation = ClientOperation(rawValue: name)
            ?? ClientOperation.allCases[Int(fnv1a(name.utf8) % UInt64(ClientOperation.allCases.count))]
        var status = Int(statusText.prefix(9)).map { (200...599).contains($0) ? $0 : 200 + abs($0 % 400) } ?? 200
        if status == 204 || status == 304 { status = 200 }  // no body allowed
        if operation == .runtimeNext, status != 200, status < 500 {
            status = status < 300 ? 200 : 500  // /next sleeps 20 ms and retries on anything else
        }
        self.status = status
        head = HeadAndBody(bytes[min(bytes.count, secondEnd + 1)...])
    }
}

/// Credentials the clients hold; none may appear in what they report.
private enum Credentials {
    static let awsAccessKeyId = "AKIDFUZZEXAMPLE"
    static let awsSecretKey = "fuzzSecretKey/K7MDENG+bPxRfiCYEXAMPLE"
    static let awsSessionToken = "FwoGZXIvYXdzFuzzSessionToken//////////wEaDH"
    static let confluentKey = "FLINKFUZZKEY0001"
    static let confluentSecret = "flink-secret/Qx9+fuzz-not-for-logs"
    static let containerToken = "container-token-Zm9vYmFyYmF6"

    static var all: [String] {
        let basic = Array("\(confluentKey):\(confluentSecret)".utf8)
        return [awsSecretKey, awsSessionToken, confluentSecret, base64(basic), containerToken]
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[Int((value >> (18 - 6 * UInt32(position))) & 63)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

private struct ClientRun {
    let peer: LoopbackPeer
    let logs: LogRecorder
    let input: ClientInput
    let target = FuzzTarget.clientResponses
    var deadline: Deadline { .after(.seconds(10)) }
    var baseURL: String { "http://127.0.0.1:\(peer.port)" }

    var awsEnvironment: [String: String] {
        ["AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": baseURL, "AWS_ACCESS_KEY_ID": Credentials.awsAccessKeyId,
         "AWS_SECRET_ACCESS_KEY": Credentials.awsSecretKey, "AWS_SESSION_TOKEN": Credentials.awsSessionToken]
    }

    func awsClient(_ service: AWSService) -> AWSJSONClient {
        let http = HTTPClient(userAgent: "ccaf-deploy-fuzz")
        let configuration: AWSServiceConfiguration
        do {
            configuration = try AWSServiceConfiguration(service: service, environment: awsEnvironment)
        } catch {
            fatalError("the fuzz target's AWS configuration is invalid: \(error)")
        }
        return AWSJSONClient(
            configuration: configuration, credentials: CredentialChain(environment: awsEnvironment, http: http), http: http,
            retry: RetryPolicy(maxAttempts: 1), logger: logs.logger, attemptTimeout: .seconds(5))
    }

    func statements() -> StatementsClient {
        StatementsClient(
            endpoint: HTTPEndpoint(scheme: .http, host: "127.0.0.1", port: peer.port), organizationId: "org-fuzz",
            environmentId: "env-fuzz", apiKey: Credentials.confluentKey, apiSecret: Sensitive(Credentials.confluentSecret),
            http: HTTPClient(userAgent: "ccaf-deploy-fuzz"), logger: logs.logger, maxAttempts: 1, attemptTimeout: .seconds(5))
    }

    /// Runs the operation; returns what it reported (result or error), as text.
    func perform() -> String {
        let statementName = "flight-consolidator-insert-0123abcd"
        switch input.operation {
        case .getSecretValue:
            let secretId = "ccaf/prod/settings"
            do throws(SecretsManagerError) {
                let secret = try SecretsManagerClient(client: awsClient(.secretsManager)).getSecretValue(secretId, deadline: deadline)
                do throws(LambdaError) {
                    let settings = try CCAFSettings.parse(secret, secretId: secretId)
                    return "settings for \(settings.environmentId) \(settings.cloud) \(settings.region) \(settings.endpoint ?? "")"
                } catch {
                    checkErrorBody(error, as: target)
                    return error.json
                }
            } catch {
                return error.description
            }
        case .getParametersByPath:
            do throws(ParameterStoreError) {
                let found = try ParameterStoreClient(client: awsClient(.ssm)).parameters(
                    under: "/confluent_cloud_resource/svc/consumer_kafka_client", recursive: false, deadline: deadline)
                return "parameters \(found.map(\.name)) \(found.map(\.kind)) \(found.map { $0.version ?? -1 })"
            } catch {
                return error.description
            }
        case .kafkaProperties:
            let reader = KafkaClientPropertiesReader(
                secrets: SecretsManagerClient(client: awsClient(.secretsManager)),
                parameters: ParameterStoreClient(client: awsClient(.ssm)), logger: logs.logger)
            do throws(KafkaPropertiesError) {
                let location: KafkaPropertiesLocation
                do {
                    location = try KafkaPropertiesLocation(user: "svc_flights")
                } catch {
                    fatalError("the fuzz target's location is invalid: \(error)")
                }
                let properties = try reader.read(location, kind: .consumer, deadline: deadline)
                checkProperties(properties, comment: "Kafka consumer properties for svc_flights", as: target)
                return "\(properties.count) properties"
            } catch {
                return error.description
            }
        case .containerCredentials:
            let http = HTTPClient(userAgent: "ccaf-deploy-fuzz")
            let chain = CredentialChain(environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": baseURL + "/v2/credentials/fuzz",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": Credentials.containerToken,
                "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/ccaf-fuzz/credentials",
            ], http: http)
            do throws(CredentialsError) {
                let found = try chain.credentials()
                return "credentials \(found.accessKeyId) \(found) \(found.expirationEpochMilliseconds.map { "\($0)" } ?? "")"
            } catch {
                return error.description
            }
        case .getStatement:
            return confluent { (client) throws(ConfluentError) -> String in
                let statement = try client.get(statementName, deadline: deadline)
                if let statement { checkStatementRoundTrip(statement, as: target) }
                return "statement \(statement?.name ?? "none") \(statement?.phase.description ?? "")"
            }
        case .listStatements:
            return confluent { (client) throws(ConfluentError) -> String in
                let statements = try client.list(labelSelector: "user.confluent.io/pipeline=flight-consolidator", deadline: deadline)
                for statement in statements { checkStatementRoundTrip(statement, as: target) }
                return "statements \(statements.map(\.name))"
            }
        case .statementExceptions:
            return confluent { (client) throws(ConfluentError) -> String in
                let exceptions = try client.exceptions(statementName, deadline: deadline)
                return "exceptions \(exceptions.map { "\($0.name ?? "") \($0.message ?? "") \($0.timestamp ?? "")" })"
            }
        case .deleteStatement:
            return confluent { (client) throws(ConfluentError) -> String in
                try client.delete(statementName, deadline: deadline)
                return "deleted"
            }
        case .stopStatement:
            return confluent { (client) throws(ConfluentError) -> String in "stopped \(try client.stop(statementName, deadline: deadline))" }
        case .resumeStatement:
            return confluent { (client) throws(ConfluentError) -> String in "resumed \(try client.resume(statementName, deadline: deadline))" }
        case .createStatement:
            return confluent { (client) throws(ConfluentError) -> String in
                let new = NewStatement(
                    name: statementName, sql: "INSERT INTO `flight_avro` SELECT * FROM `skyone_avro`", computePoolId: "lfcp-fuzz",
                    principal: "sa-fuzz", properties: ["sql.current-catalog": "env-fuzz"], labels: ["user.confluent.io/pipeline": "fuzz"])
                let statement = try client.create(new, deadline: deadline)
                checkStatementRoundTrip(statement, as: target)
                return "created \(statement.name) \(statement.phase)"
            }
        case .runtimeNext:
            let api: RuntimeAPIClient
            do {
                api = try RuntimeAPIClient(address: "127.0.0.1:\(peer.port)", userAgent: AppIdentity.userAgent)
            } catch {
                fatalError("the fuzz target's Runtime API address is invalid: \(error)")
            }
            do throws(RuntimeAPIUnavailable) {
                let invocation = try api.next()
                guard let requestId = invocation.headers["Lambda-Runtime-Aws-Request-Id"], !requestId.isEmpty,
                      let (path, error) = invoke(headers: invocation.headers, event: invocation.event, as: target) else {
                    return "no request id"
                }
                let outcome: PostOutcome
                if let error {
                    outcome = try api.reportError(error, for: requestId, deadline: .after(.seconds(5)))
                } else {
                    outcome = try api.respond(to: requestId, body: Array(#"{"statusCode":200}"#.utf8), deadline: .after(.seconds(5)))
                }
                let posted = peer.received.last.map { request in
                    String(decoding: request.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
                } ?? ""
                require(posted == "POST " + path + " HTTP/1.1", target, "the result went to \(shown(posted)), not \(shown(path))")
                return "posted \(outcome)"
            } catch {
                return error.description
            }
        }
    }

    func confluent(_ operation: (StatementsClient) throws(ConfluentError) -> String) -> String {
        do throws(ConfluentError) {
            return try operation(statements())
        } catch {
            if error.kind == .unauthorized {
                require(error.status == 401 || error.status == 403, target, "\(error.kind) with HTTP \(error.status.map { "\($0)" } ?? "none")")
            }
            if let status = error.status, status == 401 || status == 403 {
                require(error.kind == .unauthorized, target, "HTTP \(status) reported as \(error.kind): \(shown(error.description))")
            }
            return error.description + " " + error.details.joined(separator: " ") + " " + (error.requestId ?? "")
        }
    }

    /// No credential shows unless the response itself carries it.
    func checkNoCredentials(in text: String, what: String = "the outcome") {
        for credential in Credentials.all where containsBytes(text, credential) {
            require(containsBytes(String(decoding: input.bytes, as: UTF8.self), credential), target,
                    "\(what) shows a credential: \(shown(text, limit: 600))")
        }
    }
}
