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

    @Test func showsAVariableSetWhileRunning() {
        setenv("CCAF_SYSTEMIO_TEST", "a=b", 1)
        defer { unsetenv("CCAF_SYSTEMIO_TEST") }
        #expect(processEnvironment()["CCAF_SYSTEMIO_TEST"] == "a=b")
    }
}
