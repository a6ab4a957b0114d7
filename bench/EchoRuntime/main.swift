import LambdaRuntime
import Logging
import SystemIO

// The product's runtime loop around a handler that returns the event: what bench/runtime.py
// compares with AWS's Python runtime interface client running the same echo handler.
struct Echo: LambdaHandler {
    func handle(event: [UInt8], context: InvocationContext) throws(LambdaError) -> [UInt8] { event }
}

let environment = processEnvironment()
let (format, level) = LambdaLogHandler.configuration(from: environment)
let logger = Logger(label: "echo") { LambdaLogHandler(label: $0, format: format, level: level) }
LambdaRuntime.run(environment: environment, userAgent: "ccaf-deploy-echo/0.1.0", logger: logger) { Echo() }
