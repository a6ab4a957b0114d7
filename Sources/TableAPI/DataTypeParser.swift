/// Reading Flink SQL type text: the inverse of ``DataType/sql``, taking Flink's other spellings too.
extension DataType {
    /// How deeply types may nest in text ``init(sql:)`` reads (`ARRAY<ARRAY<…>>`), so that text
    /// from outside cannot exhaust the stack of the recursive functions over types.
    public static let maxNesting = 100

    /// Parses a type as a `CREATE TABLE` column list writes it, then validates it.
    ///
    /// Keywords are case-insensitive. Accepted besides what ``sql`` writes: `INTEGER`; `DEC` and
    /// `NUMERIC`; `DOUBLE PRECISION`; `VARCHAR` and `VARBINARY` without a length (the longest,
    /// i.e. `STRING` and `BYTES`, as in Flink's DDL); `CHAR`, `BINARY` (length 1), `DECIMAL`
    /// (10, 0), `DECIMAL(p)` (scale 0), `TIME` (0), `TIMESTAMP` and `TIMESTAMP_LTZ` (6) without
    /// parameters; `TIME`/`TIMESTAMP … WITHOUT TIME ZONE`; `TIMESTAMP(p) WITH LOCAL TIME ZONE`;
    /// intervals without precisions (`INTERVAL DAY TO SECOND`); `T ARRAY` and `T MULTISET`;
    /// `ROW(…)` and plain (unquoted) field names; an explicit `NULL` after a type.
    ///
    /// Errors say what is wrong and where, positions counted in Unicode scalars from 1: a name
    /// that is no type is ``TableAPIError/Code/unsupportedType``, anything else
    /// ``TableAPIError/Code/invalidType``.
    public init(sql text: String) throws(TableAPIError) {
        var parser = try DataTypeParser(text)
        self = try parser.parseAll()
        try validate()
    }
}

/// A recursive-descent parser over the tokens of one type.
private struct DataTypeParser {
    /// The type names the parser knows, for the message about one it does not.
    static let typeNames = [
        "ARRAY", "BIGINT", "BINARY", "BOOLEAN", "BYTES", "CHAR", "DATE", "DEC", "DECIMAL", "DOUBLE", "FLOAT", "INT",
        "INTEGER", "INTERVAL", "MAP", "MULTISET", "NULL", "NUMERIC", "ROW", "SMALLINT", "STRING", "TIME", "TIMESTAMP",
        "TIMESTAMP_LTZ", "TINYINT", "VARBINARY", "VARCHAR",
    ]

    private let text: String
    private let tokens: [DataTypeToken]
    private var index = 0

    init(_ text: String) throws(TableAPIError) {
        self.text = text
        self.tokens = try DataTypeToken.tokenize(text)
    }

    mutating func parseAll() throws(TableAPIError) -> DataType {
        let type = try parseType(depth: 1)
        guard index == tokens.count else { throw expected("the end of the type") }
        return type
    }

    /// A type with its nullability, then any `ARRAY` or `MULTISET` suffixes with theirs.
    private mutating func parseType(depth: Int) throws(TableAPIError) -> DataType {
        try checkNesting(depth)
        var type = DataType(try parseRoot(depth: depth), nullable: parseNullability())
        var depth = depth
        while index < tokens.count, ["ARRAY", "MULTISET"].contains(tokens[index].keyword) {
            depth += 1
            try checkNesting(depth)
            let suffix = tokens[index].keyword
            index += 1
            type = DataType(suffix == "ARRAY" ? .array(type) : .multiset(type), nullable: parseNullability())
        }
        return type
    }

    /// Throws, pointing at the next token, when a type there would nest `depth` deep.
    private func checkNesting(_ depth: Int) throws(TableAPIError) {
        guard depth <= DataType.maxNesting else {
            throw failure(.invalidType, "nests types more than \(DataType.maxNesting) deep at position \(position)")
        }
    }

