@testable import AWS
import Foundation
import HTTP
import Logging
import TestSupport
import Testing
import Timing

/// The JSON client against scripted peers that throttle, fail and go silent.
@Suite struct RetryTests {
    static let secretBody = #"{"Name":"s","SecretString":"{}"}"#

    private func client(_ peer: PeerProcess, maxAttempts: Int = 3, attemptTimeout: Duration = .seconds(10)) throws -> SecretsManagerClient {
        let environment = ["AWS_ENDPOINT_URL": peer["endpoint"], "AWS_REGION": "us-east-1",
                           "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"]
        let http = HTTPClient(userAgent: "tests")
        let fastBackoff = Backoff(initial: .milliseconds(50), multiplier: 2, maximum: .milliseconds(200), jitter: .full)
        return SecretsManagerClient(client: AWSJSONClient(
            configuration: try AWSServiceConfiguration(service: .secretsManager, environment: environment),
            credentials: CredentialChain(environment: environment, http: http), http: http,
            retry: RetryPolicy(maxAttempts: maxAttempts, backoff: fastBackoff),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), attemptTimeout: attemptTimeout))
    }

    private func script(_ answers: [[String: Any]]) throws -> PeerProcess {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: answers), as: UTF8.self)
        return try PeerProcess(script: "e2e/peers/fault_server.py", arguments: [json])
    }

    private func received(_ peer: PeerProcess) throws -> [[String: Any]] {
        let request = HTTPRequest(method: "GET", endpoint: try HTTPEndpoint(parsing: peer["endpoint"]), path: "/_requests")
        let response = try HTTPClient(userAgent: "tests").send(request)
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
    }

    @Test func throttlingAndServerErrorsAreRetriedUntilSuccess() throws {
        let peer = try script([
            ["status": 400, "body": #"{"__type":"com.amazonaws.secretsmanager#ThrottlingException","message":"Rate exceeded"}"#],
            ["status": 503, "body": "<html><body>Service Unavailable</body></html>"],
            ["status": 200, "body": Self.secretBody],
        ])
        defer { peer.stop() }
        _ = try client(peer).getSecretValue("s", deadline: .after(.seconds(10)))
        let requests = try received(peer)
        #expect(requests.count == 3)
        // Every attempt carries its own signature, made when it was sent.
        let authorizations = requests.compactMap { ($0["headers"] as? [String: String])?["authorization"] }
        #expect(authorizations.count == 3)
    }

    @Test func theLastErrorIsReportedWhenAttemptsRunOut() throws {
        let peer = try script([
            ["status": 500, "body": #"{"__type":"InternalServiceError","Message":"try later"}"#, "headers": ["x-amzn-RequestId": "req-500"]],
        ])
        defer { peer.stop() }
        let error = try #require(throws: SecretsManagerError.self) {
            try client(peer).getSecretValue("s", deadline: .after(.seconds(10)))
        }
        #expect(try received(peer).count == 3)
        #expect(error.underlying.code == "InternalServiceError")
        #expect(error.description.contains("try later"))
        #expect(error.description.contains("after 3 attempts"))
        #expect(error.description.contains("request id req-500"))
    }

    @Test func clientErrorsAreNotRetried() throws {
        let peer = try script([["status": 400, "body": #"{"__type":"InvalidParameterException","message":"bad id"}"#]])
        defer { peer.stop() }
        _ = try #require(throws: SecretsManagerError.self) {
            try client(peer).getSecretValue("s", deadline: .after(.seconds(10)))
        }
        #expect(try received(peer).count == 1)
    }

    @Test func aDroppedConnectionIsRetried() throws {
        let peer = try script([["drop": true], ["status": 200, "body": Self.secretBody]])
        defer { peer.stop() }
        _ = try client(peer).getSecretValue("s", deadline: .after(.seconds(10)))
        #expect(try received(peer).count == 2)
    }

    @Test func aSilentPeerCannotHoldTheCallPastTheDeadline() throws {
        let peer = try script([["hang": true]])
        defer { peer.stop() }
        let started = ContinuousClock.now
        let error = try #require(throws: SecretsManagerError.self) {
            try client(peer, maxAttempts: 5).getSecretValue("s", deadline: .after(.milliseconds(1500)))
        }
        let elapsed = ContinuousClock.now - started
        // An attempt cut short by the caller's deadline is the deadline's doing (8646e13).
        guard case .deadlineExceeded = error.underlying.failure else {
            Issue.record("expected the deadline to be named, got \(error)")
            return
        }
        #expect(elapsed < .seconds(3), "the 1.5 s deadline was not honoured (\(elapsed))")
    }

    @Test func aSlowAttemptTimesOutAndTheNextSucceeds() throws {
        let peer = try script([["hang": true], ["status": 200, "body": Self.secretBody]])
        defer { peer.stop() }
        _ = try client(peer, attemptTimeout: .milliseconds(300)).getSecretValue("s", deadline: .after(.seconds(10)))
        #expect(try received(peer).count == 2)
    }
}
