import Confluent
import Foundation
import HTTP
import TestSupport
import Timing
import Redaction

/// One Confluent Flink emulator (`e2e/peers/confluent_peer.py`) per test, so that fault knobs
/// and request counts of tests running in parallel never mix. Call `stop()` when done.
final class EmulatorPeer: Sendable {
    let peer: PeerProcess

    init() throws {
        peer = try PeerProcess(script: "e2e/peers/confluent_peer.py")
    }

    var baseURL: String { peer["base_url"] }
    var secret: String { peer["secret"] }
    /// `/sql/v1/organizations/{org}/environments/{env}/statements`.
    var statementsPath: String { "/sql/v1/organizations/\(peer["org"])/environments/\(peer["env"])/statements" }

    func stop() { peer.stop() }

    /// A client of this emulator; fast retries, so that tests of retries stay quick.
    func client(
        secret: String? = nil, environmentId: String? = nil, logs: LogRecorder = LogRecorder(), maxAttempts: Int = 4,
        attemptTimeout: Duration = .seconds(10), listPageSize: Int = 100
    ) throws -> StatementsClient {
        StatementsClient(
            endpoint: try FlinkEndpoint.resolve(override: (key: "CCAF_FLINK_ENDPOINT", url: baseURL), region: "", cloud: ""),
            organizationId: peer["org"], environmentId: environmentId ?? peer["env"], apiKey: peer["key"],
            apiSecret: Sensitive(secret ?? self.secret), http: HTTPClient(userAgent: "ccaf-deploy-tests"),
            logger: logs.logger,
            retryBackoff: Backoff(initial: .milliseconds(20), multiplier: 2, maximum: .milliseconds(100), jitter: .full),
            maxAttempts: maxAttempts, attemptTimeout: attemptTimeout, listPageSize: listPageSize)
    }

    /// Calls a fault knob or an introspection member of the emulator.
    @discardableResult
    func call(_ method: String, _ args: Any..., kwargs: [String: Any] = [:]) throws -> Any? {
        try peer.call(method, args: args, kwargs: kwargs)
    }

    /// Requests whose method and path (a Python regex) match.
    func count(_ method: String, _ pathRegex: String) throws -> Int {
        try call("count_requests", method, pathRegex) as? Int ?? -1
    }

    /// Every stored statement as GET renders it, by name.
    func statements() throws -> [String: [String: Any]] {
        try call("statements") as? [String: [String: Any]] ?? [:]
    }

    /// The requests received, oldest first: method, path, query, headers, body, status.
    func requests() throws -> [[String: Any]] {
        try call("requests") as? [[String: Any]] ?? []
    }

    /// The JSON bodies of the requests with this method whose path ends with `pathSuffix`.
    func bodies(_ method: String, pathSuffix: String) throws -> [[String: Any]] {
        try requests().filter { $0["method"] as? String == method && ($0["path"] as? String ?? "").hasSuffix(pathSuffix) }
            .compactMap { request in
                (request["body"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            }
    }
}

enum SQL {
    static let sinkTable = """
        CREATE TABLE IF NOT EXISTS `flight_avro` (`departure_airport_code` STRING, `flight_number` STRING, \
        `airline` STRING) DISTRIBUTED BY (`departure_airport_code`, `flight_number`) INTO 1 BUCKETS \
        WITH ('key.format' = 'avro-registry', 'value.format' = 'avro-registry')
        """
    static let insert = """
        INSERT INTO `flight_avro` (`departure_airport_code`, `flight_number`, `airline`) \
        SELECT `departure_airport_code`, `flight_number`, 'SkyOne' AS `airline` FROM `skyone_avro` \
        UNION ALL SELECT `departure_airport_code`, `flight_number`, 'Sunset' AS `airline` FROM `sunset_avro`
        """
    /// An unbounded statement that needs no sink: it runs until stopped.
    static let streamingSelect = "SELECT * FROM `skyone_avro`"
    static let otherStreamingSelect = "SELECT * FROM `sunset_avro`"
}

extension Deadline {
    static var generous: Deadline { .after(.seconds(20)) }
}

/// Polls `check` every 50 ms until it returns a value or `timeout` passes.
func eventually<Value>(timeout: Duration = .seconds(5), _ check: () throws -> Value?) throws -> Value? {
    let deadline = Deadline.after(timeout)
    repeat {
        if let value = try check() { return value }
        sleep(for: .milliseconds(50))
    } while !deadline.hasPassed
    return try check()
}
