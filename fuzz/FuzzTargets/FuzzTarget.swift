/// Every fuzz target: its name (also its folder under `fuzz/corpus/`, and with a `fuzz-` prefix
/// the executable `fuzz/` builds), and the function that runs one input through it.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case eventParsing = "event-parsing"
    case responseDecoding = "response-decoding"
    case runtimeInvocation = "runtime-invocation"
    case clientResponses = "client-responses"
    case sigV4 = "sigv4"
    case sqlQuoting = "sql-quoting"
    case propertiesEscape = "properties-escape"
    case jsonParsing = "json-parsing"

    /// Runs one input; a broken property stops the process (`fatalError`).
    public func run(_ data: UnsafeRawBufferPointer) {
        switch self {
        case .eventParsing: fuzzEventParsing(data)
        case .responseDecoding: fuzzResponseDecoding(data)
        case .runtimeInvocation: fuzzRuntimeInvocation(data)
        case .clientResponses: fuzzClientResponses(data)
        case .sigV4: fuzzSigV4(data)
        case .sqlQuoting: fuzzSQLQuoting(data)
        case .propertiesEscape: fuzzPropertiesEscape(data)
        case .jsonParsing: fuzzJSONParsing(data)
        }
    }

    public func run(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { run($0) }
    }
}
