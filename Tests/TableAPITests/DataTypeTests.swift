import FoundationEssentials
import TableAPI
import Testing

@Suite struct DataTypeTests {
    @Test(arguments: [
        (DataType.string, "STRING"),
        (.boolean, "BOOLEAN"),
        (.int, "INT"),
        (.bigint, "BIGINT"),
        (.double, "DOUBLE"),
        (.decimal(10, 2), "DECIMAL(10, 2)"),
        (.bytes, "BYTES"),
        (.varchar(20), "VARCHAR(20)"),
        (.char(6), "CHAR(6)"),
        (.timestamp(3), "TIMESTAMP(3)"),
        (.timestampLTZ(3), "TIMESTAMP_LTZ(3)"),
        (DataType.timestampLTZ(3).notNull, "TIMESTAMP_LTZ(3) NOT NULL"),
        (DataType.string.notNull.nullable, "STRING"),
        (.varchar(DataType.maxLength), "STRING"),
    ])
    func rendersFlinkTypeNames(type: DataType, sql: String) {
        #expect(type.sql == sql)
        #expect(type.description == sql)
    }

    @Test func longestVarcharIsString() {
        #expect(DataType.varchar(DataType.maxLength) == .string)
        #expect(DataType.string.notNull != .string)
        #expect(DataType.string.notNull.sameIgnoringNullability(.string))
        #expect(!DataType.varchar(10).sameIgnoringNullability(.string))
    }

    @Test func assignabilityFollowsTypeFamilies() {
        #expect(DataType.varchar(10).isAssignable(to: .string))
        #expect(DataType.int.isAssignable(to: .decimal(10, 2)))
        #expect(!DataType.bigint.isAssignable(to: .string))
        #expect(!DataType.timestamp(3).isAssignable(to: .timestampLTZ(3)))
        #expect(DataType.char(3).isComparable(with: .string))
        #expect(!DataType.boolean.isComparable(with: .int))
    }

    @Test(arguments: [
        (DataType.decimal(40, 2), "DECIMAL(40, 2)"),
        (.decimal(-1, 0), "DECIMAL(-1, 0)"),
        (.decimal(5, 6), "DECIMAL(5, 6)"),
        (.varchar(0), "VARCHAR(0)"),
        (.char(-3), "CHAR(-3)"),
        (.timestamp(10), "TIMESTAMP(10)"),
        (.timestampLTZ(-1), "TIMESTAMP_LTZ(-1)"),
    ])
    func parametersOutOfRangeAreRejected(type: DataType, sql: String) {
        #expect(throws: TableAPIError(.invalidType, "\(sql) is not a valid type: lengths are 1 to 2147483647, DECIMAL precision 1 to 38 with a scale from 0 to the precision, timestamp precision 0 to 9")) {
            try type.validate()
        }
    }

    @Test(arguments: [
        ("VARCHAR", true, 2_147_483_647, nil, nil, "STRING"),
        ("VARCHAR", false, 10, nil, nil, "VARCHAR(10) NOT NULL"),
        ("varchar", true, nil, nil, nil, "STRING"),
        ("STRING", true, nil, nil, nil, "STRING"),
        ("CHAR", false, 8, nil, nil, "CHAR(8) NOT NULL"),
        ("BOOLEAN", true, nil, nil, nil, "BOOLEAN"),
        ("INTEGER", true, nil, nil, nil, "INT"),
        ("INT", false, nil, nil, nil, "INT NOT NULL"),
        ("BIGINT", true, nil, nil, nil, "BIGINT"),
        ("DOUBLE", true, nil, nil, nil, "DOUBLE"),
        ("DECIMAL", true, nil, 10, 2, "DECIMAL(10, 2)"),
        ("DECIMAL", true, nil, nil, nil, "DECIMAL(10, 0)"),
        ("VARBINARY", true, 2_147_483_647, nil, nil, "BYTES"),
        ("BYTES", true, nil, nil, nil, "BYTES"),
        ("TIMESTAMP_WITHOUT_TIME_ZONE", true, nil, 6, nil, "TIMESTAMP(6)"),
        ("TIMESTAMP_WITH_LOCAL_TIME_ZONE", false, nil, 3, nil, "TIMESTAMP_LTZ(3) NOT NULL"),
        ("TIMESTAMP_LTZ", true, nil, nil, nil, "TIMESTAMP_LTZ(6)"),
    ] as [(String, Bool, Int?, Int?, Int?, String)])
    func readsConfluentTypeFields(type: String, nullable: Bool, length: Int?, precision: Int?, scale: Int?, sql: String) throws {
        let parsed = try DataType(confluentType: type, nullable: nullable, length: length, precision: precision, scale: scale)
        #expect(parsed.sql == sql)
    }

    @Test func unsupportedConfluentTypesAreNamed() {
        let supported = "BIGINT, BOOLEAN, BYTES, CHAR, DECIMAL, DOUBLE, INT, INTEGER, STRING, TIMESTAMP, TIMESTAMP_LTZ, TIMESTAMP_WITHOUT_TIME_ZONE, TIMESTAMP_WITH_LOCAL_TIME_ZONE, VARBINARY, VARCHAR"
        #expect(throws: TableAPIError(.unsupportedType, "the column type 'ARRAY' is not supported; supported: \(supported)")) {
            try DataType(confluentType: "ARRAY", nullable: true)
        }
        #expect(throws: TableAPIError(.unsupportedType, "the column type 'VARBINARY(16)' is not supported; supported: \(supported)")) {
            try DataType(confluentType: "VARBINARY", nullable: true, length: 16)
        }
        #expect(throws: TableAPIError.self) { try DataType(confluentType: "DECIMAL", nullable: true, precision: 50, scale: 2) }
    }

    @Test func decodesConfluentSchemaColumns() throws {
        let json = """
        [
          {"name": "key", "type": {"type": "VARBINARY", "nullable": true, "length": 2147483647}},
          {"name": "flight_number", "type": {"type": "VARCHAR", "nullable": true, "length": 2147483647}},
          {"name": "ticket_price", "type": {"type": "DECIMAL", "nullable": true, "precision": 10, "scale": 2}},
          {"name": "flight_duration", "type": {"type": "BIGINT", "nullable": true}},
          {"name": "$rowtime", "type": {"type": "TIMESTAMP_WITH_LOCAL_TIME_ZONE", "nullable": false, "precision": 3}, "kind": "Metadata"}
        ]
        """
        let columns = try JSONDecoder().decode([Column].self, from: Data(json.utf8))
        let schema = try Schema(columns)
        #expect(schema.columns.map(\.sql) == [
            "`key` BYTES", "`flight_number` STRING", "`ticket_price` DECIMAL(10, 2)", "`flight_duration` BIGINT",
            "`$rowtime` TIMESTAMP_LTZ(3) NOT NULL",
        ])
    }

    @Test func decodingAnUnsupportedTypeThrowsTheBuilderError() {
        let json = #"{"type": "ARRAY", "nullable": true, "element_type": {"type": "INTEGER", "nullable": true}}"#
        #expect(throws: TableAPIError.self) { try JSONDecoder().decode(DataType.self, from: Data(json.utf8)) }
    }
}
