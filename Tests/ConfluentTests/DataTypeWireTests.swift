import Confluent
import Foundation
import JSON
import TableAPI
import Testing

/// One case of `Tests/Fixtures/data-types.json`, shared with the TableAPI tests and the
/// emulator's: a type as we render it, as Confluent sends it, and other SQL spellings of it.
struct WireTypeCase: Decodable, Sendable, CustomStringConvertible {
    let sql: String
    /// The wire object as typed, and as plain JSON to compare what we write with.
    let confluent: Statement.DataType
    let confluentJSON: JSONValue
    let aliases: [String]

    var description: String { sql }

    private enum CodingKeys: String, CodingKey { case sql, confluent, aliases }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sql = try container.decode(String.self, forKey: .sql)
        confluent = try container.decode(Statement.DataType.self, forKey: .confluent)
        confluentJSON = try container.decode(JSONValue.self, forKey: .confluent)
        aliases = try container.decode([String].self, forKey: .aliases)
    }

    static func all() throws -> [WireTypeCase] {
        let url = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "Fixtures/data-types.json")
        return try JSONDecoder().decode([WireTypeCase].self, from: Data(contentsOf: url))
    }
}

/// Confluent's type objects (OAS `DataType`) to the builder's types and back.
@Suite struct DataTypeWireTests {
    private static func wire(_ json: String) throws -> Statement.DataType {
        try JSONDecoder().decode(Statement.DataType.self, from: Data(json.utf8))
    }

    @Test(arguments: try WireTypeCase.all())
    func fixtureTypesRoundTrip(_ fixture: WireTypeCase) throws {
        let type = try fixture.confluent.tableAPIType()
        #expect(type.sql == fixture.sql)
        #expect(try DataType(sql: fixture.sql) == type)
        for alias in fixture.aliases {
            #expect(try DataType(sql: alias) == type, "alias \(alias)")
        }
        // What we write is what Confluent sends, field for field, and reads back to the type.
        let written = Statement.DataType(type)
        #expect(written == fixture.confluent)
        let encoded = try JSONEncoder().encode(written)
        #expect(try JSONDecoder().decode(JSONValue.self, from: encoded) == fixture.confluentJSON)
        #expect(try JSONDecoder().decode(Statement.DataType.self, from: encoded).tableAPIType() == type)
    }

