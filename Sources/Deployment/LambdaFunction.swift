import LambdaRuntime
import Logging

/// The function as Lambda runs it: JSON or text logs as Lambda's settings say, then the Runtime
/// API loop around ``DeployHandler``. Both executables start it the same way.
public enum LambdaFunction {
    public static func run(environment: [String: String]) -> Never {
        let (format, level) = LambdaLogHandler.configuration(from: environment)
        let logger = Logger(label: AppIdentity.name) { label in LambdaLogHandler(label: label, format: format, level: level) }
        LambdaRuntime.run(environment: environment, userAgent: AppIdentity.userAgent, logger: logger) { () throws(LambdaError) in try DeployHandler(environment: environment) }
    }
}
