/// Quoting of identifiers and string literals: the one place where SQL text is escaped.
///
/// Identifiers are always back-quoted with inner back-quotes doubled (Flink's
/// `EncodingUtils.escapeIdentifier`); string literals are single-quoted with inner quotes doubled.
/// Both work on Unicode scalars, not characters, so a quote followed by a combining mark is still
/// doubled, as the Java-based parser on the other side sees it.
///
/// An identifier must be non-empty and free of line breaks (CR, LF): Flink's parser (Calcite's
/// `BACK_QUOTED_IDENTIFIER` token) accepts neither, so ``checkIdentifier(_:)`` rejects such names
/// wherever a name enters the builder (object names, schemas, aliases), and
/// ``unquoteIdentifier(_:)`` rejects their quoted forms. Every other name, including back-quotes,
/// quotes, dots, spaces, non-ASCII and emoji, survives a quote → unquote round trip unchanged.
public enum SQL {
    /// `` we`ird `` → `` `we``ird` ``. Total: it quotes any text; names are validated on entry.
    public static func identifier(_ name: String) -> String {
        quote(name, "`")
    }

    /// `it's` → `'it''s'`.
    public static func literal(_ value: String) -> String {
        quote(value, "'")
    }

    /// Quoted parts joined by dots: `` `env-1`.`lkc 2`.`flight_avro` ``.
    public static func qualified(_ parts: [String]) -> String {
        parts.map(identifier).joined(separator: ".")
    }

    /// `` `a`, `b`, `c` ``: a comma-separated list of quoted names.
    public static func identifiers(_ names: [String]) -> String {
        names.map(identifier).joined(separator: ", ")
    }

    /// Throws unless `name` can be written as a back-quoted identifier.
    public static func checkIdentifier(_ name: String) throws(TableAPIError) {
        if name.isEmpty {
            throw TableAPIError(.invalidIdentifier, "an identifier must not be empty")
        }
        if name.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
            throw TableAPIError(.invalidIdentifier, "the identifier \(identifier(name)) contains a line break, which Flink SQL cannot quote")
        }
    }

    /// The inverse of ``identifier(_:)``: `` `we``ird` `` → `` we`ird ``.
    public static func unquoteIdentifier(_ text: String) throws(TableAPIError) -> String {
        var scanner = QuotedTextScanner(text, what: "identifier")
        let name = try scanner.quoted("`")
        try scanner.expectEnd()
        try checkIdentifier(name)
        return name
    }

    /// The inverse of ``literal(_:)``: `'it''s'` → `it's`.
    public static func unquoteLiteral(_ text: String) throws(TableAPIError) -> String {
        var scanner = QuotedTextScanner(text, what: "string literal")
        let value = try scanner.quoted("'")
        try scanner.expectEnd()
        return value
    }

    /// The inverse of ``qualified(_:)``: splits on the dots between quoted parts, never inside one.
    public static func unquoteQualified(_ text: String) throws(TableAPIError) -> [String] {
        var scanner = QuotedTextScanner(text, what: "qualified name")
        var parts: [String] = []
        repeat {
            let part = try scanner.quoted("`")
            try checkIdentifier(part)
            parts.append(part)
        } while try scanner.separator(".")
        return parts
    }

    private static func quote(_ text: String, _ delimiter: Unicode.Scalar) -> String {
        var quoted = String.UnicodeScalarView()
        quoted.append(delimiter)
        for scalar in text.unicodeScalars {
            if scalar == delimiter { quoted.append(delimiter) }
            quoted.append(scalar)
        }
        quoted.append(delimiter)
        return String(quoted)
    }
}

/// Reads quoted text back, scalar by scalar; used only by the unquote functions.
private struct QuotedTextScanner {
    private let text: String
    private let what: String
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String, what: String) {
        self.text = text
        self.what = what
        self.scalars = Array(text.unicodeScalars)
    }

    /// Reads one quoted run starting at the current position and returns its unescaped body.
    mutating func quoted(_ delimiter: Unicode.Scalar) throws(TableAPIError) -> String {
        guard position < scalars.count, scalars[position] == delimiter else {
            throw failure("does not have \(delimiter) at position \(position)")
        }
        var body = String.UnicodeScalarView()
        position += 1
        while position < scalars.count {
            let scalar = scalars[position]
            position += 1
            guard scalar == delimiter else {
                body.append(scalar)
                continue
            }
            guard position < scalars.count, scalars[position] == delimiter else { return String(body) }
            body.append(delimiter)
            position += 1
        }
        throw failure("has no closing \(delimiter)")
    }

    /// Consumes `separator` if it comes next; false at the end; throws on anything else.
    mutating func separator(_ separator: Unicode.Scalar) throws(TableAPIError) -> Bool {
        guard position < scalars.count else { return false }
        guard scalars[position] == separator else {
            throw failure("has \(scalars[position]) at position \(position) where \(separator) or the end was expected")
        }
        position += 1
        return true
    }

    func expectEnd() throws(TableAPIError) {
        if position < scalars.count { throw failure("has text after its closing quote") }
    }

    private func failure(_ problem: String) -> TableAPIError {
        TableAPIError(.malformedQuotedText, "the \(what) \(SQL.literal(text)) \(problem)")
    }
}
