import TableAPI
import Testing

@Suite struct QuotingTests {
    @Test func identifierDoublesInnerBackQuotes() {
        #expect(SQL.identifier("we`ird") == "`we``ird`")
        #expect(SQL.identifier("``") == "``````")
    }

    @Test func literalDoublesInnerSingleQuotes() {
        #expect(SQL.literal("it's") == "'it''s'")
        #expect(SQL.literal("") == "''")
    }

    @Test(arguments: [
        ("it's", "`it's`"),
        ("a.b", "`a.b`"),
        ("lkc 2", "`lkc 2`"),
        ("$rowtime", "`$rowtime`"),
        ("timestamp", "`timestamp`"),
        ("café 日本 👩‍✈️", "`café 日本 👩‍✈️`"),
    ])
    func identifierQuotesEverythingElseVerbatim(name: String, quoted: String) {
        #expect(SQL.identifier(name) == quoted)
    }

    @Test func backQuoteBeforeACombiningMarkIsStillDoubled() {
        // "`" + U+0301 is one Character in Swift but two code points for Flink's parser.
        let quoted = SQL.identifier("x`\u{301}")
        #expect(Array(quoted.unicodeScalars) == ["`", "x", "`", "`", "\u{301}", "`"])
        #expect(Array(SQL.literal("'\u{301}").unicodeScalars) == ["'", "'", "'", "\u{301}", "'"])
    }

    @Test func qualifiedNameQuotesEachPart() throws {
        #expect(SQL.qualified(["env-1", "lkc 2", "flight_avro"]) == "`env-1`.`lkc 2`.`flight_avro`")
        #expect(try ObjectName(catalog: "env-1", database: "lkc 2", table: "flight_avro").sql == "`env-1`.`lkc 2`.`flight_avro`")
        #expect(try ObjectName("a.b").sql == "`a.b`")
        #expect(SQL.identifiers(["a", "b`c"]) == "`a`, `b``c`")
    }

    @Test func emptyAndMultiLineIdentifiersAreRejected() {
        #expect(throws: TableAPIError(.invalidIdentifier, "an identifier must not be empty")) { try SQL.checkIdentifier("") }
        #expect(throws: TableAPIError(.invalidIdentifier, "the identifier `a\nb` contains a line break, which Flink SQL cannot quote")) {
            try SQL.checkIdentifier("a\nb")
        }
        #expect(throws: TableAPIError.self) { try SQL.checkIdentifier("a\rb") }
        #expect(throws: TableAPIError(.invalidIdentifier, "an identifier must not be empty")) { try ObjectName(catalog: "", database: "d", table: "t") }
        #expect(throws: TableAPIError(.invalidIdentifier, "an object name has 1 to 3 parts (catalog, database, table), not 4")) {
            try ObjectName(parts: ["a", "b", "c", "d"])
        }
        #expect(throws: TableAPIError.self) { try ObjectName(parts: []) }
    }

    @Test func unquoteReadsBackQuotedText() throws {
        #expect(try SQL.unquoteIdentifier("`we``ird`") == "we`ird")
        #expect(try SQL.unquoteLiteral("'it''s'") == "it's")
        #expect(try SQL.unquoteLiteral("''") == "")
        #expect(try SQL.unquoteQualified("`env-1`.`a.b`.`t`") == ["env-1", "a.b", "t"])
        #expect(try SQL.unquoteQualified("`t`") == ["t"])
    }

    @Test(arguments: [
        ("``", "an identifier must not be empty"),
        ("`a", "the identifier '`a' has no closing `"),
        ("a`", "the identifier 'a`' does not have ` at position 0"),
        ("`a`b`", "the identifier '`a`b`' has text after its closing quote"),
        ("`a\nb`", "the identifier `a\nb` contains a line break, which Flink SQL cannot quote"),
        ("", "the identifier '' does not have ` at position 0"),
    ])
    func unquoteIdentifierRejectsMalformedText(text: String, message: String) {
        #expect(throws: TableAPIError.self) { try SQL.unquoteIdentifier(text) }
        do {
            _ = try SQL.unquoteIdentifier(text)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func unquoteRejectsOtherMalformedText() {
        #expect(throws: TableAPIError(.malformedQuotedText, "the string literal '''it''s' has text after its closing quote")) {
            try SQL.unquoteLiteral("'it's")
        }
        #expect(throws: TableAPIError(.malformedQuotedText, "the qualified name '`a`x`b`' has x at position 3 where . or the end was expected")) {
            try SQL.unquoteQualified("`a`x`b`")
        }
        #expect(throws: TableAPIError(.malformedQuotedText, "the qualified name '`a`.' does not have ` at position 4")) {
            try SQL.unquoteQualified("`a`.")
        }
    }

    @Test func quotingRoundTripsForGeneratedNames() throws {
        var generator = SeededGenerator(seed: 0x5EED_F11E)
        for _ in 0..<2_000 {
            let name = NameGenerator.name(from: NameGenerator.identifierPieces, using: &generator)
            let value = NameGenerator.name(from: NameGenerator.literalPieces, using: &generator)
            let parts = (0..<3).map { _ in NameGenerator.name(from: NameGenerator.identifierPieces, using: &generator) }
            try SQL.checkIdentifier(name)
            // Compared by scalars: Swift's == would accept a canonically equivalent string.
            #expect(Array(try SQL.unquoteIdentifier(SQL.identifier(name)).unicodeScalars) == Array(name.unicodeScalars))
            #expect(Array(try SQL.unquoteLiteral(SQL.literal(value)).unicodeScalars) == Array(value.unicodeScalars))
            let unquotedParts = try SQL.unquoteQualified(ObjectName(parts: parts).sql)
            #expect(unquotedParts.map { Array($0.unicodeScalars) } == parts.map { Array($0.unicodeScalars) })
        }
    }
}