    /// Spellings Confluent may send besides the OAS's canonical one.
    @Test(arguments: [
        (#"{"type": "NULL"}"#, "NULL"),
        (#"{"type": "ARRAY", "nullable": true, "elementType": {"type": "INTEGER", "nullable": true}}"#, "ARRAY<INT>"),
        (#"{"type": "MULTISET", "nullable": false, "elementType": {"type": "INTEGER", "nullable": true}}"#, "MULTISET<INT> NOT NULL"),
        (#"{"type": "MAP", "nullable": true, "keyType": {"type": "INTEGER", "nullable": true}, "valueType": {"type": "VARCHAR", "nullable": true, "length": 2147483647}}"#,
         "MAP<INT, STRING>"),
        (#"{"type": "ROW", "nullable": true, "fields": [{"name": "a", "fieldType": {"type": "INTEGER", "nullable": true}, "description": "hello"}]}"#,
         "ROW<`a` INT 'hello'>"),
        (#"{"type": "INTERVAL_DAY_TIME", "nullable": true, "precision": 1, "fractionalPrecision": 3, "resolution": "DAY_TO_SECOND"}"#,
         "INTERVAL DAY(1) TO SECOND(3)"),
        (#"{"type": "INTERVAL_DAY_TIME", "nullable": true}"#, "INTERVAL DAY(2) TO SECOND(6)"),
        (#"{"type": "INTERVAL_YEAR_MONTH", "nullable": true, "resolution": "year"}"#, "INTERVAL YEAR(2)"),
        (#"{"type": "INT", "nullable": false}"#, "INT NOT NULL"),
        (#"{"type": "STRING", "nullable": true}"#, "STRING"),
        (#"{"type": "BYTES", "nullable": true}"#, "BYTES"),
        (#"{"type": "varchar", "nullable": true}"#, "STRING"),
        (#"{"type": "VARBINARY", "nullable": true}"#, "BYTES"),
        (#"{"type": "CHAR", "nullable": true}"#, "CHAR(1)"),
        (#"{"type": "BINARY", "nullable": true}"#, "BINARY(1)"),
        (#"{"type": "DECIMAL", "nullable": true}"#, "DECIMAL(10, 0)"),
        (#"{"type": "TIME", "nullable": true}"#, "TIME(0)"),
        (#"{"type": "TIMESTAMP", "nullable": true}"#, "TIMESTAMP(6)"),
        (#"{"type": "TIMESTAMP_LTZ", "nullable": true}"#, "TIMESTAMP_LTZ(6)"),
        (#"{"type": "TIMESTAMP_WITH_TIME_ZONE", "nullable": true}"#, "TIMESTAMP(6) WITH TIME ZONE"),
        (#"{"type": "ROW", "nullable": true}"#, "ROW<>"),
        (#"{"type": "BIGINT", "nullable": true, "length": 5, "comment": "unknown fields are ignored", "class_name": null}"#, "BIGINT"),
    ])
    func otherSpellingsAreRead(json: String, sql: String) throws {
        #expect(try Self.wire(json).tableAPIType().sql == sql)
    }

    /// Reading a key in either spelling and writing it back gives the OAS spelling.
    @Test func flinkSpelledKeysAreWrittenBackInTheOASSpelling() throws {
        let read = try Self.wire(#"{"type": "ARRAY", "nullable": true, "elementType": {"type": "ROW", "nullable": true, "fields": [{"name": "a", "fieldType": {"type": "INTERVAL_DAY_TIME", "nullable": true, "precision": 2, "fractionalPrecision": 3, "resolution": "SECOND"}}]}}"#)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(read), as: UTF8.self)
        #expect(text == #"{"element_type":{"fields":[{"field_type":{"fractional_precision":3,"nullable":true,"precision":2,"resolution":"SECOND","type":"INTERVAL_DAY_TIME"},"name":"a"}],"nullable":true,"type":"ROW"},"nullable":true,"type":"ARRAY"}"#)
        #expect(try Self.wire(text) == read)
    }

    static let supported = "ARRAY, BIGINT, BINARY, BOOLEAN, BYTES, CHAR, DATE, DECIMAL, DOUBLE, FLOAT, INT, INTEGER, INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH, MAP, MULTISET, NULL, ROW, SMALLINT, STRING, TIME, TIME_WITHOUT_TIME_ZONE, TIMESTAMP, TIMESTAMP_LTZ, TIMESTAMP_WITHOUT_TIME_ZONE, TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_WITH_TIME_ZONE, TINYINT, VARBINARY, VARCHAR"

    @Test(arguments: [
        (#"{"type": "RAW", "nullable": true}"#, TableAPIError.Code.unsupportedType, "the type 'RAW' is not supported; supported: \(supported)"),
        (#"{"type": "STRUCTURED_TYPE", "nullable": true, "class_name": "com.example.Point"}"#, .unsupportedType,
         "the type 'STRUCTURED_TYPE' (class com.example.Point) is not supported; supported: \(supported)"),
        (#"{"type": "ARRAY", "nullable": true, "element_type": {"type": "VARIANT", "nullable": true}}"#, .unsupportedType,
         "the type 'VARIANT' is not supported; supported: \(supported)"),
        (#"{"type": "INTERVAL_DAY_TIME", "nullable": true, "resolution": "WEEK"}"#, .unsupportedType,
         "the INTERVAL_DAY_TIME resolution 'WEEK' is not supported; supported: DAY, DAY_TO_HOUR, DAY_TO_MINUTE, DAY_TO_SECOND, HOUR, HOUR_TO_MINUTE, HOUR_TO_SECOND, MINUTE, MINUTE_TO_SECOND, SECOND"),
        (#"{"type": "INTERVAL_YEAR_MONTH", "nullable": true, "resolution": "DAY"}"#, .unsupportedType,
         "the INTERVAL_YEAR_MONTH resolution 'DAY' is not supported; supported: YEAR, YEAR_TO_MONTH, MONTH"),
        (#"{"type": "ARRAY", "nullable": true}"#, .invalidType, "the type 'ARRAY' has no element_type"),
        (#"{"type": "MULTISET", "nullable": true, "key_type": {"type": "INTEGER"}}"#, .invalidType, "the type 'MULTISET' has no element_type"),
        (#"{"type": "MAP", "nullable": true, "key_type": {"type": "INTEGER"}}"#, .invalidType, "the type 'MAP' has no value_type"),
        (#"{"type": "MAP", "nullable": true, "value_type": {"type": "INTEGER"}}"#, .invalidType, "the type 'MAP' has no key_type"),
        (#"{"type": "DECIMAL", "nullable": true, "precision": 50, "scale": 2}"#, .invalidType,
         "DECIMAL(50, 2) is not a valid type: DECIMAL precision must be 1 to 38, not 50"),
        (#"{"type": "ARRAY", "nullable": true, "element_type": {"type": "VARCHAR", "nullable": true, "length": 0}}"#, .invalidType,
         "ARRAY<VARCHAR(0)> is not a valid type: VARCHAR length must be 1 to 2147483647, not 0"),
        (#"{"type": "TIMESTAMP_WITH_LOCAL_TIME_ZONE", "nullable": false, "precision": 12}"#, .invalidType,
         "TIMESTAMP_LTZ(12) NOT NULL is not a valid type: TIMESTAMP_LTZ precision must be 0 to 9, not 12"),
        (#"{"type": "ROW", "nullable": true, "fields": [{"name": "a", "field_type": {"type": "INTEGER"}}, {"name": "a", "field_type": {"type": "DATE"}}]}"#,
         .invalidType, "ROW<`a` INT, `a` DATE> is not a valid type: ROW field 2 repeats the name `a`; field names must be unique"),
        (#"{"type": "NULL", "nullable": false}"#, .invalidType, "NULL NOT NULL is not a valid type: the NULL type is always nullable"),
    ])
    func unreadableTypesThrowTheBuilderError(json: String, code: TableAPIError.Code, message: String) throws {
        let wire = try Self.wire(json)
        #expect(throws: TableAPIError(code, message)) { try wire.tableAPIType() }
    }

    @Test(arguments: [
        #"{"nullable": true}"#,
        #"{"type": 5}"#,
        #"{"type": "ROW", "fields": [{"name": "a"}]}"#,
        #"{"type": "ARRAY", "element_type": "INTEGER"}"#,
    ])
    func malformedTypeObjectsDoNotDecode(json: String) {
        #expect(throws: DecodingError.self) { try Self.wire(json) }
    }

    @Test func tableColumnsGivesNamesAndTypesInOrder() throws {
        let json = """
            {"columns": [
              {"name": "key", "type": {"type": "VARBINARY", "nullable": true, "length": 2147483647}},
              {"name": "ticket_price", "type": {"type": "DECIMAL", "nullable": true, "precision": 10, "scale": 2}},
              {"name": "legs", "type": {"type": "ARRAY", "nullable": false, "element_type": {"type": "ROW", "nullable": true,
                "fields": [{"name": "from", "field_type": {"type": "CHAR", "nullable": false, "length": 3}},
                           {"name": "at", "field_type": {"type": "TIMESTAMP_WITHOUT_TIME_ZONE", "nullable": true, "precision": 3},
                            "description": "departure"}]}}},
              {"name": "$rowtime", "type": {"type": "TIMESTAMP_WITH_LOCAL_TIME_ZONE", "nullable": false, "precision": 3}, "kind": "Metadata"}
            ]}
            """
        let schema = try JSONDecoder().decode(Statement.Schema.self, from: Data(json.utf8))
        let columns = try schema.tableColumns()
        #expect(columns.map(\.sql) == [
            "`key` BYTES", "`ticket_price` DECIMAL(10, 2)",
            "`legs` ARRAY<ROW<`from` CHAR(3) NOT NULL, `at` TIMESTAMP(3) 'departure'>> NOT NULL",
            "`$rowtime` TIMESTAMP_LTZ(3) NOT NULL",
        ])
        #expect(try Schema(columns).names == ["key", "ticket_price", "legs", "$rowtime"])
    }

    @Test func tableColumnsOfNoColumnsIsEmpty() throws {
        #expect(try Statement.Schema().tableColumns().isEmpty)
        #expect(try Statement.Schema(columns: []).tableColumns().isEmpty)
    }

    @Test func anUnknownColumnTypeNamesTheColumnTheTypeAndWhatIsSupported() {
        let schema = Statement.Schema(columns: [
            .init(name: "id", type: .init(type: "BIGINT", nullable: false)),
            .init(name: "pay`load", type: .init(type: "ARRAY", nullable: true, elementType: .init(type: "RAW", nullable: true))),
        ])
        #expect(throws: TableAPIError(.unsupportedType, "column `pay``load`: the type 'RAW' is not supported; supported: \(Self.supported)")) {
            try schema.tableColumns()
        }
        let outOfRange = Statement.Schema(columns: [.init(name: "d", type: .init(type: "DECIMAL", nullable: true, precision: 39, scale: 0))])
        #expect(throws: TableAPIError(.invalidType, "column `d`: DECIMAL(39, 0) is not a valid type: DECIMAL precision must be 1 to 38, not 39")) {
            try outOfRange.tableColumns()
        }
    }

    /// A whole statement with nested column types goes through encode and decode unchanged,
    /// as the fuzz target `response-decoding` requires of any statement.
    @Test func aStatementWithNestedColumnTypesRoundTrips() throws {
        let types = try WireTypeCase.all().map(\.confluent)
        let statement = Statement(name: "s", status: .init(phase: .completed, traits: .init(schema: .init(
            columns: types.enumerated().map { .init(name: "c\($0.offset)", type: $0.element) }))))
        let encoded = try JSONEncoder().encode(statement)
        #expect(try JSONDecoder().decode(Statement.self, from: encoded) == statement)
    }
}
