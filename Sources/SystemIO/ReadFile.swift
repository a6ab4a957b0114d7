#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every byte of the file at `path`, read to its end (through short and interrupted reads);
/// nil when it cannot be opened or read (`errno` then says why).
public func readFile(atPath path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var contents: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            contents += chunk[..<count]
        } else if count == 0 {
            return contents
        } else if errno != EINTR {
            return nil
        }
    }
}
