import HTTP
import Logging
import Timing

/// What Lambda says about one invocation (the `/next` response headers), plus a logger whose
/// every line carries the request id.
public struct InvocationContext: Sendable {
    public let requestId: String
    /// When Lambda stops the invocation; work should finish, and report, before it.
    public let deadline: Deadline
    public let invokedFunctionArn: String?
    public let traceId: String?
    /// Raw JSON from the invoker's client context, if any.
    public let clientContext: String?
    /// Raw JSON `{cognitoIdentityId, cognitoIdentityPoolId}`, if any.
    public let cognitoIdentity: String?
    public let tenantId: String?
    public let logger: Logger

    public init(
        requestId: String, deadline: Deadline, invokedFunctionArn: String? = nil, traceId: String? = nil,
        clientContext: String? = nil, cognitoIdentity: String? = nil, tenantId: String? = nil, logger: Logger
    ) {
        self.requestId = requestId
        self.deadline = deadline
        self.invokedFunctionArn = invokedFunctionArn
        self.traceId = traceId
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.tenantId = tenantId
        self.logger = logger
    }

    /// The invocation a `/next` answer announces, with `logger` tagged with its request id;
    /// nil when the answer has no request id, which leaves nothing to report to.
    package init?(nextHeaders headers: HTTPHeaders, logger: Logger) {
        guard let requestId = headers["Lambda-Runtime-Aws-Request-Id"], !requestId.isEmpty else { return nil }
        var logger = logger
        logger[metadataKey: "requestId"] = "\(requestId)"
        self.init(
            requestId: requestId, deadline: Self.deadline(from: headers["Lambda-Runtime-Deadline-Ms"]),
            invokedFunctionArn: headers["Lambda-Runtime-Invoked-Function-Arn"],
            traceId: headers["Lambda-Runtime-Trace-Id"].flatMap { $0.isEmpty ? nil : $0 },
            clientContext: headers["Lambda-Runtime-Client-Context"], cognitoIdentity: headers["Lambda-Runtime-Cognito-Identity"],
            tenantId: headers["Lambda-Runtime-Aws-Tenant-Id"], logger: logger)
    }

    /// Lambda always sends the deadline; should it not, the longest possible invocation is assumed.
    private static func deadline(from header: String?) -> Deadline {
        guard let header, let milliseconds = Int64(header) else { return .after(.seconds(900)) }
        return .epochMilliseconds(milliseconds)
    }

    public var remainingTime: Duration { deadline.remaining }
}

/// The function's code: given an event, return the response body or throw a `LambdaError`.
public protocol LambdaHandler {
    func handle(event: [UInt8], context: InvocationContext) throws(LambdaError) -> [UInt8]
}
