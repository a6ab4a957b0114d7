import InMemoryLogging
import Logging

/// Keeps every log line of a run in memory, to check what is logged and what never is (a secret).
public struct LogRecorder: Sendable {
    private let handler = InMemoryLogHandler()

    public init() {}

    /// A logger at trace level whose lines this recorder keeps.
    public var logger: Logger {
        var logger = Logger(label: "recorded") { _ in handler }
        logger.logLevel = .trace
        return logger
    }

    /// Each line: level, message, then its metadata sorted by key.
    public var lines: [String] {
        handler.entries.map { entry in
            let fields = entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return ([entry.level.rawValue, entry.message.description] + fields).joined(separator: " ")
        }
    }

    public var text: String { lines.joined(separator: "\n") }
}
