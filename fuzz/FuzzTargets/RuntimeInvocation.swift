import Deployment
import HTTP
import JSON
import LambdaRuntime
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Target `runtime-invocation`: a Runtime API `/next` answer as libcurl hands it over (status
/// line, header lines, an empty line, the event), through what the runtime does with it: the
/// header block is read by `HTTPHeaders.append(headerLine:)` as `HTTPClient` reads it, the
/// invocation is set up by `InvocationContext(nextHeaders:logger:)` as `LambdaRuntime.invokeOnce`
/// sets it up, then the event goes to the handler's first step, `DeploymentEvent.parse`.
///
/// Properties: no crash (the deadline header included); the request id goes into the
/// `/response` and `/error` paths percent-encoded, as one path segment that decodes back to it;
/// every log line of the invocation, in JSON
/// and in text format, is exactly one line, and a JSON line is an object that carries the
/// request id, the message and the metadata unchanged; a refused event gives a valid error body.
public func fuzzRuntimeInvocation(_ data: UnsafeRawBufferPointer) {
    let bytes = data.byteArray
    var headers = HTTPHeaders()
    var position = 0
    // libcurl calls the header callback once per line, line terminator included, up to and
    // including the empty line that ends the head.
    while position < bytes.count {
        let end = bytes[position...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
        let line = bytes[position..<end]
        position = end
        headers.append(headerLine: String(decoding: line, as: UTF8.self))
        if line.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) { break }
    }
    invoke(headers: headers, event: Array(bytes[position...]), as: .runtimeInvocation)
}

/// What `LambdaRuntime.invokeOnce` does with one `/next` answer, up to the post of the result;
/// returns the path it would post to and the error it would report (`nil`: a response).
@discardableResult
func invoke(headers: HTTPHeaders, event: [UInt8], as target: FuzzTarget) -> (path: String, error: LambdaError?)? {
    let capture = LogCapture()
    defer { capture.close() }
    func makeLogger(_ format: LambdaLogHandler.Format) -> Logger {
        Logger(label: AppIdentity.name) { label in
            LambdaLogHandler(label: label, format: format, level: .debug, fileDescriptor: capture.fileDescriptor)
        }
    }
    guard let context = InvocationContext(nextHeaders: headers, logger: makeLogger(.json)) else {
        return nil  // the runtime reports the Runtime API as unusable and exits
    }
    let requestId = context.requestId
    // The runtime also sets `_X_AMZN_TRACE_ID` to the trace id here; that is left out, since
    // setenv while another thread reads the environment (tests run in parallel) is unsafe.
    let xrayTraceId = context.traceId
    _ = context.remainingTime
    _ = context.deadline.reserving(.seconds(2)).hasPassed
    for raw in [context.clientContext, context.cognitoIdentity].compactMap({ $0 }) { _ = JSONValue.parse(Array(raw.utf8)) }

    let base = "/2018-06-01/runtime/invocation/"
    let encoded = PercentEncoding.encode(requestId)
    require(encoded.utf8.allSatisfy { isUnreservedOrPercent($0) }, target, "the request id is encoded as \(shown(encoded))")
    require(sameScalars(PercentEncoding.decode(encoded), requestId), target, "the request id \(shown(requestId)) does not decode back")

    let outcome = checkEvent(event, as: target)
    // Both log formats, with the lines the runtime writes around an invocation.
    for format in [LambdaLogHandler.Format.json, .text] {
        capture.reset()
        let logger = InvocationContext(nextHeaders: headers, logger: makeLogger(format))!.logger
        var lines: [(message: String, metadata: Logger.Metadata)] = []
        let received: Logger.Metadata = ["eventBytes": "\(event.count)", "xrayTraceId": "\(xrayTraceId ?? "")"]
        logger.debug("invocation received", metadata: received)
        lines.append(("invocation received", received))
        if let error = outcome {
            let failed: Logger.Metadata = ["errorType": "\(error.errorType)", "errorMessage": "\(error.message)"]
            logger.error("invocation failed", metadata: failed)
            lines.append(("invocation failed", failed))
        }
        checkLogLines(capture.contents(), format: format, requestId: requestId, expected: lines, as: target)
    }
    return (base + encoded + (outcome == nil ? "/response" : "/error"), outcome)
}

private func isUnreservedOrPercent(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
         UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "%"):
        return true
    default:
        return false
    }
}

private func checkLogLines(_ output: [UInt8], format: LambdaLogHandler.Format, requestId: String,
                           expected: [(message: String, metadata: Logger.Metadata)], as target: FuzzTarget) {
    let text = String(decoding: output, as: UTF8.self)
    require(text.utf8.last == 0x0A, target, "the log output does not end a line: \(shown(text))")
    let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    require(lines.count == expected.count, target, "\(expected.count) log lines came out as \(lines.count): \(shown(text, limit: 600))")
    for (line, (message, metadata)) in zip(lines, expected) {
        require(!line.utf8.contains(0x0D), target, "a log line holds a CR: \(shown(line))")
        guard format == .json else {
            require(containsBytes(line, requestId.replacingNewlines()) && containsBytes(line, message), target,
                    "the text log line \(shown(line)) lacks the request id or the message")
            continue
        }
        guard case .object(let members)? = JSONValue.parse(Array(line.utf8)) else {
            violated(target, "the JSON log line is not a JSON object: \(shown(line))")
        }
        guard case .string(let id)? = members["requestId"], sameScalars(id, requestId),
              case .string(let logged)? = members["message"], logged == message else {
            violated(target, "the JSON log line \(shown(line)) does not carry the request id \(shown(requestId))")
        }
        for (key, value) in metadata {
            guard case .string(let loggedValue)? = members[key], sameScalars(loggedValue, "\(value)") else {
                violated(target, "the JSON log line \(shown(line)) does not carry \(key) = \(shown("\(value)"))")
            }
        }
    }
}

/// Byte-wise substring search (`String.contains` matches whole characters, and a combining mark
/// at the start of the needle joins the character before it in the line).
func containsBytes(_ haystack: String, _ needle: String) -> Bool {
    let haystack = Array(haystack.utf8), needle = Array(needle.utf8)
    guard !needle.isEmpty else { return true }
    guard needle.count <= haystack.count else { return false }
    return (0...(haystack.count - needle.count)).contains { start in haystack[start..<(start + needle.count)].elementsEqual(needle) }
}

private extension String {
    /// What the text format does to line breaks.
    func replacingNewlines() -> String { String(map { $0.isNewline ? " " : $0 }) }
}

/// A temporary file that a `LambdaLogHandler` writes to, read back after each invocation.
final class LogCapture: Sendable {
    let fileDescriptor: Int32

    init() {
        var template = Array("/tmp/ccaf-fuzz-log-XXXXXX".utf8CString)
        fileDescriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(fileDescriptor >= 0, "mkstemp failed")
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
    }

    func reset() {
        _ = ftruncate(fileDescriptor, 0)
        _ = lseek(fileDescriptor, 0, SEEK_SET)
    }

    func contents() -> [UInt8] {
        let size = Int(lseek(fileDescriptor, 0, SEEK_END))
        var buffer = [UInt8](repeating: 0, count: max(0, size))
        let read = buffer.withUnsafeMutableBytes { pread(fileDescriptor, $0.baseAddress, $0.count, 0) }
        return Array(buffer.prefix(max(0, read)))
    }

    func close() { _ = Glibc.close(fileDescriptor) }
}
