#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment (`environ`) as a dictionary, read by `environment(entries:)`.
public func processEnvironment() -> [String: String] {
    var entries: [String] = []
    var entry = environ
    while let pointer = entry.pointee {
        entries.append(String(cString: pointer))
        entry += 1
    }
    return environment(entries: entries)
}

/// `NAME=value` entries as a dictionary: the value is everything after the first `=`; entries
/// without `=` are skipped; of a name set twice, the first counts, as with getenv(3).
public func environment(entries: [String]) -> [String: String] {
    var environment: [String: String] = [:]
    for text in entries {
        guard let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) else { continue }
        let name = String(text[..<equals])
        if environment[name] == nil { environment[name] = String(text[text.utf8.index(after: equals)...]) }
    }
    return environment
}
