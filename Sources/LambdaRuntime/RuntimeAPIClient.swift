import HTTP
import Timing

/// The Runtime API can no longer be used: it answered 500 ("Container error. Non-recoverable
/// state. Runtime should exit promptly.") or it is gone. The process must exit.
public struct RuntimeAPIUnavailable: Error, CustomStringConvertible {
    public let description: String
}

/// How the Runtime API took a posted result.
public enum PostOutcome: Equatable, Sendable {
    case accepted
    /// 400 (not the current invocation), 403 (already answered) or 413 (too large): nothing to
    /// retry, the runtime goes on to the next invocation.
    case rejected(status: Int, detail: String)
}

/// One invocation as `/next` delivered it.
public struct NextInvocation: Sendable {
    public let event: [UInt8]
    public let headers: HTTPHeaders
}

/// The Runtime API, version 2018-06-01, over one kept-alive connection.
public final class RuntimeAPIClient {
    private let http: HTTPClient
    private let endpoint: HTTPEndpoint
    private static let base = "/2018-06-01/runtime"

    /// `address` is `AWS_LAMBDA_RUNTIME_API`: `host:port`.
    public init(address: String, userAgent: String) throws(HTTPEndpoint.InvalidURL) {
        endpoint = try HTTPEndpoint(parsing: "http://\(address)")
        http = HTTPClient(userAgent: userAgent, maximumResponseSize: 7 * 1024 * 1024)
    }

    /// Blocks until Lambda has an invocation. No timeout: the process may be frozen in this call
    /// for minutes. A lost connection is tried twice more (libcurl can fail once after a thaw);
    /// then, or on a 500, the API is considered gone.
    public func next() throws(RuntimeAPIUnavailable) -> NextInvocation {
        var lastFailure = ""
        for _ in 1...3 {
            let request = HTTPRequest(method: "GET", endpoint: endpoint, path: "\(Self.base)/invocation/next",
                                      connectTimeout: .seconds(1), timeout: nil)
            let response: HTTPResponse
            do {
                response = try http.send(request)
            } catch {
                lastFailure = "GET /next failed: \(error.detail)"
                if error.kind == .connectionFailed { break }
                continue
            }
            if response.status == 200 {
                return NextInvocation(event: response.body, headers: response.headers)
            }
            lastFailure = "GET /next answered HTTP \(response.status): \(response.bodyText.prefix(300))"
            if response.status >= 500 { break }
            sleep(for: .milliseconds(20))
        }
        throw RuntimeAPIUnavailable(description: lastFailure)
    }

    /// The least time a result POST gets, even when the invocation's deadline has passed.
    static let minimumPostTimeout: Duration = .seconds(1)
    /// Lambda's limit on the init phase: a start-up failure is reported within it.
    static let initPostTimeout: Duration = .seconds(10)

    /// Posts the invocation's result; it may take until the invocation's deadline (at least a second).
    public func respond(to requestId: String, body: [UInt8], deadline: Deadline) throws(RuntimeAPIUnavailable) -> PostOutcome {
        try post("\(Self.base)/invocation/\(PercentEncoding.encode(requestId))/response",
                 headers: HTTPHeaders([("Content-Type", "application/json")]), body: body, timeout: Self.postTimeout(deadline))
    }

    public func reportError(_ error: LambdaError, for requestId: String, deadline: Deadline) throws(RuntimeAPIUnavailable) -> PostOutcome {
        try post("\(Self.base)/invocation/\(PercentEncoding.encode(requestId))/error",
                 headers: errorHeaders(error), body: Array(error.json.utf8), timeout: Self.postTimeout(deadline))
    }

    /// Start-up failed: Lambda will answer the first invocation with this error.
    public func reportInitError(_ error: LambdaError) throws(RuntimeAPIUnavailable) -> PostOutcome {
        try post("\(Self.base)/init/error", headers: errorHeaders(error), body: Array(error.json.utf8), timeout: Self.initPostTimeout)
    }

    static func postTimeout(_ deadline: Deadline) -> Duration {
        max(deadline.remaining, minimumPostTimeout)
    }

    private func errorHeaders(_ error: LambdaError) -> HTTPHeaders {
        HTTPHeaders([
            ("Content-Type", "application/vnd.aws.lambda.error+json"),
            ("Lambda-Runtime-Function-Error-Type", error.errorType),
        ])
    }

    private func post(_ path: String, headers: HTTPHeaders, body: [UInt8], timeout: Duration) throws(RuntimeAPIUnavailable) -> PostOutcome {
        let request = HTTPRequest(method: "POST", endpoint: endpoint, path: path, headers: headers, body: body,
                                  connectTimeout: .seconds(1), timeout: timeout)
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            throw RuntimeAPIUnavailable(description: "POST \(path) failed: \(error.detail)")
        }
        switch response.status {
        case 200..<300:
            return .accepted
        case 500...:
            throw RuntimeAPIUnavailable(description: "POST \(path) answered HTTP \(response.status): \(response.bodyText.prefix(300))")
        default:
            return .rejected(status: response.status, detail: response.bodyText.prefix(300).description)
        }
    }
}
