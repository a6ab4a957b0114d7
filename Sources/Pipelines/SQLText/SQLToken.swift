/// A token of Flink SQL text, enough to find statement boundaries, `SET` lines and the leading
/// keywords: quoted text and comments are recognised so that a `;` or a keyword inside them
/// counts for nothing.
struct SQLToken: Equatable {
    enum Kind: Equatable {
        /// A keyword or an unquoted identifier.
        case word
        /// A back-quoted identifier; `text` is the name, unescaped.
        case quotedIdentifier
        /// A single-quoted string literal; `text` is the value, unescaped.
        case string
        /// Anything else: one character of punctuation, an operator, a number.
        case other
    }

    let kind: Kind
    let text: String
    /// Byte offsets into the UTF-8 text: `start..<end`.
    let start: Int
    let end: Int

    func isWord(_ words: String...) -> Bool {
        kind == .word && words.contains(text.uppercased())
    }

    var isSemicolon: Bool { kind == .other && text == ";" }
}

enum SQLTokenizer {
    struct Failure: Error, Equatable {
        let message: String
    }

    /// The tokens of `sql`, comments and whitespace left out.
    static func tokens(_ sql: String) throws(Failure) -> [SQLToken] {
        let bytes = Array(sql.utf8)
        var tokens: [SQLToken] = []
        var index = 0
        func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                index += 1
            } else if byte == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                let start = index
                index += 2
                while index < bytes.count, !(bytes[index] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) { index += 1 }
                guard index < bytes.count else { throw Failure(message: "a /* comment starting at \(position(start, in: bytes)) is never closed") }
                index += 2
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") {
                let start = index
                var value: [UInt8] = []
                index += 1
                while true {
                    guard index < bytes.count else {
                        let what = byte == UInt8(ascii: "'") ? "string literal" : "quoted identifier"
                        throw Failure(message: "a \(what) starting at \(position(start, in: bytes)) is never closed")
                    }
                    if bytes[index] == byte {
                        if peek(1) == byte {
                            value.append(byte)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    value.append(bytes[index])
                    index += 1
                }
                let kind: SQLToken.Kind = byte == UInt8(ascii: "'") ? .string : .quotedIdentifier
                tokens.append(SQLToken(kind: kind, text: String(decoding: value, as: UTF8.self), start: start, end: index))
            } else if isWordByte(byte) {
                let start = index
                while index < bytes.count, isWordByte(bytes[index]) || isDigit(bytes[index]) { index += 1 }
                tokens.append(SQLToken(kind: .word, text: String(decoding: bytes[start..<index], as: UTF8.self), start: start, end: index))
            } else {
                tokens.append(SQLToken(kind: .other, text: String(decoding: [byte], as: UTF8.self), start: index, end: index + 1))
                index += 1
            }
        }
        return tokens
    }

    /// Letters, `_`, `$` and every byte of a non-ASCII character (Flink allows Unicode identifiers).
    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// "line 3, column 7 of the SQL" of a byte offset.
    static func position(_ offset: Int, in bytes: [UInt8]) -> String {
        let before = bytes[..<offset]
        let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        return "line \(line), column \(column) of the SQL"
    }
}
