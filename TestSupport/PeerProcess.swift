import Foundation

/// A peer program from `e2e/peers/` run for the length of a test process: it prints one JSON
/// line describing itself, and stops when its standard input closes (when this process exits).
/// Peers that serve the control protocol (one JSON request line in, one JSON answer line out,
/// like `confluent_peer.py`) are steered with `call(_:args:kwargs:)`.
public final class PeerProcess: @unchecked Sendable {
    public let description: [String: Any]
    private let process: Process
    private let input: Pipe
    private let output: LineReader
    /// Serialises `call`: a request line and its answer line must not interleave with another's.
    private let callLock = NSLock()

    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A control call the peer answered with `{"error": ...}`, or did not answer at all.
    public struct CallFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// This file is `TestSupport/PeerProcess.swift`.
    public static let repositoryRoot: URL = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()

    public init(script: String, arguments: [String] = []) throws {
        process = Process()
        input = Pipe()
        let outputPipe = Pipe()
        output = LineReader(outputPipe.fileHandleForReading)
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", Self.repositoryRoot.appending(path: script).path] + arguments
        process.currentDirectoryURL = Self.repositoryRoot
        process.standardInput = input
        process.standardOutput = outputPipe
        try process.run()
        let line = output.next()
        guard let data = line.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            process.terminate()
            throw StartFailure(description: "\(script) did not describe itself (printed: \(line.prefix(200)))")
        }
        description = object
    }

    public subscript(key: String) -> String { description[key] as? String ?? "" }

    /// Sends `{"call": method, "args": args, "kwargs": kwargs}` as one line and returns the
    /// `result` of the one-line answer (`nil` for JSON null). Values must be JSON-serialisable.
    @discardableResult
    public func call(_ method: String, args: [Any] = [], kwargs: [String: Any] = [:]) throws -> Any? {
        let request: [String: Any] = ["call": method, "args": args, "kwargs": kwargs]
        var line = try JSONSerialization.data(withJSONObject: request)
        line.append(contentsOf: Array("\n".utf8))
        callLock.lock()
        defer { callLock.unlock() }
        try input.fileHandleForWriting.write(contentsOf: line)
        let answerLine = output.next()
        guard let data = answerLine.data(using: .utf8),
              let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CallFailure(description: "\(method): the peer gave no answer (printed: \(answerLine.prefix(200)))")
        }
        if let error = answer["error"] {
            throw CallFailure(description: "\(method): \(error)")
        }
        let result = answer["result"]
        return result is NSNull ? nil : result
    }

    public func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Reads a pipe line by line, a chunk at a time (not a byte per system call).
private final class LineReader {
    private let handle: FileHandle
    /// Bytes read after the last complete line.
    private var pending = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    /// The next line without its newline; what is left at end of file.
    func next() -> String {
        let newline = UInt8(ascii: "\n")
        while !pending.contains(newline) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
        }
        let end = pending.firstIndex(of: newline) ?? pending.endIndex
        let line = String(decoding: pending[pending.startIndex..<end], as: UTF8.self)
        pending = end < pending.endIndex ? Data(pending[pending.index(after: end)...]) : Data()
        return line
    }
}
