/// Writing a type as Flink SQL, in the one spelling ``DataType/init(sql:)`` reads back to the
/// same value: parameters always written out (`TIMESTAMP(6)`, not `TIMESTAMP`), `ROW` field
/// names always back-quoted, descriptions as string literals.
extension DataType {
    /// `DECIMAL(10, 2) NOT NULL`, `` ROW<`a` INT NOT NULL, `b` ARRAY<STRING>> ``, `MAP<STRING, BIGINT>`.
    public var sql: String { isNullable ? rootSQL : rootSQL + " NOT NULL" }

    private var rootSQL: String {
        switch root {
        case .string: "STRING"
        case .char(let length): "CHAR(\(length))"
        case .varchar(let length): "VARCHAR(\(length))"
        case .bytes: "BYTES"
        case .binary(let length): "BINARY(\(length))"
        case .varbinary(let length): "VARBINARY(\(length))"
        case .boolean: "BOOLEAN"
        case .tinyint: "TINYINT"
        case .smallint: "SMALLINT"
        case .int: "INT"
        case .bigint: "BIGINT"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .decimal(let precision, let scale): "DECIMAL(\(precision), \(scale))"
        case .date: "DATE"
        case .time(let precision): "TIME(\(precision))"
        case .timestamp(let precision): "TIMESTAMP(\(precision))"
        case .timestampLTZ(let precision): "TIMESTAMP_LTZ(\(precision))"
        case .timestampTZ(let precision): "TIMESTAMP(\(precision)) WITH TIME ZONE"
        case .yearMonthInterval(let interval): interval.sql
        case .dayTimeInterval(let interval): interval.sql
        case .array(let element): "ARRAY<\(element.sql)>"
        case .multiset(let element): "MULTISET<\(element.sql)>"
        case .map(let key, let value): "MAP<\(key.sql), \(value.sql)>"
        case .row(let fields): "ROW<" + fields.map(\.sql).joined(separator: ", ") + ">"
        case .null: "NULL"
        }
    }
}

extension DataType.Field {
    /// `` `name` STRING NOT NULL 'a description' ``.
    public var sql: String {
        SQL.identifier(name) + " " + type.sql + (description.map { " " + SQL.literal($0) } ?? "")
    }
}
