import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The Runtime API loop: wait for an invocation, run the handler, report its result or error,
/// and again. It returns only when the Runtime API is gone, and then the process must exit.
public enum LambdaRuntime {
    /// Runs the function in Lambda. `makeHandler` is the start-up work (configuration, clients);
    /// if it throws, the error goes to `/init/error` and the process exits with status 1.
    /// `userAgent` names the function in its calls to the Runtime API.
    public static func run(environment: [String: String], userAgent: String, logger: Logger, makeHandler: () throws(LambdaError) -> any LambdaHandler) -> Never {
        guard let address = environment["AWS_LAMBDA_RUNTIME_API"], let api = try? RuntimeAPIClient(address: address, userAgent: userAgent) else {
            logger.critical("AWS_LAMBDA_RUNTIME_API is not a host:port", metadata: ["value": "\(environment["AWS_LAMBDA_RUNTIME_API"] ?? "")"])
            exit(1)
        }
        let handler: any LambdaHandler
        do {
            handler = try makeHandler()
        } catch {
            logger.critical("start-up failed", metadata: ["errorType": "\(error.errorType)", "errorMessage": "\(error.message)"])
            _ = try? api.reportInitError(error)
            exit(1)
        }
        GracefulShutdown.enable(runtimeAPI: address, userAgent: userAgent, logger: logger)
        do {
            while true {
                try invokeOnce(api: api, handler: handler, logger: logger)
            }
        } catch {
            logger.critical("the Runtime API is gone; exiting", metadata: ["reason": "\(error.description)"])
            exit(1)
        }
    }

    static func invokeOnce(api: RuntimeAPIClient, handler: any LambdaHandler, logger: Logger) throws(RuntimeAPIUnavailable) {
        let invocation = try api.next()
        guard let context = InvocationContext(nextHeaders: invocation.headers, logger: logger) else {
            throw RuntimeAPIUnavailable(description: "GET /next answered without Lambda-Runtime-Aws-Request-Id")
        }
        let requestId = context.requestId, invocationLogger = context.logger
        // Custom runtimes own this variable: the SDKs read it for every outgoing call.
        if let traceId = context.traceId { setenv("_X_AMZN_TRACE_ID", traceId, 1) } else { unsetenv("_X_AMZN_TRACE_ID") }
        invocationLogger.debug("invocation received", metadata: [
            "eventBytes": "\(invocation.event.count)", "xrayTraceId": "\(getenv("_X_AMZN_TRACE_ID").map { String(cString: $0) } ?? "")",
        ])

        let outcome: PostOutcome
        switch Result(catching: { () throws(LambdaError) in try handler.handle(event: invocation.event, context: context) }) {
        case .success(let body):
            outcome = try api.respond(to: requestId, body: body, deadline: context.deadline)
        case .failure(let error):
            invocationLogger.error("invocation failed", metadata: ["errorType": "\(error.errorType)", "errorMessage": "\(error.message)"])
            outcome = try api.reportError(error, for: requestId, deadline: context.deadline)
        }
        if case let .rejected(status, detail) = outcome {
            invocationLogger.error("the Runtime API refused the result", metadata: ["status": "\(status)", "detail": "\(detail)"])
        }
    }
}
