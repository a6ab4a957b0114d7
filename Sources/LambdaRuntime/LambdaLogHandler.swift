import JSON
import Logging
#if canImport(Glibc)
import Glibc
import Timing
import SystemIO
#endif

/// Log lines the way Lambda wants them: with `AWS_LAMBDA_LOG_FORMAT=JSON`, one JSON object per
/// line (`timestamp` RFC 3339 UTC with milliseconds, `level`, `message`, `logger`, `requestId`,
/// then the other metadata), which CloudWatch filters by level; otherwise readable text.
/// Each line goes out in a single `write(2)`, unbuffered, so nothing is lost on SIGTERM or exit.
public struct LambdaLogHandler: LogHandler {
    public enum Format: Sendable { case json, text }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let format: Format
    private let fileDescriptor: Int32

    public init(label: String, format: Format, level: Logger.Level, fileDescriptor: Int32 = STDOUT_FILENO) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.fileDescriptor = fileDescriptor
    }

    /// The format and level Lambda configures: `AWS_LAMBDA_LOG_FORMAT` (`JSON` or `Text`, any
    /// case) and `AWS_LAMBDA_LOG_LEVEL` (`TRACE` … `FATAL`, default `INFO`).
    public static func configuration(from environment: [String: String]) -> (format: Format, level: Logger.Level) {
        let format: Format = environment["AWS_LAMBDA_LOG_FORMAT"]?.uppercased() == "JSON" ? .json : .text
        return (format, level(named: environment["AWS_LAMBDA_LOG_LEVEL"]) ?? .info)
    }

    /// `TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR`, `FATAL` in any case; `nil` for anything else.
    public static func level(named name: String?) -> Logger.Level? {
        switch name?.uppercased() {
        case "TRACE": return .trace
        case "DEBUG": return .debug
        case "INFO": return .info
        case "WARN", "WARNING": return .warning
        case "ERROR": return .error
        case "FATAL", "CRITICAL": return .critical
        default: return nil
        }
    }

    static func name(of level: Logger.Level) -> String {
        switch level {
        case .trace: return "TRACE"
        case .debug: return "DEBUG"
        case .info, .notice: return "INFO"
        case .warning: return "WARN"
        case .error: return "ERROR"
        case .critical: return "FATAL"
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let requestId = merged.removeValue(forKey: "requestId").map { "\($0)" }
        let fields = merged.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        let line: String
        switch format {
        case .json:
            var members: [(String, String)] = [
                ("timestamp", JSONText.string(Self.timestamp())),
                ("level", JSONText.string(Self.name(of: event.level))),
                ("message", JSONText.string("\(event.message)")),
                ("logger", JSONText.string(label)),
            ]
            if let requestId { members.append(("requestId", JSONText.string(requestId))) }
            members += fields.map { ($0.0, JSONText.string($0.1)) }
            line = JSONText.object(members) + "\n"
        case .text:
            var text = "\(Self.timestamp()) \(Self.name(of: event.level))"
            if let requestId { text += " \(requestId)" }
            text += " \(event.message)"
            for (key, value) in fields { text += " \(key)=\(value.contains(" ") ? JSONText.string(value) : value)" }
            // A newline inside would split the line into two CloudWatch events.
            line = text.replacingNewlines() + "\n"
        }
        _ = writeAll(Array(line.utf8), to: fileDescriptor)
    }

    static func timestamp() -> String { UTCTime.now.rfc3339Milliseconds }
}

private extension String {
    func replacingNewlines() -> String {
        guard contains(where: \.isNewline) else { return self }
        return String(map { $0.isNewline ? " " : $0 })
    }
}