    private mutating func parseNullability() -> Bool {
        if acceptWords("NOT", "NULL") { return false }
        _ = acceptWord("NULL")
        return true
    }

    private mutating func parseRoot(depth: Int) throws(TableAPIError) -> DataType.Root {
        guard index < tokens.count, tokens[index].kind == .word else { throw expected("a type name") }
        let token = tokens[index]
        index += 1
        switch token.keyword {
        case "CHAR": return .char(length: try parseParameters(defaults: 1)[0])
        case "VARCHAR": return .varchar(length: try parseParameters(defaults: DataType.maxLength)[0])
        case "BINARY": return .binary(length: try parseParameters(defaults: 1)[0])
        case "VARBINARY": return .varbinary(length: try parseParameters(defaults: DataType.maxLength)[0])
        case "DOUBLE":
            _ = acceptWord("PRECISION")
            return .double
        case "DECIMAL", "DEC", "NUMERIC":
            let parameters = try parseParameters(defaults: 10, 0)
            return .decimal(precision: parameters[0], scale: parameters[1])
        case "TIME":
            let precision = try parseParameters(defaults: 0)[0]
            _ = acceptWords("WITHOUT", "TIME", "ZONE")
            return .time(precision: precision)
        case "TIMESTAMP":
            let precision = try parseParameters(defaults: 6)[0]
            if acceptWords("WITH", "LOCAL", "TIME", "ZONE") { return .timestampLTZ(precision: precision) }
            if acceptWords("WITH", "TIME", "ZONE") { return .timestampTZ(precision: precision) }
            _ = acceptWords("WITHOUT", "TIME", "ZONE")
            return .timestamp(precision: precision)
        case "TIMESTAMP_LTZ": return .timestampLTZ(precision: try parseParameters(defaults: 6)[0])
        case "INTERVAL": return try parseInterval()
        case "ARRAY": return .array(try parseAngled(depth: depth))
        case "MULTISET": return .multiset(try parseAngled(depth: depth))
        case "MAP":
            try expect("<")
            let key = try parseType(depth: depth + 1)
            try expect(",")
            let value = try parseType(depth: depth + 1)
            try expect(">")
            return .map(key: key, value: value)
        case "ROW": return .row(try parseFields(depth: depth))
        default:
            if let root = DataType.Root.parameterless(named: token.keyword) { return root }
            throw failure(.unsupportedType, "has the unknown type name \(token.text) at position \(token.position); supported: \(Self.typeNames.joined(separator: ", "))")
        }
    }

    /// `<T>` after `ARRAY` or `MULTISET`.
    private mutating func parseAngled(depth: Int) throws(TableAPIError) -> DataType {
        try expect("<")
        let element = try parseType(depth: depth + 1)
        try expect(">")
        return element
    }

    /// `<name T ['description'], …>` or `(…)` after `ROW`.
    private mutating func parseFields(depth: Int) throws(TableAPIError) -> [DataType.Field] {
        let close: Unicode.Scalar
        if acceptSymbol("<") {
            close = ">"
        } else if acceptSymbol("(") {
            close = ")"
        } else {
            throw expected("< or (")
        }
        var fields: [DataType.Field] = []
        if acceptSymbol(close) { return fields }
        repeat {
            guard index < tokens.count, tokens[index].kind == .word || tokens[index].kind == .quotedIdentifier else {
                throw expected("a field name")
            }
            let name = tokens[index].text
            index += 1
            let type = try parseType(depth: depth + 1)
            var description: String?
            if index < tokens.count, tokens[index].kind == .string {
                description = tokens[index].text
                index += 1
            }
            fields.append(DataType.Field(name, type, description: description))
        } while acceptSymbol(",")
        try expect(close)
        return fields
    }

