import Text

/// Why bytes are not a JSON text: what is wrong, and the offset of the byte where it was found.
public struct JSONParseError: Error, Equatable, CustomStringConvertible, Sendable {
    public let reason: String
    public let offset: Int

    public var description: String { "\(reason) at byte \(offset)" }
}

extension JSONValue {
    /// Arrays and objects nest at most this deep, as in Foundation's JSONDecoder, so that hostile
    /// input cannot exhaust the stack.
    public static let maximumDepth = 512

    /// The value of a JSON text (RFC 8259), or nil when the bytes are not one.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONValue(parsing: bytes)
    }

    /// Parses a JSON text (RFC 8259) in UTF-8, with a leading byte order mark allowed and ignored.
    /// Integers that fit Int64 are `.integer`, every other number `.number`; a number too large for
    /// a Double is an error. Strings must be valid UTF-8 and their escapes whole scalars (no lone
    /// surrogates). When an object repeats a name, the first member counts, as with JSONDecoder.
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.document()
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(JSONParseError) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        skipWhitespace()
        let value = try value(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw failure("\(found) after the value") }
        return value
    }

    private mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw failure("the text ends where a value should be") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("\(found) where a value should be")
        }
    }

    private mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(members) }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("\(found) where a member name (a string) should be")
            }
            let name = try string()
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw failure("\(found) where ':' should follow a member name") }
            skipWhitespace()
            let value = try value(depth: depth)
            if members[name] == nil { members[name] = value }
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return .object(members) }
            guard consume(UInt8(ascii: ",")) else { throw failure("\(found) where ',' or '}' should be") }
            skipWhitespace()
        }
    }

    private mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            elements.append(try value(depth: depth))
            skipWhitespace()
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            guard consume(UInt8(ascii: ",")) else { throw failure("\(found) where ',' or ']' should be") }
            skipWhitespace()
        }
    }

    private func checkDepth(_ depth: Int) throws(JSONParseError) {
        guard depth <= JSONValue.maximumDepth else {
            throw failure("arrays and objects nested deeper than \(JSONValue.maximumDepth)")
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes[index...].starts(with: expected) else { throw failure("not a value: '\(word)' is misspelt or cut short") }
        index += expected.count
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() throws(JSONParseError) -> JSONValue {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        if !consume(UInt8(ascii: "0")) {
            guard skipDigits() else { throw failure("\(found) where the digits of a number should be") }
        }
        var isInteger = true
        if consume(UInt8(ascii: ".")) {
            isInteger = false
            guard skipDigits() else { throw failure("\(found) where the digits after a decimal point should be") }
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            isInteger = false
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard skipDigits() else { throw failure("\(found) where the digits of an exponent should be") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let number = Double(text), number.isFinite else {
            throw JSONParseError(reason: "the number \(text.prefix(40)) is too large for a Double", offset: start)
        }
        return .number(number)
    }

    /// Skips one or more ASCII digits; false when there is none.
    private mutating func skipDigits() -> Bool {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index > start
    }

    private mutating func string() throws(JSONParseError) -> String {
        let start = index
        index += 1
        var decoded: [UInt8] = []
        var segmentStart = index
        while true {
            guard index < bytes.count else { throw JSONParseError(reason: "a string is not closed", offset: start) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text: String?
                if decoded.isEmpty {
                    text = String(validating: bytes[segmentStart..<index], as: UTF8.self)
                } else {
                    decoded += bytes[segmentStart..<index]
                    text = String(validating: decoded, as: UTF8.self)
                }
                index += 1
                guard let text else { throw JSONParseError(reason: "a string is not valid UTF-8", offset: start) }
                return text
            } else if byte == UInt8(ascii: "\\") {
                decoded += bytes[segmentStart..<index]
                try escape(into: &decoded)
                segmentStart = index
            } else if byte < 0x20 {
                throw failure("\(found) in a string (control characters must be escaped)")
            } else {
                index += 1
            }
        }
    }

    /// One escape sequence, its backslash at `index`, appended as UTF-8.
    private mutating func escape(into decoded: inout [UInt8]) throws(JSONParseError) {
        let start = index
        index += 1
        guard index < bytes.count else { throw JSONParseError(reason: "a string is not closed", offset: start) }
        let letter = bytes[index]
        index += 1
        let simple: UInt8? = switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple {
            decoded.append(simple)
            return
        }
        guard letter == UInt8(ascii: "u") else {
            throw JSONParseError(reason: "the escape \(JSONParser.describe(letter, after: "\\")) is not JSON", offset: start)
        }
        var value = try hexQuad(escapeStart: start)
        if (0xDC00...0xDFFF).contains(value) {
            throw JSONParseError(reason: "the escape of a low surrogate has no high surrogate before it", offset: start)
        }
        if (0xD800...0xDBFF).contains(value) {
            guard bytes[index...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                throw JSONParseError(reason: "the escape of a high surrogate has no low surrogate after it", offset: start)
            }
            index += 2
            let low = try hexQuad(escapeStart: index - 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONParseError(reason: "the escape of a high surrogate has no low surrogate after it", offset: start)
            }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        // Not a surrogate, or a pair combined: always a scalar.
        guard let scalar = Unicode.Scalar(value) else {
            throw JSONParseError(reason: "the escape is not a Unicode scalar", offset: start)
        }
        UTF8.encode(scalar) { decoded.append($0) }
    }

    private mutating func hexQuad(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count, let digit = Hex.value(ofDigit: bytes[index]) else {
                throw JSONParseError(reason: "a \\u escape needs four hexadecimal digits", offset: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// The byte at `index` for a message: `'x'`, `byte 0x00`, or `the end of the text`.
    private var found: String {
        index < bytes.count ? JSONParser.describe(bytes[index]) : "the end of the text"
    }

    private static func describe(_ byte: UInt8, after prefix: String = "") -> String {
        (0x21...0x7E).contains(byte) ? "'\(prefix)\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + Hex.padded(UInt32(byte), width: 2, uppercase: true)
    }

    private func failure(_ reason: String) -> JSONParseError {
        JSONParseError(reason: reason, offset: index)
    }
}
