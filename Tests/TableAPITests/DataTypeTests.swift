import TableAPI
import Testing

@Suite struct DataTypeTests {
    @Test(arguments: [
        (DataType.string, "STRING"),
        (.boolean, "BOOLEAN"),
        (.tinyint, "TINYINT"),
        (.smallint, "SMALLINT"),
        (.int, "INT"),
        (.bigint, "BIGINT"),
        (.float, "FLOAT"),
        (.double, "DOUBLE"),
        (.decimal(10, 2), "DECIMAL(10, 2)"),
        (.bytes, "BYTES"),
        (.binary(16), "BINARY(16)"),
        (.varbinary(16), "VARBINARY(16)"),
        (.varchar(20), "VARCHAR(20)"),
        (.char(6), "CHAR(6)"),
        (.date, "DATE"),
        (.time(3), "TIME(3)"),
        (.timestamp(3), "TIMESTAMP(3)"),
        (.timestampLTZ(3), "TIMESTAMP_LTZ(3)"),
        (.timestampTZ(3), "TIMESTAMP(3) WITH TIME ZONE"),
        (.interval(.yearToMonth(precision: 2)), "INTERVAL YEAR(2) TO MONTH"),
        (.interval(.dayToSecond(precision: 2, fractional: 3)), "INTERVAL DAY(2) TO SECOND(3)"),
        (.interval(.hour), "INTERVAL HOUR"),
        (.null, "NULL"),
        (DataType.timestampLTZ(3).notNull, "TIMESTAMP_LTZ(3) NOT NULL"),
        (DataType.string.notNull.nullable, "STRING"),
        (.varchar(DataType.maxLength), "STRING"),
        (.varbinary(DataType.maxLength), "BYTES"),
        (.array(.int), "ARRAY<INT>"),
        (.multiset(.string.notNull), "MULTISET<STRING NOT NULL>"),
        (DataType.map(.string, .bigint).notNull, "MAP<STRING, BIGINT> NOT NULL"),
        (.row([.init("a", .int.notNull), .init("b", .array(.string))]), "ROW<`a` INT NOT NULL, `b` ARRAY<STRING>>"),
        (.row([.init("it's", .date, description: "it's a date"), .init("we`ird", .bytes)]), "ROW<`it's` DATE 'it''s a date', `we``ird` BYTES>"),
        (.row([]), "ROW<>"),
    ])
    func rendersFlinkTypeNames(type: DataType, sql: String) {
        #expect(type.sql == sql)
        #expect(type.description == sql)
    }

    @Test func theFixtureCoversEveryTypeWithEnoughCases() throws {
        let cases = try DataTypeCase.all()
        #expect(cases.count >= 40)
        let rendered = cases.map(\.sql).joined(separator: " ")
        for name in ["CHAR", "VARCHAR", "STRING", "BINARY", "VARBINARY", "BYTES", "BOOLEAN", "TINYINT", "SMALLINT", "INT",
                     "BIGINT", "FLOAT", "DOUBLE", "DECIMAL", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ", "WITH TIME ZONE",
                     "INTERVAL YEAR", "INTERVAL DAY", "ARRAY", "MULTISET", "MAP", "ROW", "NULL", "NOT NULL", "'"] {
            #expect(rendered.contains(name), "no fixture case has \(name)")
        }
    }

    /// The rendering is what parses back, and every other spelling means the same type.
    @Test(arguments: try DataTypeCase.all())
    func fixtureSQLParsesBackToItselfAndAliasesToTheSameType(_ fixture: DataTypeCase) throws {
        let type = try DataType(sql: fixture.sql)
        #expect(type.sql == fixture.sql)
        for alias in fixture.aliases {
            #expect(try DataType(sql: alias) == type, "alias \(alias)")
        }
    }

    @Test func longestVarcharIsStringAndLongestVarbinaryIsBytes() {
        #expect(DataType.varchar(DataType.maxLength) == .string)
        #expect(DataType.varbinary(DataType.maxLength) == .bytes)
        #expect(DataType.string.notNull != .string)
        #expect(DataType.string.notNull.sameIgnoringNullability(.string))
        #expect(!DataType.varchar(10).sameIgnoringNullability(.string))
    }

