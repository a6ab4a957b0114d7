import HTTP
import JSON

/// A Confluent failure, with what a user needs to act on it: what failed, the statement,
/// Confluent's own words (every `errors[].detail`, `status.detail`, the newest exceptions), the
/// `X-Request-Id` that support asks for, and what to do. It never holds the API secret or the
/// Authorization header: requests are not kept, only statuses, headers named here and bodies
/// Confluent sent.
public struct ConfluentError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure, for the app to choose its `Function.<Reason>`.
    public enum Kind: Sendable, Equatable {
        /// A configuration value is unusable (endpoint URL, region, cloud); `key` names it, so the
        /// app can report `Function.InvalidSecret` for a key of the secret.
        case invalidConfiguration
        /// Confluent refused the API key (401) or its permissions (403): `Function.ConfluentAuth`.
        case unauthorized
        /// The request is invalid and would be again: refused before sending (a bad statement
        /// name) or by Confluent (400, 422). `Function.ConfluentError`.
        case invalidRequest
        /// The statement name belongs to a statement with other SQL. `Function.ConfluentError`.
        case nameConflict
        /// Any other failure to use the API: another status, no answer, rate limited until the
        /// deadline, a body that is not what the API promises. `Function.ConfluentError`.
        case api
        /// The statement cannot reach the phase asked for: FAILED, FAILING, DEGRADED, its compute
        /// pool exhausted, stopped, deleted. `Function.StatementFailed`.
        case statementFailed
        /// The deadline passed first; statements are left in place. `Function.DeployTimeout`.
        case timeout
    }

    public let kind: Kind
    /// What failed, as a sentence start: "Creating statement 'x' failed: HTTP 422 from Confluent".
    public let message: String
    /// The statement concerned, if any.
    public let statement: String?
    /// The configuration key at fault (`flink.region`, `CCAF_FLINK_ENDPOINT`), for `.invalidConfiguration`.
    public let key: String?
    /// The HTTP status Confluent answered, if it answered.
    public let status: Int?
    /// Confluent's explanations: every `errors[].detail`, or the statement's detail and exceptions.
    public let details: [String]
    public let requestId: String?
    /// The statement's last known phase, for `.statementFailed` and `.timeout`.
    public let phase: Phase?
    /// What to do about it.
    public let advice: String?

    init(kind: Kind, message: String, statement: String? = nil, key: String? = nil, status: Int? = nil,
         details: [String] = [], requestId: String? = nil, phase: Phase? = nil, advice: String? = nil) {
        self.kind = kind
        self.message = message
        self.statement = statement
        self.key = key
        self.status = status
        self.details = details
        self.requestId = requestId
        self.phase = phase
        self.advice = advice
    }

    public var description: String {
        var text = message
        if !details.isEmpty { text += ": " + details.joined(separator: "; ") }
        if let requestId { text += " [X-Request-Id \(requestId)]" }
        if let advice { text += (text.hasSuffix(".") ? " " : ". ") + advice }
        return text
    }
}

extension ConfluentError {
    static func invalidConfiguration(key: String, problem: String) -> ConfluentError {
        ConfluentError(kind: .invalidConfiguration, message: "The Confluent setting '\(key)' is invalid: \(problem)",
                       key: key, advice: "Correct '\(key)' and try again")
    }

    /// Confluent answered with an error status that this client does not handle itself.
    static func response(_ response: HTTPResponse, _ call: APICall) -> ConfluentError {
        let status = response.status
        let kind: Kind
        let advice: String
        switch status {
        case 401:
            kind = .unauthorized
            advice = "Check flink.api.key and flink.api.secret: they must be a Flink API key (not a Cloud or "
                + "Kafka key) created for this environment's Flink region"
        case 403:
            kind = .unauthorized
            advice = "Give the API key's owner a role that may manage Flink statements in this environment "
                + "(FlinkDeveloper or FlinkAdmin), or use a key of a principal that has one"
        case 400, 422:
            kind = .invalidRequest
            advice = "Correct what Confluent names above; sending the same request again will fail again"
        case 404:
            kind = .api
            advice = "Check organization.id, environment.id and that the endpoint is this environment's Flink region"
        case 429:
            kind = .api
            advice = "Confluent kept rate-limiting until waiting for another attempt (its Retry-After or the "
                + "backoff) would pass the deadline; deploy again later"
        case 500...599:
            kind = .api
            advice = "Confluent had a server-side problem; deploy again (statement names make that safe)"
        default:
            kind = .api
            advice = "See Confluent's explanation above"
        }
        return ConfluentError(
            kind: kind, message: "\(call.description) failed: HTTP \(status) from Confluent",
            statement: call.statement, status: status, details: FailureBody.details(of: response),
            requestId: response.headers["X-Request-Id"], advice: advice)
    }

