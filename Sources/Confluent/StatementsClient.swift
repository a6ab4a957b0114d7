import HTTP
import JSON
import Logging
import Timing
import Redaction
import Text

/// The Confluent Cloud for Apache Flink statements API (sql/v1) of one environment: create,
/// read, list, stop, delete statements, read their exceptions, and wait for a phase.
///
/// Every call is blocking and bounded by a deadline: each attempt's timeout is cut to the time
/// left, and no pause before a retry runs past it. Requests that are safe to repeat
/// (GET, DELETE, the reads around a PUT) are retried on 429, 5xx and lost connections, after
/// `Retry-After` when Confluent sends it and a jittered backoff otherwise. A POST is never sent
/// again blindly: see `create(_:deadline:)`. Not thread-safe, like the `HTTPClient` it uses.
public final class StatementsClient {
    /// Retries of failed requests: 0.25 s to 10 s, doubling, full jitter.
    public static let defaultRetryBackoff = Backoff(initial: .milliseconds(250), multiplier: 2, maximum: .seconds(10), jitter: .full)

    public let endpoint: HTTPEndpoint
    public let organizationId: String
    public let environmentId: String
    let http: HTTPClient
    let logger: Logger
    let retryBackoff: Backoff
    let maxAttempts: Int
    let attemptTimeout: Duration
    let listPageSize: Int
    /// `Basic base64(key:secret)`, built once; never printed.
    private let authorization: Sensitive<String>
    /// `/sql/v1/organizations/{org}/environments/{env}/statements`.
    let statementsPath: String

    /// - Parameters:
    ///   - endpoint: from `FlinkEndpoint.resolve`.
    ///   - apiKey, apiSecret: a Flink API key of the environment's region (HTTP Basic).
    ///   - retryBackoff: the pause before retrying a failed request when Confluent asks for none.
    ///   - maxAttempts: tries per request (and re-sends per create or stop), at least 1.
    ///   - attemptTimeout: the longest one request may take, before the deadline cuts it.
    ///   - listPageSize: statements per page when listing (1–100).
    public init(
        endpoint: HTTPEndpoint, organizationId: String, environmentId: String, apiKey: String,
        apiSecret: Sensitive<String>, http: HTTPClient, logger: Logger,
        retryBackoff: Backoff = StatementsClient.defaultRetryBackoff, maxAttempts: Int = 6,
        attemptTimeout: Duration = .seconds(30), listPageSize: Int = 100
    ) {
        self.endpoint = endpoint
        self.organizationId = organizationId
        self.environmentId = environmentId
        self.http = http
        self.logger = logger
        self.retryBackoff = retryBackoff
        self.maxAttempts = max(1, maxAttempts)
        self.attemptTimeout = attemptTimeout
        self.listPageSize = min(100, max(1, listPageSize))
        authorization = Sensitive("Basic " + Base64.encode("\(apiKey):\(apiSecret.value)".utf8))
        statementsPath = "/sql/v1/organizations/\(PercentEncoding.encode(organizationId))"
            + "/environments/\(PercentEncoding.encode(environmentId))/statements"
    }

    func statementPath(_ name: String) -> String { statementsPath + "/" + PercentEncoding.encode(name) }

    /// One attempt: Confluent's answer, or why there was none.
    func exchange(
        _ method: String, _ path: String, query: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        freshConnection: Bool = false, deadline: Deadline, call: APICall
    ) throws(ConfluentError) -> Result<HTTPResponse, HTTPError> {
        guard !deadline.hasPassed else { throw .deadlinePassed(call) }
        var headers = HTTPHeaders([("Authorization", authorization.value), ("Accept", "application/json")])
        if body != nil { headers.add("Content-Type", "application/json") }
        var request = HTTPRequest(method: method, endpoint: endpoint, path: path, query: query, headers: headers,
                                  body: body ?? [], timeout: min(attemptTimeout, deadline.remaining))
        request.connectTimeout = min(request.connectTimeout, deadline.remaining)
        request.requiresFreshConnection = freshConnection
        do {
            let response = try http.send(request)
            logger.debug("Confluent answered", metadata: [
                "request": "\(method) \(path)", "status": "\(response.status)",
                "confluentRequestId": "\(response.headers["X-Request-Id"] ?? "-")",
            ])
            return .success(response)
        } catch {
            logger.debug("Confluent did not answer", metadata: ["request": "\(method) \(path)", "error": "\(error.detail)"])
            if error.kind == .timedOut, let timeout = request.timeout, timeout < attemptTimeout {
                // The deadline cut this attempt; libcurl's timer can fire a hair early, and
                // callers tell "the deadline passed" from "Confluent is slow" by the deadline.
                sleep(for: deadline.remaining)
            }
            return .failure(error)
        }
    }

