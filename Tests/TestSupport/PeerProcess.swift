import Foundation

/// A peer program from `e2e/peers/` run for the length of a test process: it prints one JSON
/// line describing itself, and stops when its standard input closes (when this process exits).
public final class PeerProcess: @unchecked Sendable {
    public let description: [String: Any]
    private let process: Process
    private let input: Pipe

    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    public static let repositoryRoot: URL = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public init(script: String, arguments: [String] = []) throws {
        process = Process()
        input = Pipe()
        let output = Pipe()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", Self.repositoryRoot.appending(path: script).path] + arguments
        process.currentDirectoryURL = Self.repositoryRoot
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = Self.readLine(output.fileHandleForReading)
        guard let data = line.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            process.terminate()
            throw StartFailure(description: "\(script) did not describe itself (printed: \(line.prefix(200)))")
        }
        description = object
    }

    public subscript(key: String) -> String { description[key] as? String ?? "" }

    public func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private static func readLine(_ handle: FileHandle) -> String {
        var bytes = Data()
        while let byte = try? handle.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
