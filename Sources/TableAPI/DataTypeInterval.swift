/// Flink's interval types. Each resolution keeps only the precisions its SQL spelling can set,
/// so every value has exactly one spelling: `INTERVAL HOUR` has neither a day precision nor a
/// fractional second precision (Flink stores its defaults there, which nothing can change).
extension DataType {
    /// Digits of years when a type does not give them: `INTERVAL YEAR` is `INTERVAL YEAR(2)`.
    public static let defaultYearPrecision = 2
    /// Digits of days when a type does not give them: `INTERVAL DAY` is `INTERVAL DAY(2)`.
    public static let defaultDayPrecision = 2
    /// Digits of fractional seconds when a type does not give them: `INTERVAL SECOND` is `INTERVAL SECOND(6)`.
    public static let defaultFractionalPrecision = 6

    /// `INTERVAL YEAR TO MONTH` and its narrower forms; `precision` is the digits of years (1 to 4).
    public enum YearMonthInterval: Hashable, Sendable {
        /// `INTERVAL YEAR(p)`.
        case year(precision: Int)
        /// `INTERVAL YEAR(p) TO MONTH`.
        case yearToMonth(precision: Int)
        /// `INTERVAL MONTH`.
        case month

        var sql: String {
            switch self {
            case .year(let precision): "INTERVAL YEAR(\(precision))"
            case .yearToMonth(let precision): "INTERVAL YEAR(\(precision)) TO MONTH"
            case .month: "INTERVAL MONTH"
            }
        }
    }

    /// `INTERVAL DAY TO SECOND` and its narrower forms; `precision` is the digits of days (1 to 6),
    /// `fractional` the digits of fractional seconds (0 to 9).
    public enum DayTimeInterval: Hashable, Sendable {
        /// `INTERVAL DAY(p)`.
        case day(precision: Int)
        /// `INTERVAL DAY(p) TO HOUR`.
        case dayToHour(precision: Int)
        /// `INTERVAL DAY(p) TO MINUTE`.
        case dayToMinute(precision: Int)
        /// `INTERVAL DAY(p) TO SECOND(f)`.
        case dayToSecond(precision: Int, fractional: Int)
        /// `INTERVAL HOUR`.
        case hour
        /// `INTERVAL HOUR TO MINUTE`.
        case hourToMinute
        /// `INTERVAL HOUR TO SECOND(f)`.
        case hourToSecond(fractional: Int)
        /// `INTERVAL MINUTE`.
        case minute
        /// `INTERVAL MINUTE TO SECOND(f)`.
        case minuteToSecond(fractional: Int)
        /// `INTERVAL SECOND(f)`.
        case second(fractional: Int)

        /// The digits of days, where the resolution starts with days.
        public var dayPrecision: Int? {
            switch self {
            case .day(let precision), .dayToHour(let precision), .dayToMinute(let precision), .dayToSecond(let precision, _): precision
            case .hour, .hourToMinute, .hourToSecond, .minute, .minuteToSecond, .second: nil
            }
        }

        /// The digits of fractional seconds, where the resolution ends with seconds.
        public var fractionalPrecision: Int? {
            switch self {
            case .dayToSecond(_, let fractional), .hourToSecond(let fractional), .minuteToSecond(let fractional), .second(let fractional): fractional
            case .day, .dayToHour, .dayToMinute, .hour, .hourToMinute, .minute: nil
            }
        }

        var sql: String {
            switch self {
            case .day(let precision): "INTERVAL DAY(\(precision))"
            case .dayToHour(let precision): "INTERVAL DAY(\(precision)) TO HOUR"
            case .dayToMinute(let precision): "INTERVAL DAY(\(precision)) TO MINUTE"
            case .dayToSecond(let precision, let fractional): "INTERVAL DAY(\(precision)) TO SECOND(\(fractional))"
            case .hour: "INTERVAL HOUR"
            case .hourToMinute: "INTERVAL HOUR TO MINUTE"
            case .hourToSecond(let fractional): "INTERVAL HOUR TO SECOND(\(fractional))"
            case .minute: "INTERVAL MINUTE"
            case .minuteToSecond(let fractional): "INTERVAL MINUTE TO SECOND(\(fractional))"
            case .second(let fractional): "INTERVAL SECOND(\(fractional))"
            }
        }
    }
}