    /// Sends a request that is safe to repeat until Confluent answers with anything but 429 or
    /// a retryable 5xx, and returns that answer for the caller to judge (404 may be fine).
    func sendRepeatable(
        _ method: String, _ path: String, query: [(name: String, value: String)] = [],
        deadline: Deadline, call: APICall
    ) throws(ConfluentError) -> HTTPResponse {
        try retrying(before: deadline) { _ throws(ConfluentError) in
            switch try exchange(method, path, query: query, deadline: deadline, call: call) {
            case .success(let response):
                guard Self.isRetryable(status: response.status) else { return .finished(response) }
                return .failed(.response(response, call), requestedDelay: Self.retryAfter(response))
            case .failure(let error):
                let failure = ConfluentError.transport(error, call, deadlinePassed: deadline.hasPassed)
                guard failure.kind != .timeout, error.kind != .responseTooLarge else { throw failure }
                return .failed(failure)
            }
        }
    }

    /// Confluent's requests on the one retry loop: this client's backoff and attempts, each
    /// retry logged, and the last failure saying how many attempts were made.
    func retrying<Value>(
        before deadline: Deadline, _ attempt: (_ number: Int) throws(ConfluentError) -> Attempt<Value, ConfluentError>
    ) throws(ConfluentError) -> Value {
        try retryBackoff.retrying(
            upTo: maxAttempts, before: deadline,
            onRetry: { failure, attempt, delay in
                logger.warning("Confluent request failed; retrying", metadata: [
                    "statement": "\(failure.statement ?? "-")", "attempt": "\(attempt)", "delayMs": "\(delay.wholeMilliseconds)",
                    "error": "\(failure)",
                ])
            },
            giveUp: { failure, attempts in failure.after(attempts: attempts) },
            attempt)
    }

    /// 429 was not processed; 5xx other than 501 (not implemented) may pass.
    static func isRetryable(status: Int) -> Bool {
        status == 429 || status == 500 || status == 502 || status == 503 || status == 504
    }

    /// `Retry-After` in seconds (the form Confluent uses); an HTTP date is left to the backoff.
    /// Any number is accepted: one longer than a day is a day, which no deadline reaches anyway.
    static func retryAfter(_ response: HTTPResponse) -> Duration? {
        guard let text = response.headers["Retry-After"], let seconds = Double(text.trimmed()), seconds >= 0,
              seconds.isFinite else { return nil }
        return .milliseconds(Int64((min(seconds, longestRetryAfter) * 1000).rounded(.up)))
    }

    static let longestRetryAfter: Double = 86_400

    /// Decodes a success body, or throws `.malformed` saying what was expected.
    func decode<Value: Decodable>(_ type: Value.Type, from response: HTTPResponse, call: APICall, expected: String) throws(ConfluentError) -> Value {
        do {
            return try JSONValue.decode(type, from: response.body)
        } catch {
            throw .malformed(response, call, expected: expected)
        }
    }

    /// JSON with sorted keys. Only string maps, strings, booleans and JSON values are sent:
    /// encoding cannot fail.
    static func encode(_ value: some Encodable) -> [UInt8] {
        Array(((try? JSONValue(encoding: value)) ?? .object([:])).jsonText.utf8)
    }
}
