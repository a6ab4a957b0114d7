import HTTP
import Logging

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

    public var remainingTime: Duration { deadline.remaining }
}

/// The function's code: given an event, return the response body or throw a `LambdaError`.
public protocol LambdaHandler {
    func handle(event: [UInt8], context: InvocationContext) throws(LambdaError) -> [UInt8]
}
