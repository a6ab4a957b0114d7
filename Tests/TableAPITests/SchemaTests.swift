import TableAPI
import Testing

@Suite struct SchemaTests {
    @Test func keepsColumnsInOrder() throws {
        let schema = try Schema([Column("b", .string), Column("a", .int)])
        #expect(schema.names == ["b", "a"])
        #expect(schema.count == 2)
        #expect(schema.column(named: "a") == Column("a", .int))
        #expect(schema.column(named: "A") == nil)
    }

    @Test func rejectsEmptyDuplicateAndInvalidColumns() {
        #expect(throws: TableAPIError(.invalidSchema, "schema: a schema needs at least one column")) { try Schema([]) }
        #expect(throws: TableAPIError(.invalidSchema, "schema: column 3 repeats the name `a`; column names must be unique")) {
            try Schema([Column("a", .string), Column("b", .string), Column("a", .int)])
        }
        #expect(throws: TableAPIError(.invalidIdentifier, "schema: column 2: an identifier must not be empty")) {
            try Schema([Column("a", .string), Column("", .string)])
        }
        #expect(throws: TableAPIError(.invalidType, "schema: column 1: DECIMAL(40, 2) is not a valid type: DECIMAL precision must be 1 to 38, not 40")) {
            try Schema([Column("price", .decimal(40, 2))])
        }
    }

    @Test func namesCompareByUnicodeScalarsAsInFlink() throws {
        let precomposed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        let schema = try Schema([Column(precomposed, .string), Column(decomposed, .int)])
        #expect(schema.column(named: decomposed)?.type == .int)
        #expect(schema.column(named: precomposed)?.type == .string)
    }
}
