/// One definition statement's `sql`, taken apart the way Confluent's own tools do: leading
/// `SET 'key' = 'value';` lines become properties (the statements API refuses `SET` inside a
/// statement), a trailing `;` is dropped, and what remains must be exactly one statement that
/// writes somewhere.
public struct StatementText: Sendable, Equatable {
    /// The statement without its `SET` lines and trailing `;`.
    public let sql: String
    /// The `SET` lines' keys and values, in order.
    public let settings: [(key: String, value: String)]
    public let kind: PipelineStatement.Kind
    /// The table a `CREATE TABLE` creates, as its name parts (`catalog`, `database`, `table`, or fewer).
    public let createdTable: [String]?

    public static func == (lhs: StatementText, rhs: StatementText) -> Bool {
        lhs.sql == rhs.sql && lhs.kind == rhs.kind && lhs.createdTable == rhs.createdTable
            && lhs.settings.map(\.key) == rhs.settings.map(\.key) && lhs.settings.map(\.value) == rhs.settings.map(\.value)
    }

    /// The longest statement text the statements API accepts (OAS `StatementSpec.statement`).
    public static let maximumLength = 131_072

    /// Takes `text` apart; the error says what is wrong and where.
    public init(_ text: String) throws(StatementTextError) {
        guard text.utf8.count <= Self.maximumLength else {
            throw StatementTextError("is \(text.utf8.count) bytes long; the statements API accepts at most \(Self.maximumLength)")
        }
        let tokens: [SQLToken]
        do {
            tokens = try SQLTokenizer.tokens(text)
        } catch {
            throw StatementTextError(error.message)
        }
        var index = 0
        var settings: [(key: String, value: String)] = []
        while index < tokens.count, tokens[index].isWord("SET") {
            let line = Array(tokens[index..<min(tokens.count, index + 5)])
            guard line.count == 5, line[1].kind == .string, line[2].kind == .other, line[2].text == "=",
                  line[3].kind == .string, line[4].isSemicolon else {
                throw StatementTextError("has a SET line that is not of the form SET 'key' = 'value'; (at \(Self.position(tokens[index], text)))")
            }
            settings.append((line[1].text, line[3].text))
            index += 5
        }
        var body = Array(tokens[index...])
        while body.last?.isSemicolon == true { body.removeLast() }
        guard let first = body.first else {
            throw StatementTextError(settings.isEmpty ? "is empty" : "has only SET lines; a statement must follow them")
        }
        let kind = try Self.kind(of: body, text: text)
        try Self.checkSingleStatement(body, text: text)
        let bytes = Array(text.utf8)
        self.sql = String(decoding: bytes[first.start..<body.last!.end], as: UTF8.self)
        self.settings = settings
        self.kind = kind
        self.createdTable = Self.createdTable(body)
    }

    private static func kind(of body: [SQLToken], text: String) throws(StatementTextError) -> PipelineStatement.Kind {
        let first = body[0]
        switch first.text.uppercased() {
        case _ where first.kind != .word:
            throw StatementTextError("does not start with a statement keyword (found '\(first.text)' at \(position(first, text)))")
        case "INSERT", "EXECUTE":
            return .streaming
        case "CREATE":
            return isTableAsQuery(body) ? .streaming : .bounded
        case "ALTER", "DROP":
            return .bounded
        case "SELECT", "WITH", "VALUES", "TABLE":
            throw StatementTextError("is a query that writes nowhere; a pipeline's statements write somewhere (INSERT INTO <table> SELECT …)")
        case "SET", "RESET", "USE":
            throw StatementTextError("starts with \(first.text.uppercased()), which would only change this one statement's session; put settings in leading SET lines or `properties`, and the catalog and database in the event")
        case "SHOW", "DESCRIBE", "DESC", "EXPLAIN":
            throw StatementTextError("is a \(first.text.uppercased()) statement, which changes nothing a pipeline could deploy")
        default:
            throw StatementTextError("starts with '\(first.text)'; a pipeline statement is CREATE, ALTER, DROP, INSERT or EXECUTE")
        }
    }

    /// `CREATE [OR REPLACE] TABLE t … AS SELECT …`: a streaming statement that keeps the table filled.
    private static func isTableAsQuery(_ body: [SQLToken]) -> Bool {
        var depth = 0
        for (index, token) in body.enumerated() {
            if token.kind == .other, token.text == "(" { depth += 1 }
            if token.kind == .other, token.text == ")" { depth -= 1 }
            if depth == 0, token.isWord("AS"), index + 1 < body.count, body[index + 1].isWord("SELECT", "WITH", "VALUES") || body[index + 1].text == "(" {
                return body.contains { $0.isWord("TABLE") }
            }
        }
        return false
    }

    /// A `;` may appear only inside `EXECUTE STATEMENT SET BEGIN … END`.
    private static func checkSingleStatement(_ body: [SQLToken], text: String) throws(StatementTextError) {
        var allowed: Range<Int> = 0..<0
        if body[0].isWord("EXECUTE"), let begin = body.firstIndex(where: { $0.isWord("BEGIN") }),
           let end = body.lastIndex(where: { $0.isWord("END") }), begin < end {
            allowed = begin..<end
        }
        if let extra = body.indices.first(where: { body[$0].isSemicolon && !allowed.contains($0) }) {
            throw StatementTextError("holds more than one statement (a ';' at \(position(body[extra], text)) is followed by more SQL); give each statement its own entry")
        }
    }

    private static func createdTable(_ body: [SQLToken]) -> [String]? {
        var index = 1
        func accept(_ word: String) -> Bool {
            guard index < body.count, body[index].isWord(word) else { return false }
            index += 1
            return true
        }
        guard body[0].isWord("CREATE") else { return nil }
        if accept("OR") { _ = accept("REPLACE") }
        _ = accept("TEMPORARY")
        guard accept("TABLE") else { return nil }
        if accept("IF") { _ = accept("NOT"); _ = accept("EXISTS") }
        var parts: [String] = []
        while index < body.count, body[index].kind == .word || body[index].kind == .quotedIdentifier {
            parts.append(body[index].text)
            index += 1
            guard index < body.count, body[index].text == ".", body[index].kind == .other else { break }
            index += 1
        }
        return parts.isEmpty ? nil : parts
    }

    private static func position(_ token: SQLToken, _ text: String) -> String {
        SQLTokenizer.position(token.start, in: Array(text.utf8))
    }
}

/// What is wrong with a statement's text; the message completes "sql …".
public struct StatementTextError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    init(_ message: String) { self.message = message }

    public var description: String { message }
}
