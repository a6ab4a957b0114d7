/// Flink's ranges for type parameters, checked through nested types.
extension DataType {
    /// Throws unless every parameter, here and in nested types, is in Flink's range: lengths 1 to
    /// ``maxLength``; `DECIMAL` precision 1 to 38 with a scale from 0 to the precision; `TIME` and
    /// timestamp precision 0 to 9; interval year precision 1 to 4, day precision 1 to 6 and
    /// fractional second precision 0 to 9; `ROW` field names non-empty, without line breaks and
    /// unique; the `NULL` type never `NOT NULL`. The message names the first problem found.
    public func validate() throws(TableAPIError) {
        if let problem {
            throw TableAPIError(.invalidType, "\(sql) is not a valid type: \(problem)")
        }
    }

    private var problem: String? {
        switch root {
        case .string, .bytes, .boolean, .tinyint, .smallint, .int, .bigint, .float, .double, .date:
            return nil
        case .char(let length): return Self.outOfRange("CHAR length", length, 1...Self.maxLength)
        case .varchar(let length): return Self.outOfRange("VARCHAR length", length, 1...Self.maxLength)
        case .binary(let length): return Self.outOfRange("BINARY length", length, 1...Self.maxLength)
        case .varbinary(let length): return Self.outOfRange("VARBINARY length", length, 1...Self.maxLength)
        case .decimal(let precision, let scale):
            if let problem = Self.outOfRange("DECIMAL precision", precision, 1...38) { return problem }
            return (0...precision).contains(scale) ? nil : "DECIMAL scale must be 0 to the precision \(precision), not \(scale)"
        case .time(let precision): return Self.outOfRange("TIME precision", precision, 0...9)
        case .timestamp(let precision): return Self.outOfRange("TIMESTAMP precision", precision, 0...9)
        case .timestampLTZ(let precision): return Self.outOfRange("TIMESTAMP_LTZ precision", precision, 0...9)
        case .timestampTZ(let precision): return Self.outOfRange("TIMESTAMP WITH TIME ZONE precision", precision, 0...9)
        case .yearMonthInterval(.year(let precision)), .yearMonthInterval(.yearToMonth(let precision)):
            return Self.outOfRange("INTERVAL year precision", precision, 1...4)
        case .yearMonthInterval(.month):
            return nil
        case .dayTimeInterval(let interval):
            return interval.dayPrecision.flatMap { Self.outOfRange("INTERVAL day precision", $0, 1...6) }
                ?? interval.fractionalPrecision.flatMap { Self.outOfRange("INTERVAL fractional second precision", $0, 0...9) }
        case .array(let element), .multiset(let element):
            return element.problem
        case .map(let key, let value):
            return key.problem ?? value.problem
        case .row(let fields):
            return Self.problem(in: fields)
        case .null:
            return isNullable ? nil : "the NULL type is always nullable"
        }
    }

    private static func problem(in fields: [Field]) -> String? {
        for (position, field) in fields.enumerated() {
            do {
                try SQL.checkIdentifier(field.name)
            } catch {
                return "ROW field \(position + 1): \(error.message)"
            }
            if fields[..<position].contains(where: { Schema.sameName($0.name, field.name) }) {
                return "ROW field \(position + 1) repeats the name \(SQL.identifier(field.name)); field names must be unique"
            }
            if let problem = field.type.problem { return problem }
        }
        return nil
    }

    private static func outOfRange(_ what: String, _ value: Int, _ range: ClosedRange<Int>) -> String? {
        range.contains(value) ? nil : "\(what) must be \(range.lowerBound) to \(range.upperBound), not \(value)"
    }
}