    /// What follows `INTERVAL`: `YEAR [(p)] [TO MONTH]`, `MONTH`, `DAY [(p)] [TO HOUR | MINUTE | SECOND [(f)]]`,
    /// `HOUR [TO MINUTE | SECOND [(f)]]`, `MINUTE [TO SECOND [(f)]]` or `SECOND [(f)]`.
    private mutating func parseInterval() throws(TableAPIError) -> DataType.Root {
        guard let start = acceptWord("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND") else {
            throw expected("YEAR, MONTH, DAY, HOUR, MINUTE or SECOND")
        }
        switch start {
        case "YEAR":
            let precision = try parseParameters(defaults: DataType.defaultYearPrecision)[0]
            guard acceptWord("TO") != nil else { return .yearMonthInterval(.year(precision: precision)) }
            try expectWord("MONTH")
            return .yearMonthInterval(.yearToMonth(precision: precision))
        case "MONTH":
            return .yearMonthInterval(.month)
        case "DAY":
            let precision = try parseParameters(defaults: DataType.defaultDayPrecision)[0]
            guard acceptWord("TO") != nil else { return .dayTimeInterval(.day(precision: precision)) }
            switch try expectWord("HOUR", "MINUTE", "SECOND") {
            case "HOUR": return .dayTimeInterval(.dayToHour(precision: precision))
            case "MINUTE": return .dayTimeInterval(.dayToMinute(precision: precision))
            default: return .dayTimeInterval(.dayToSecond(precision: precision, fractional: try parseFractional()))
            }
        case "HOUR":
            guard acceptWord("TO") != nil else { return .dayTimeInterval(.hour) }
            if try expectWord("MINUTE", "SECOND") == "MINUTE" { return .dayTimeInterval(.hourToMinute) }
            return .dayTimeInterval(.hourToSecond(fractional: try parseFractional()))
        case "MINUTE":
            guard acceptWord("TO") != nil else { return .dayTimeInterval(.minute) }
            try expectWord("SECOND")
            return .dayTimeInterval(.minuteToSecond(fractional: try parseFractional()))
        default:
            return .dayTimeInterval(.second(fractional: try parseFractional()))
        }
    }

    private mutating func parseFractional() throws(TableAPIError) -> Int {
        try parseParameters(defaults: DataType.defaultFractionalPrecision)[0]
    }

    /// `(a)` or `(a, b)`, as many numbers as `defaults` at most; missing ones are the defaults.
    private mutating func parseParameters(defaults: Int...) throws(TableAPIError) -> [Int] {
        guard acceptSymbol("(") else { return defaults }
        var values: [Int] = []
        repeat {
            guard index < tokens.count, tokens[index].kind == .number else { throw expected("a number") }
            guard let value = Int(tokens[index].text) else {
                throw failure(.invalidType, "has the number \(tokens[index].text) at position \(position), which is too large")
            }
            values.append(value)
            index += 1
        } while values.count < defaults.count && acceptSymbol(",")
        try expect(")")
        return values + defaults[values.count...]
    }

    // MARK: Tokens

    /// The 1-based position of the next token, or one past the end.
    private var position: Int {
        index < tokens.count ? tokens[index].position : text.unicodeScalars.count + 1
    }

    private mutating func acceptSymbol(_ symbol: Unicode.Scalar) -> Bool {
        guard index < tokens.count, tokens[index].kind == .symbol, tokens[index].text == String(symbol) else { return false }
        index += 1
        return true
    }

    /// Consumes the next token if it is one of `words` and returns it (upper-cased).
    private mutating func acceptWord(_ words: String...) -> String? {
        guard index < tokens.count, tokens[index].kind == .word, words.contains(tokens[index].keyword) else { return nil }
        index += 1
        return tokens[index - 1].keyword
    }

    /// Consumes `words` if they come next, all of them, else nothing.
    private mutating func acceptWords(_ words: String...) -> Bool {
        guard index + words.count <= tokens.count,
              zip(tokens[index...], words).allSatisfy({ $0.kind == .word && $0.keyword == $1 }) else { return false }
        index += words.count
        return true
    }