    @Test func nestedNullabilityAndFieldsAreCompared() {
        #expect(DataType.array(.int) != .array(.int.notNull))
        #expect(!DataType.array(.int).sameIgnoringNullability(.array(.int.notNull)))
        #expect(DataType.array(.int).notNull.sameIgnoringNullability(.array(.int)))
        #expect(DataType.row([.init("a", .int)]) != .row([.init("b", .int)]))
        #expect(DataType.row([.init("a", .int)]) != .row([.init("a", .int, description: "d")]))
    }

    @Test func assignabilityFollowsTypeFamilies() {
        #expect(DataType.varchar(10).isAssignable(to: .string))
        #expect(DataType.int.isAssignable(to: .decimal(10, 2)))
        #expect(DataType.tinyint.isAssignable(to: .double))
        #expect(DataType.float.isAssignable(to: .smallint))
        #expect(DataType.binary(16).isAssignable(to: .bytes))
        #expect(!DataType.bigint.isAssignable(to: .string))
        #expect(!DataType.timestamp(3).isAssignable(to: .timestampLTZ(3)))
        #expect(!DataType.timestampTZ(3).isAssignable(to: .timestamp(3)))
        #expect(!DataType.date.isAssignable(to: .timestamp(3)))
        #expect(DataType.time(0).isAssignable(to: .time(3)))
        #expect(!DataType.time(0).isAssignable(to: .date))
        #expect(DataType.interval(.hour).isAssignable(to: .interval(.dayToSecond(precision: 2, fractional: 6))))
        #expect(!DataType.interval(.month).isAssignable(to: .interval(.hour)))
        #expect(DataType.char(3).isComparable(with: .string))
        #expect(!DataType.boolean.isComparable(with: .int))
    }

    @Test func constructedTypesAssignStructurally() {
        #expect(DataType.array(.int).isAssignable(to: .array(.bigint)))
        #expect(!DataType.array(.int).isAssignable(to: .array(.string)))
        #expect(!DataType.array(.int).isAssignable(to: .multiset(.int)))
        #expect(DataType.multiset(.char(3)).isAssignable(to: .multiset(.string)))
        #expect(DataType.map(.string, .int).isAssignable(to: .map(.varchar(5), .double)))
        #expect(!DataType.map(.string, .int).isAssignable(to: .map(.int, .int)))
        #expect(!DataType.array(.int).isAssignable(to: .int))
        #expect(!DataType.int.isAssignable(to: .array(.int)))
        let row = DataType.row([.init("a", .int), .init("b", .string)])
        #expect(row.isAssignable(to: .row([.init("x", .bigint), .init("y", .varchar(3))])))
        #expect(!row.isAssignable(to: .row([.init("a", .int)])))
        #expect(!row.isAssignable(to: .row([.init("a", .string), .init("b", .string)])))
        #expect(DataType.array(.row([.init("a", .int)])).isComparable(with: .array(.row([.init("b", .double)]))))
    }

    @Test func theNullTypeAssignsToAnythingButNothingElseToIt() {
        #expect(DataType.null.isAssignable(to: .int))
        #expect(DataType.null.isAssignable(to: .row([.init("a", .int)])))
        #expect(DataType.array(.null).isAssignable(to: .array(.string)))
        #expect(!DataType.int.isAssignable(to: .null))
        #expect(DataType.int.isComparable(with: .null))
        #expect(DataType.null.isAssignable(to: .null))
    }

