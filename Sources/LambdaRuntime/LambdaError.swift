import JSON

/// A failure reported to Lambda: `errorType` is `Function.<Reason>` for what the handler
/// found wrong, `Runtime.<Reason>` for what went wrong around it.
public struct LambdaError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Category: String, Sendable {
        case function = "Function"
        case runtime = "Runtime"
    }

    public let category: Category
    /// Upper camel case, as the Runtime API requires (`[A-Z][a-zA-Z]+`).
    public let reason: String
    public let message: String
    public let stackTrace: [String]

    public init(_ category: Category, reason: String, message: String, stackTrace: [String] = []) {
        precondition(reason.first?.isUppercase == true && reason.allSatisfy { $0.isASCII && $0.isLetter },
                     "error reasons are upper camel case ASCII letters")
        self.category = category
        self.reason = reason
        self.message = message
        self.stackTrace = stackTrace
    }

    public static func function(_ reason: String, _ message: String) -> LambdaError {
        LambdaError(.function, reason: reason, message: message)
    }

    public static func runtime(_ reason: String, _ message: String) -> LambdaError {
        LambdaError(.runtime, reason: reason, message: message)
    }

    public var errorType: String { "\(category.rawValue).\(reason)" }

    public var description: String { "\(errorType): \(message)" }

    /// The body the Runtime API expects: `{"errorMessage", "errorType", "stackTrace"}`.
    public var json: String {
        JSONText.object([
            ("errorMessage", JSONText.string(message)),
            ("errorType", JSONText.string(errorType)),
            ("stackTrace", "[" + stackTrace.map(JSONText.string).joined(separator: ",") + "]"),
        ])
    }
}
