#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment (`environ`) as a dictionary. Entries without `=` are skipped; of a
/// name set twice, the first counts, as with getenv(3).
public func processEnvironment() -> [String: String] {
    var environment: [String: String] = [:]
    var entry = environ
    while let pointer = entry.pointee {
        let text = String(cString: pointer)
        if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
            let name = String(text[..<equals])
            if environment[name] == nil { environment[name] = String(text[text.utf8.index(after: equals)...]) }
        }
        entry += 1
    }
    return environment
}