    @Test(arguments: [
        (DataType.decimal(40, 2), "DECIMAL precision must be 1 to 38, not 40"),
        (.decimal(-1, 0), "DECIMAL precision must be 1 to 38, not -1"),
        (.decimal(5, 6), "DECIMAL scale must be 0 to the precision 5, not 6"),
        (.decimal(5, -1), "DECIMAL scale must be 0 to the precision 5, not -1"),
        (.varchar(0), "VARCHAR length must be 1 to 2147483647, not 0"),
        (.char(-3), "CHAR length must be 1 to 2147483647, not -3"),
        (.binary(0), "BINARY length must be 1 to 2147483647, not 0"),
        (.varbinary(0), "VARBINARY length must be 1 to 2147483647, not 0"),
        (.time(10), "TIME precision must be 0 to 9, not 10"),
        (.timestamp(10), "TIMESTAMP precision must be 0 to 9, not 10"),
        (.timestampLTZ(-1), "TIMESTAMP_LTZ precision must be 0 to 9, not -1"),
        (.timestampTZ(12), "TIMESTAMP WITH TIME ZONE precision must be 0 to 9, not 12"),
        (.interval(.year(precision: 5)), "INTERVAL year precision must be 1 to 4, not 5"),
        (.interval(.yearToMonth(precision: 0)), "INTERVAL year precision must be 1 to 4, not 0"),
        (.interval(.dayToSecond(precision: 7, fractional: 3)), "INTERVAL day precision must be 1 to 6, not 7"),
        (.interval(.dayToSecond(precision: 2, fractional: 10)), "INTERVAL fractional second precision must be 0 to 9, not 10"),
        (.interval(.second(fractional: -1)), "INTERVAL fractional second precision must be 0 to 9, not -1"),
        (DataType.null.notNull, "the NULL type is always nullable"),
        (.array(.map(.string, .decimal(5, 6))), "DECIMAL scale must be 0 to the precision 5, not 6"),
        (.row([.init("a", .int), .init("b", .char(0))]), "CHAR length must be 1 to 2147483647, not 0"),
        (.row([.init("a", .int), .init("a", .string)]), "ROW field 2 repeats the name `a`; field names must be unique"),
        (.row([.init("", .int)]), "ROW field 1: an identifier must not be empty"),
        (.row([.init("a\nb", .int)]), "ROW field 1: the identifier `a\nb` contains a line break, which Flink SQL cannot quote"),
    ])
    func parametersOutOfRangeAreRejected(type: DataType, problem: String) {
        #expect(throws: TableAPIError(.invalidType, "\(type.sql) is not a valid type: \(problem)")) {
            try type.validate()
        }
    }

    @Test func validTypesPassValidation() throws {
        for fixture in try DataTypeCase.all() {
            try DataType(sql: fixture.sql).validate()
        }
        try DataType.row([.init("a", .int), .init("A", .int)]).validate()
    }

    static let typeNames = "ARRAY, BIGINT, BINARY, BOOLEAN, BYTES, CHAR, DATE, DEC, DECIMAL, DOUBLE, FLOAT, INT, INTEGER, INTERVAL, MAP, MULTISET, NULL, NUMERIC, ROW, SMALLINT, STRING, TIME, TIMESTAMP, TIMESTAMP_LTZ, TINYINT, VARBINARY, VARCHAR"

    @Test(arguments: [
        ("", TableAPIError.Code.invalidType, "the type '' ends where a type name was expected"),
        ("   ", .invalidType, "the type '   ' ends where a type name was expected"),
        ("TEXT", .unsupportedType, "the type 'TEXT' has the unknown type name TEXT at position 1; supported: \(typeNames)"),
        ("ARRAY<RAW('a', 'b')>", .unsupportedType, "the type 'ARRAY<RAW(''a'', ''b'')>' has the unknown type name RAW at position 7; supported: \(typeNames)"),
        ("ARRAY<INT", .invalidType, "the type 'ARRAY<INT' ends where > was expected"),
        ("ARRAY INT", .invalidType, "the type 'ARRAY INT' has INT at position 7 where < was expected"),
        ("MAP<STRING>", .invalidType, "the type 'MAP<STRING>' has > at position 11 where , was expected"),
        ("MAP<STRING, INT, INT>", .invalidType, "the type 'MAP<STRING, INT, INT>' has , at position 16 where > was expected"),
        ("DECIMAL(10, 2, 1)", .invalidType, "the type 'DECIMAL(10, 2, 1)' has , at position 14 where ) was expected"),
        ("DECIMAL(x)", .invalidType, "the type 'DECIMAL(x)' has x at position 9 where a number was expected"),
        ("VARCHAR(99999999999999999999)", .invalidType, "the type 'VARCHAR(99999999999999999999)' has the number 99999999999999999999 at position 9, which is too large"),
        ("INT NOT", .invalidType, "the type 'INT NOT' has NOT at position 5 where the end of the type was expected"),
        ("INT, STRING", .invalidType, "the type 'INT, STRING' has , at position 4 where the end of the type was expected"),
        ("ROW<a>", .invalidType, "the type 'ROW<a>' has > at position 6 where a type name was expected"),
        ("ROW<a INT,>", .invalidType, "the type 'ROW<a INT,>' has > at position 11 where a field name was expected"),
        ("ROW<a INT)", .invalidType, "the type 'ROW<a INT)' has ) at position 10 where > was expected"),
        ("ROW a INT", .invalidType, "the type 'ROW a INT' has a at position 5 where < or ( was expected"),
        ("ROW<'a' INT>", .invalidType, "the type 'ROW<''a'' INT>' has 'a' at position 5 where a field name was expected"),
        ("ROW<`a INT>", .invalidType, "the type 'ROW<`a INT>' has no closing ` for the one at position 5"),
        ("ROW<`` INT>", .invalidType, "the type 'ROW<`` INT>' has an invalid name at position 5: an identifier must not be empty"),
        ("ROW<a INT 'open>", .invalidType, "the type 'ROW<a INT ''open>' has no closing ' for the one at position 11"),
        ("TIMESTAMP(3) WITH ZONE", .invalidType, "the type 'TIMESTAMP(3) WITH ZONE' has WITH at position 14 where the end of the type was expected"),
        ("INTERVAL", .invalidType, "the type 'INTERVAL' ends where YEAR, MONTH, DAY, HOUR, MINUTE or SECOND was expected"),
        ("INTERVAL WEEK", .invalidType, "the type 'INTERVAL WEEK' has WEEK at position 10 where YEAR, MONTH, DAY, HOUR, MINUTE or SECOND was expected"),
        ("INTERVAL YEAR TO DAY", .invalidType, "the type 'INTERVAL YEAR TO DAY' has DAY at position 18 where MONTH was expected"),
        ("INTERVAL DAY TO YEAR", .invalidType, "the type 'INTERVAL DAY TO YEAR' has YEAR at position 17 where HOUR, MINUTE or SECOND was expected"),
        ("INTERVAL HOUR(2)", .invalidType, "the type 'INTERVAL HOUR(2)' has ( at position 14 where the end of the type was expected"),
        ("INT;", .invalidType, "the type 'INT;' has the character ; at position 4, which is not part of a type"),
        ("DECIMAL(40, 2)", .invalidType, "DECIMAL(40, 2) is not a valid type: DECIMAL precision must be 1 to 38, not 40"),
        ("TIMESTAMP_LTZ(10)", .invalidType, "TIMESTAMP_LTZ(10) is not a valid type: TIMESTAMP_LTZ precision must be 0 to 9, not 10"),
        ("ARRAY<VARCHAR(0)>", .invalidType, "ARRAY<VARCHAR(0)> is not a valid type: VARCHAR length must be 1 to 2147483647, not 0"),
        ("INTERVAL DAY(7)", .invalidType, "INTERVAL DAY(7) is not a valid type: INTERVAL day precision must be 1 to 6, not 7"),
        ("ROW<a INT, a STRING>", .invalidType, "ROW<`a` INT, `a` STRING> is not a valid type: ROW field 2 repeats the name `a`; field names must be unique"),
        ("NULL NOT NULL", .invalidType, "NULL NOT NULL is not a valid type: the NULL type is always nullable"),
    ])
    func malformedTypesAreRejectedWithWhereAndWhy(text: String, code: TableAPIError.Code, message: String) {
        #expect(throws: TableAPIError(code, message)) { try DataType(sql: text) }
    }

    @Test func nestingIsLimited() throws {
        let deepest = String(repeating: "ARRAY<", count: DataType.maxNesting - 1) + "INT" + String(repeating: ">", count: DataType.maxNesting - 1)
        #expect(try DataType(sql: deepest).sql == deepest)
        let tooDeep = "ARRAY<" + deepest + ">"
        #expect(throws: TableAPIError(.invalidType, "the type \(SQL.literal(tooDeep)) nests types more than 100 deep at position 601")) {
            try DataType(sql: tooDeep)
        }
        let suffixes = "INT" + String(repeating: " ARRAY", count: DataType.maxNesting)
        #expect(throws: TableAPIError(.invalidType, "the type \(SQL.literal(suffixes)) nests types more than 100 deep at position 599")) {
            try DataType(sql: suffixes)
        }
    }
}
