import Text

/// Reports a broken property. `fatalError` is kept in every build mode, so libFuzzer records the
/// input as a crash (and a test replaying it stops with the message).
func violated(_ target: FuzzTarget, _ message: @autoclosure () -> String) -> Never {
    fatalError("fuzz target \(target.rawValue): property violated: \(message())")
}

/// Checks a property of `target`; see ``violated(_:_:)``.
func require(_ condition: Bool, _ target: FuzzTarget, _ message: @autoclosure () -> String) {
    if !condition { violated(target, message()) }
}

/// Scalar-by-scalar equality: `==` on `String` compares canonical equivalence, which would hide
/// a quoting or escaping step that changed the scalars.
func sameScalars(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
    lhs.unicodeScalars.elementsEqual(rhs.unicodeScalars)
}

/// Text for a violation message: short, and with every non-printable scalar escaped.
func shown(_ text: some StringProtocol, limit: Int = 200) -> String {
    var out = ""
    for scalar in text.unicodeScalars.prefix(limit) {
        if (0x20..<0x7F).contains(scalar.value), scalar != "\\" {
            out.unicodeScalars.append(scalar)
        } else {
            out += "\\u{\(String(scalar.value, radix: 16))}"
        }
    }
    return text.unicodeScalars.count > limit ? out + "…" : out
}

/// Byte-wise prefix and suffix tests: `String.hasPrefix` compares whole characters, so a
/// combining mark after the prefix's last character would hide it.
func startsWith(_ text: some StringProtocol, _ prefix: String) -> Bool { text.utf8.starts(with: prefix.utf8) }
func endsWith(_ text: some StringProtocol, _ suffix: String) -> Bool { text.utf8.reversed().starts(with: suffix.utf8.reversed()) }

extension UnsafeRawBufferPointer {
    var byteArray: [UInt8] { Array(self) }
}

/// Splits fuzz input into parts at `separator` bytes (0xFF never occurs in UTF-8, so the parts of
/// a text input can hold every character, line breaks included).
func parts(of bytes: [UInt8], separator: UInt8 = 0xFF, maximum: Int) -> [[UInt8]] {
    bytes.split(separator: separator, maxSplits: maximum - 1, omittingEmptySubsequences: false).map(Array.init)
}

/// Lines of a text input: split at LF, with one trailing CR removed from each line.
func lines(of bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
        line.last == 0x0D ? line.dropLast() : line
    }
}

/// A small deterministic hash of the input (FNV-1a), to derive choices that every input makes.
func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash &*= 0x100_0000_01b3
    }
    return hash
}

/// The header block and body of an HTTP message written as text: `Name: value` lines, an empty
/// line, then the body (everything after it, bytes as they are).
struct HeadAndBody {
    var headLines: [ArraySlice<UInt8>]
    var body: [UInt8]

    init(_ bytes: ArraySlice<UInt8>) {
        var lines: [ArraySlice<UInt8>] = []
        var rest = bytes
        while !rest.isEmpty {
            let end = rest.firstIndex(of: 0x0A) ?? rest.endIndex
            var line = rest[rest.startIndex..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[(end + 1)...]
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty { break }
            lines.append(line)
        }
        headLines = lines
        body = Array(rest)
    }

    /// Each head line split at its first colon; a line without one is a name with an empty value.
    var fields: [(name: String, value: String)] {
        headLines.map { line in
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                return (String(decoding: line, as: UTF8.self), "")
            }
            return (String(decoding: line[..<colon], as: UTF8.self),
                    String(decoding: line[(colon + 1)...], as: UTF8.self).trimmed(" \t"))
        }
    }
}