    private mutating func expect(_ symbol: Unicode.Scalar) throws(TableAPIError) {
        guard acceptSymbol(symbol) else { throw expected(String(symbol)) }
    }

    @discardableResult
    private mutating func expectWord(_ words: String...) throws(TableAPIError) -> String {
        guard index < tokens.count, tokens[index].kind == .word, words.contains(tokens[index].keyword) else {
            throw expected(words.count == 1 ? words[0] : words.dropLast().joined(separator: ", ") + " or " + words[words.count - 1])
        }
        index += 1
        return tokens[index - 1].keyword
    }

    private func expected(_ what: String) -> TableAPIError {
        guard index < tokens.count else { return failure(.invalidType, "ends where \(what) was expected") }
        return failure(.invalidType, "has \(tokens[index].shown) at position \(position) where \(what) was expected")
    }

    private func failure(_ code: TableAPIError.Code, _ problem: String) -> TableAPIError {
        TableAPIError(code, "the type \(SQL.literal(text)) \(problem)")
    }
}

/// A word, number, quoted name, string literal or one of `( ) < > ,`, with its 1-based position.
private struct DataTypeToken {
    enum Kind { case word, number, quotedIdentifier, string, symbol }

    let kind: Kind
    /// For quoted names and string literals, the unescaped value.
    let text: String
    let position: Int

    /// A word upper-cased, for comparing with keywords.
    var keyword: String { kind == .word ? text.uppercased() : "" }

    /// The token as the message shows it.
    var shown: String {
        switch kind {
        case .quotedIdentifier: SQL.identifier(text)
        case .string: SQL.literal(text)
        case .word, .number, .symbol: text
        }
    }

    static func tokenize(_ text: String) throws(TableAPIError) -> [DataTypeToken] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [DataTypeToken] = []
        var index = 0
        func failure(_ problem: String) -> TableAPIError {
            TableAPIError(.invalidType, "the type \(SQL.literal(text)) \(problem)")
        }
        while index < scalars.count {
            let scalar = scalars[index]
            let start = index
            if scalar.properties.isWhitespace {
                index += 1
            } else if isWordStart(scalar) {
                while index < scalars.count, isWordStart(scalars[index]) || isDigit(scalars[index]) { index += 1 }
                tokens.append(DataTypeToken(kind: .word, text: String(String.UnicodeScalarView(scalars[start..<index])), position: start + 1))
            } else if isDigit(scalar) {
                while index < scalars.count, isDigit(scalars[index]) { index += 1 }
                tokens.append(DataTypeToken(kind: .number, text: String(String.UnicodeScalarView(scalars[start..<index])), position: start + 1))
            } else if scalar == "`" || scalar == "'" {
                var value = String.UnicodeScalarView()
                index += 1
                while true {
                    guard index < scalars.count else {
                        throw failure("has no closing \(scalar) for the one at position \(start + 1)")
                    }
                    if scalars[index] == scalar {
                        guard index + 1 < scalars.count, scalars[index + 1] == scalar else { break }
                        index += 1
                    }
                    value.append(scalars[index])
                    index += 1
                }
                index += 1
                let name = String(value)
                if scalar == "`" {
                    do {
                        try SQL.checkIdentifier(name)
                    } catch {
                        throw failure("has an invalid name at position \(start + 1): \(error.message)")
                    }
                }
                tokens.append(DataTypeToken(kind: scalar == "`" ? .quotedIdentifier : .string, text: name, position: start + 1))
            } else if "()<>,".unicodeScalars.contains(scalar) {
                index += 1
                tokens.append(DataTypeToken(kind: .symbol, text: String(scalar), position: start + 1))
            } else {
                throw failure("has the character \(String(scalar)) at position \(start + 1), which is not part of a type")
            }
        }
        return tokens
    }

    /// Letters, `_` and `$`, as in Flink's unquoted identifiers.
    private static func isWordStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar == "_" || scalar == "$"
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }
}
