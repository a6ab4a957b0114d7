import FoundationEssentials
import LambdaRuntime
import Logging
import Deployment

/// What a command-line run of the handler needs from Lambda's side: a request id, a deadline
/// and a logger writing to standard error.
enum CLIContext {
    static func make(timeoutSeconds: Int, logLevel: String, jsonLogs: Bool) -> InvocationContext {
        let level = LambdaLogHandler.level(named: logLevel) ?? .info
        let format: LambdaLogHandler.Format = jsonLogs ? .json : .text
        let logger = Logger(label: AppIdentity.name) { LambdaLogHandler(label: $0, format: format, level: level, fileDescriptor: 2) }
        return InvocationContext(
            requestId: "cli-\(UUID().uuidString.lowercased())", deadline: .after(.seconds(Int64(timeoutSeconds))), logger: logger)
    }

    /// Checks `--timeout` and `--log-level` as both commands take them.
    static func problem(timeoutSeconds: Int, logLevel: String) -> String? {
        if !(1...900).contains(timeoutSeconds) { return "--timeout must be between 1 and 900 seconds" }
        if LambdaLogHandler.level(named: logLevel) == nil { return "--log-level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL" }
        return nil
    }
}
