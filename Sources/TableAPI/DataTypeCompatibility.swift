/// Which types mix: the rules the builder checks filters, unions and inserts with.
extension DataType {
    /// True when the types are equal apart from their own nullability (nested types, field
    /// names and descriptions must match exactly).
    public func sameIgnoringNullability(_ other: DataType) -> Bool { root == other.root }

    /// True when a value of this type can be written into a column of type `target`.
    ///
    /// Scalar types must be in the same family: character, binary, boolean, numeric (`TINYINT`
    /// to `DOUBLE` and `DECIMAL` widen into each other), `DATE`, `TIME`, `TIMESTAMP`,
    /// `TIMESTAMP_LTZ`, `TIMESTAMP WITH TIME ZONE`, year-month intervals, day-time intervals.
    /// Constructed types assign structurally: `ARRAY` to `ARRAY` and `MULTISET` to `MULTISET`
    /// when the elements assign, `MAP` when keys and values do, `ROW` when both have as many
    /// fields and each field assigns to the one at its position (names are not compared: Flink
    /// matches row fields by position). The `NULL` type assigns to anything. Nullability is not
    /// checked here; Flink enforces `NOT NULL` sinks at run time.
    public func isAssignable(to target: DataType) -> Bool {
        switch (root, target.root) {
        case (.null, _):
            return true
        case (.array(let element), .array(let targetElement)), (.multiset(let element), .multiset(let targetElement)):
            return element.isAssignable(to: targetElement)
        case (.map(let key, let value), .map(let targetKey, let targetValue)):
            return key.isAssignable(to: targetKey) && value.isAssignable(to: targetValue)
        case (.row(let fields), .row(let targetFields)):
            return fields.count == targetFields.count
                && zip(fields, targetFields).allSatisfy { $0.type.isAssignable(to: $1.type) }
        default:
            guard let family = root.family else { return false }
            return family == target.root.family
        }
    }

    /// True when values of the two types can be compared: one assigns to the other.
    public func isComparable(with other: DataType) -> Bool {
        isAssignable(to: other) || other.isAssignable(to: self)
    }
}

/// Groups of scalar types that compare with and assign to each other (numeric types widen,
/// character types of any length mix). Types of different families never do.
private enum Family: Equatable {
    case character, binary, boolean, numeric, date, time, timestamp, timestampLTZ, timestampTZ
    case yearMonthInterval, dayTimeInterval
}

extension DataType.Root {
    /// The family of a scalar type; nil for constructed types and `NULL`.
    fileprivate var family: Family? {
        switch self {
        case .string, .char, .varchar: .character
        case .bytes, .binary, .varbinary: .binary
        case .boolean: .boolean
        case .tinyint, .smallint, .int, .bigint, .float, .double, .decimal: .numeric
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .timestampLTZ: .timestampLTZ
        case .timestampTZ: .timestampTZ
        case .yearMonthInterval: .yearMonthInterval
        case .dayTimeInterval: .dayTimeInterval
        case .array, .multiset, .map, .row, .null: nil
        }
    }
}
