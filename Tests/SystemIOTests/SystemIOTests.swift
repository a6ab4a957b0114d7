import Foundation
import SystemIO
import Testing

@Suite struct ReadFileTests {
    @Test(arguments: [0, 1, 65_536, 200_001])
    func readsEveryByte(size: Int) throws {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let path = FileManager.default.temporaryDirectory.appending(path: "read-file-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(readFile(atPath: path) == bytes)
    }

    @Test func isNilForWhatCannotBeRead() {
        #expect(readFile(atPath: "/nonexistent/\(UUID().uuidString)") == nil)
        #expect(readFile(atPath: "/") == nil)
        #expect(readFile(atPath: "") == nil)
    }
}

@Suite struct ProcessEnvironmentTests {
    @Test func isWhatFoundationSees() {
        #expect(processEnvironment() == ProcessInfo.processInfo.environment)
    }

    // From entries, not setenv: changing the environment while other tests run in parallel raced
    // with the comparison above (and getenv(3) elsewhere in the process).
    @Test func readsEntriesAsGetenvDoes() {
        let read = environment(entries: ["CCAF_SYSTEMIO_TEST=a=b", "NO_EQUALS", "TWICE=first", "TWICE=second", "EMPTY=", "=nameless"])
        #expect(read["CCAF_SYSTEMIO_TEST"] == "a=b")
        #expect(read == ["CCAF_SYSTEMIO_TEST": "a=b", "TWICE": "first", "EMPTY": "", "": "nameless"])
    }
}
