/// A column's SQL data type, as Flink SQL writes it: `STRING`, `DECIMAL(10, 2)`,
/// `TIMESTAMP_LTZ(3) NOT NULL`, `` ROW<`a` INT, `b` ARRAY<STRING>> ``, …: every type Confluent
/// Cloud for Apache Flink reports for a table column.
///
/// Types compare exactly, nested nullability, field names and field descriptions included;
/// ``sameIgnoringNullability(_:)`` is the looser rule `UNION ALL` uses. `VARCHAR(2147483647)` is
/// normalized to `STRING` and `VARBINARY(2147483647)` to `BYTES`, as Flink does.
///
/// ``sql`` renders a type, ``init(sql:)`` reads one back, ``validate()`` checks its parameters.
public struct DataType: Hashable, Sendable, CustomStringConvertible {
    public enum Root: Hashable, Sendable {
        case string
        case char(length: Int)
        case varchar(length: Int)
        case bytes
        case binary(length: Int)
        case varbinary(length: Int)
        case boolean
        case tinyint
        case smallint
        case int
        case bigint
        case float
        case double
        case decimal(precision: Int, scale: Int)
        case date
        /// `TIME(p)`, without time zone.
        case time(precision: Int)
        /// `TIMESTAMP(p)`, without time zone.
        case timestamp(precision: Int)
        /// `TIMESTAMP_LTZ(p)`, i.e. `TIMESTAMP(p) WITH LOCAL TIME ZONE`.
        case timestampLTZ(precision: Int)
        /// `TIMESTAMP(p) WITH TIME ZONE`.
        case timestampTZ(precision: Int)
        case yearMonthInterval(YearMonthInterval)
        case dayTimeInterval(DayTimeInterval)
        indirect case array(DataType)
        indirect case multiset(DataType)
        indirect case map(key: DataType, value: DataType)
        case row([Field])
        /// The type of an untyped `NULL`; always nullable.
        case null

        /// The roots that take no parameters, by the name Flink SQL and Confluent's type objects
        /// both give them (upper case).
        public static func parameterless(named name: String) -> Root? {
            switch name {
            case "STRING": .string
            case "BYTES": .bytes
            case "BOOLEAN": .boolean
            case "TINYINT": .tinyint
            case "SMALLINT": .smallint
            case "INT", "INTEGER": .int
            case "BIGINT": .bigint
            case "FLOAT": .float
            case "DOUBLE": .double
            case "DATE": .date
            case "NULL": .null
            default: nil
            }
        }
    }

    /// One field of a `ROW`: a name, a type and an optional description, as in
    /// `` ROW<`name` STRING 'the customer''s name'> ``.
    public struct Field: Hashable, Sendable {
        public let name: String
        public let type: DataType
        public let description: String?

        public init(_ name: String, _ type: DataType, description: String? = nil) {
            self.name = name
            self.type = type
            self.description = description
        }
    }

    /// The largest length of a character or binary type; `VARCHAR` of this length is `STRING`,
    /// `VARBINARY` of this length is `BYTES`.
    public static let maxLength = 2_147_483_647

    public let root: Root
    public let isNullable: Bool

    public init(_ root: Root, nullable: Bool = true) {
        self.root = switch root {
        case .varchar(Self.maxLength): .string
        case .varbinary(Self.maxLength): .bytes
        default: root
        }
        self.isNullable = nullable
    }

    public static let string = DataType(.string)
    public static let bytes = DataType(.bytes)
    public static let boolean = DataType(.boolean)
    public static let tinyint = DataType(.tinyint)
    public static let smallint = DataType(.smallint)
    public static let int = DataType(.int)
    public static let bigint = DataType(.bigint)
    public static let float = DataType(.float)
    public static let double = DataType(.double)
    public static let date = DataType(.date)
    public static let null = DataType(.null)
    public static func char(_ length: Int) -> DataType { DataType(.char(length: length)) }
    public static func varchar(_ length: Int) -> DataType { DataType(.varchar(length: length)) }
    public static func binary(_ length: Int) -> DataType { DataType(.binary(length: length)) }
    public static func varbinary(_ length: Int) -> DataType { DataType(.varbinary(length: length)) }
    public static func decimal(_ precision: Int, _ scale: Int) -> DataType { DataType(.decimal(precision: precision, scale: scale)) }
    public static func time(_ precision: Int) -> DataType { DataType(.time(precision: precision)) }
    public static func timestamp(_ precision: Int) -> DataType { DataType(.timestamp(precision: precision)) }
    public static func timestampLTZ(_ precision: Int) -> DataType { DataType(.timestampLTZ(precision: precision)) }
    public static func timestampTZ(_ precision: Int) -> DataType { DataType(.timestampTZ(precision: precision)) }
    public static func interval(_ interval: YearMonthInterval) -> DataType { DataType(.yearMonthInterval(interval)) }
    public static func interval(_ interval: DayTimeInterval) -> DataType { DataType(.dayTimeInterval(interval)) }
    public static func array(_ element: DataType) -> DataType { DataType(.array(element)) }
    public static func multiset(_ element: DataType) -> DataType { DataType(.multiset(element)) }
    public static func map(_ key: DataType, _ value: DataType) -> DataType { DataType(.map(key: key, value: value)) }
    public static func row(_ fields: [Field]) -> DataType { DataType(.row(fields)) }

    /// This type with `NOT NULL`.
    public var notNull: DataType { DataType(root, nullable: false) }
    /// This type without `NOT NULL`.
    public var nullable: DataType { DataType(root, nullable: true) }

    public var description: String { sql }
}
