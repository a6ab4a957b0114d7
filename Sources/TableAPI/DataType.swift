/// A column's SQL data type, as Flink SQL writes it: `STRING`, `DECIMAL(10, 2)`,
/// `TIMESTAMP_LTZ(3) NOT NULL`, …
///
/// Types compare exactly; ``sameIgnoringNullability(_:)`` is the looser rule `UNION ALL` uses.
/// `VARCHAR(2147483647)` is normalized to `STRING`, as Flink does.
public struct DataType: Hashable, Sendable, CustomStringConvertible {
    public enum Root: Hashable, Sendable {
        case string
        case char(length: Int)
        case varchar(length: Int)
        case boolean
        case int
        case bigint
        case double
        case decimal(precision: Int, scale: Int)
        case bytes
        case timestamp(precision: Int)
        case timestampLTZ(precision: Int)
    }

    /// The largest length of a character type; `VARCHAR` of this length is `STRING`.
    public static let maxLength = 2_147_483_647

    public let root: Root
    public let isNullable: Bool

    public init(_ root: Root, nullable: Bool = true) {
        self.root = root == .varchar(length: Self.maxLength) ? .string : root
        self.isNullable = nullable
    }

    public static let string = DataType(.string)
    public static let boolean = DataType(.boolean)
    public static let int = DataType(.int)
    public static let bigint = DataType(.bigint)
    public static let double = DataType(.double)
    public static let bytes = DataType(.bytes)
    public static func char(_ length: Int) -> DataType { DataType(.char(length: length)) }
    public static func varchar(_ length: Int) -> DataType { DataType(.varchar(length: length)) }
    public static func decimal(_ precision: Int, _ scale: Int) -> DataType { DataType(.decimal(precision: precision, scale: scale)) }
    public static func timestamp(_ precision: Int) -> DataType { DataType(.timestamp(precision: precision)) }
    public static func timestampLTZ(_ precision: Int) -> DataType { DataType(.timestampLTZ(precision: precision)) }

    /// This type with `NOT NULL`.
    public var notNull: DataType { DataType(root, nullable: false) }
    /// This type without `NOT NULL`.
    public var nullable: DataType { DataType(root, nullable: true) }

    /// True when values of the two types can be compared (same family as in ``isAssignable(to:)``).
    public func isComparable(with other: DataType) -> Bool { family == other.family }

    /// True when the types are equal apart from nullability.
    public func sameIgnoringNullability(_ other: DataType) -> Bool { root == other.root }

    /// True when a value of this type can be written into a column of type `target`: both are in
    /// the same family (character, binary, boolean, numeric, timestamp, timestamp with local time
    /// zone). Nullability is not checked here; Flink enforces `NOT NULL` sinks at run time.
    public func isAssignable(to target: DataType) -> Bool { family == target.family }

    /// `DECIMAL(10, 2) NOT NULL`.
    public var sql: String { isNullable ? rootSQL : rootSQL + " NOT NULL" }

    public var description: String { sql }

    private var rootSQL: String {
        switch root {
        case .string: "STRING"
        case .char(let length): "CHAR(\(length))"
        case .varchar(let length): "VARCHAR(\(length))"
        case .boolean: "BOOLEAN"
        case .int: "INT"
        case .bigint: "BIGINT"
        case .double: "DOUBLE"
        case .decimal(let precision, let scale): "DECIMAL(\(precision), \(scale))"
        case .bytes: "BYTES"
        case .timestamp(let precision): "TIMESTAMP(\(precision))"
        case .timestampLTZ(let precision): "TIMESTAMP_LTZ(\(precision))"
        }
    }

    /// Throws unless the parameters are in Flink's ranges (lengths ≥ 1, `DECIMAL` precision
    /// 1–38 with scale 0–precision, timestamp precision 0–9).
    public func validate() throws(TableAPIError) {
        let valid = switch root {
        case .string, .boolean, .int, .bigint, .double, .bytes: true
        case .char(let length), .varchar(let length): (1...Self.maxLength).contains(length)
        case .decimal(let precision, let scale): (1...38).contains(precision) && (0...precision).contains(scale)
        case .timestamp(let precision), .timestampLTZ(let precision): (0...9).contains(precision)
        }
        if !valid {
            throw TableAPIError(.invalidType, "\(sql) is not a valid type: lengths are 1 to \(Self.maxLength), DECIMAL precision 1 to 38 with a scale from 0 to the precision, timestamp precision 0 to 9")
        }
    }

    /// Groups of types that compare with and assign to each other (numeric types widen, character
    /// types of any length mix). Types of different families never do.
    private enum Family: Equatable {
        case character, binary, boolean, numeric, timestamp, timestampLTZ
    }

    private var family: Family {
        switch root {
        case .string, .char, .varchar: .character
        case .bytes: .binary
        case .boolean: .boolean
        case .int, .bigint, .double, .decimal: .numeric
        case .timestamp: .timestamp
        case .timestampLTZ: .timestampLTZ
        }
    }
}