    /// No answer: the connection failed, broke or timed out.
    static func transport(_ error: HTTPError, _ call: APICall, deadlinePassed: Bool) -> ConfluentError {
        if deadlinePassed, error.kind == .timedOut {
            return ConfluentError(
                kind: .timeout, message: "\(call.description) failed: the deadline passed before Confluent answered",
                statement: call.statement,
                advice: "Allow more time, or check why \(error.endpoint) answers slowly")
        }
        return ConfluentError(
            kind: .api, message: "\(call.description) failed: no answer from Confluent (\(error.detail))",
            statement: call.statement,
            advice: "Check network access to \(error.endpoint) (VPC egress, NAT, private networking, flink.endpoint)")
    }

    /// A success status with a body that is not what the API documents.
    static func malformed(_ response: HTTPResponse, _ call: APICall, expected: String) -> ConfluentError {
        ConfluentError(
            kind: .api, message: "\(call.description) failed: HTTP \(response.status) from Confluent without \(expected)",
            statement: call.statement, status: response.status, details: FailureBody.details(of: response),
            requestId: response.headers["X-Request-Id"],
            advice: "Check that the endpoint is the Confluent Cloud Flink statements API")
    }

    /// The same error, saying how many attempts were made when there were several.
    func after(attempts: Int) -> ConfluentError {
        guard attempts > 1 else { return self }
        return ConfluentError(kind: kind, message: message + " (\(attempts) attempts)", statement: statement, key: key,
                              status: status, details: details, requestId: requestId, phase: phase, advice: advice)
    }

    /// The deadline passed between requests (before one could be sent).
    static func deadlinePassed(_ call: APICall) -> ConfluentError {
        ConfluentError(kind: .timeout, message: "\(call.description) failed: the deadline passed",
                       statement: call.statement, advice: "Allow more time")
    }
}

/// One API call, named for messages and logs.
struct APICall: CustomStringConvertible, Sendable {
    /// "Creating statement 'x'".
    let description: String
    let statement: String?

    static func create(_ name: String) -> APICall { APICall(description: "Creating statement '\(name)'", statement: name) }
    static func read(_ name: String) -> APICall { APICall(description: "Reading statement '\(name)'", statement: name) }
    static func stop(_ name: String) -> APICall { APICall(description: "Stopping statement '\(name)'", statement: name) }
    static func resume(_ name: String) -> APICall { APICall(description: "Resuming statement '\(name)'", statement: name) }
    static func delete(_ name: String) -> APICall { APICall(description: "Deleting statement '\(name)'", statement: name) }
    static func exceptions(_ name: String) -> APICall {
        APICall(description: "Reading the exceptions of statement '\(name)'", statement: name)
    }
    static let list = APICall(description: "Listing statements", statement: nil)
}

/// OAS `Failure`: `{"errors": [{"id", "status", "code", "title", "detail", "source"}]}`, every
/// field optional (a real 409 carries only id, status, detail and an empty source).
package struct FailureBody: Decodable {
    let errors: [Entry]?

    struct Entry: Decodable {
        let code: String?
        let title: String?
        let detail: String?
        let source: Source?
    }

    struct Source: Decodable {
        let pointer: String?
        let parameter: String?
    }

    /// Every error's detail (else title, else code) with where it points; for a body that is
    /// not a `Failure`, the start of its text, so that a proxy's error page is still shown.
    package static func details(of response: HTTPResponse) -> [String] {
        if let failure = try? JSONValue.decode(FailureBody.self, from: response.body), let errors = failure.errors {
            return errors.compactMap { entry in
                guard var text = [entry.detail, entry.title, entry.code].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
                    return nil
                }
                if let pointer = entry.source?.pointer, !pointer.isEmpty {
                    text += " (at \(pointer))"
                } else if let parameter = entry.source?.parameter, !parameter.isEmpty {
                    text += " (parameter \(parameter))"
                }
                return text
            }
        }
        let words = response.bodyText.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard !words.isEmpty else { return [] }
        return [words.count > 300 ? String(words.prefix(300)) + "…" : words]
    }
}
