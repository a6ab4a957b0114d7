/// `java.util.Properties.load(Reader)` (JDK 17's `LineReader`, `load0` and `loadConvert`),
/// ported to read back what `PropertiesFormat.render` writes: the oracle for "`Properties.load`
/// reads back the same keys and values". Works on UTF-16 code units, as Java does.
enum JavaProperties {
    struct MalformedEscape: Error {}

    static func load(_ text: String) throws(MalformedEscape) -> [String: String] {
        var reader = LineReader(Array(text.utf16))
        var properties: [String: String] = [:]
        while let line = reader.readLine() {
            var keyLength = 0
            var valueStart = line.count
            var hasSeparator = false
            var precedingBackslash = false
            while keyLength < line.count {
                let c = line[keyLength]
                if (c == equals || c == colon) && !precedingBackslash {
                    valueStart = keyLength + 1
                    hasSeparator = true
                    break
                } else if (c == space || c == tab || c == formFeed) && !precedingBackslash {
                    valueStart = keyLength + 1
                    break
                }
                precedingBackslash = c == backslash ? !precedingBackslash : false
                keyLength += 1
            }
            while valueStart < line.count {
                let c = line[valueStart]
                if c != space && c != tab && c != formFeed {
                    if !hasSeparator && (c == equals || c == colon) {
                        hasSeparator = true
                    } else {
                        break
                    }
                }
                valueStart += 1
            }
            let key = try convert(line[0..<keyLength])
            let value = try convert(line[valueStart...])
            properties[key] = value
        }
        return properties
    }

    /// `loadConvert`: `\uXXXX`, `\t`, `\r`, `\n`, `\f`, and `\x` for any other `x`.
    private static func convert(_ units: ArraySlice<UInt16>) throws(MalformedEscape) -> String {
        var out: [UInt16] = []
        var index = units.startIndex
        while index < units.endIndex {
            var c = units[index]
            index += 1
            guard c == backslash else {
                out.append(c)
                continue
            }
            guard index < units.endIndex else { break }  // a lone trailing backslash is dropped
            c = units[index]
            index += 1
            if c == unit("u") {
                guard units.endIndex - index >= 4 else { throw MalformedEscape() }
                var value: UInt16 = 0
                for _ in 0..<4 {
                    let digit = units[index]
                    index += 1
                    let nibble: UInt16
                    switch digit {
                    case unit("0")...unit("9"): nibble = digit - unit("0")
                    case unit("a")...unit("f"): nibble = digit - unit("a") + 10
                    case unit("A")...unit("F"): nibble = digit - unit("A") + 10
                    default: throw MalformedEscape()
                    }
                    value = value << 4 | nibble
                }
                out.append(value)
            } else {
                switch c {
                case unit("t"): out.append(tab)
                case unit("r"): out.append(unit("\r"))
                case unit("n"): out.append(unit("\n"))
                case unit("f"): out.append(formFeed)
                default: out.append(c)
                }
            }
        }
        return String(decoding: out, as: UTF16.self)
    }

    /// Logical lines: comment and blank lines skipped, leading whitespace dropped, lines ending
    /// in an odd number of backslashes joined with the next.
    private struct LineReader {
        let units: [UInt16]
        var position = 0

        init(_ units: [UInt16]) { self.units = units }

        mutating func readLine() -> [UInt16]? {
            var line: [UInt16] = []
            var skipWhiteSpace = true
            var appendedLineBegin = false
            var precedingBackslash = false
            var skipLF = false
            while position < units.count {
                let c = units[position]
                position += 1
                if skipLF {
                    skipLF = false
                    if c == newline { continue }
                }
                if skipWhiteSpace {
                    if c == space || c == tab || c == formFeed { continue }
                    if !appendedLineBegin && (c == carriageReturn || c == newline) { continue }
                    skipWhiteSpace = false
                    appendedLineBegin = false
                }
                if line.isEmpty && (c == unit("#") || c == unit("!")) {
                    // A comment: consume the rest of the physical line.
                    while position < units.count {
                        let next = units[position]
                        position += 1
                        if next == carriageReturn || next == newline { break }
                    }
                    skipWhiteSpace = true
                    continue
                }
                if c != newline && c != carriageReturn {
                    line.append(c)
                    precedingBackslash = c == backslash ? !precedingBackslash : false
                } else {
                    if line.isEmpty {
                        skipWhiteSpace = true
                        continue
                    }
                    if position >= units.count {
                        return precedingBackslash ? Array(line.dropLast()) : line
                    }
                    if precedingBackslash {
                        // A backslash at the end of a line joins the next one to it.
                        line.removeLast()
                        skipWhiteSpace = true
                        appendedLineBegin = true
                        precedingBackslash = false
                        if c == carriageReturn && units[position] == newline { position += 1 }
                    } else {
                        return line
                    }
                }
            }
            if line.isEmpty { return nil }
            return precedingBackslash ? Array(line.dropLast()) : line
        }
    }

    private static let space = unit(" ")
    private static let tab = unit("\t")
    private static let formFeed: UInt16 = 0x0C
    private static let newline = unit("\n")
    private static let carriageReturn = unit("\r")
    private static let backslash = unit("\\")
    private static let equals = unit("=")
    private static let colon = unit(":")
}

private func unit(_ scalar: Unicode.Scalar) -> UInt16 { UInt16(scalar.value) }
