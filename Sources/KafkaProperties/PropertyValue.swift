import Text

/// A Kafka client property value. SSM stores only strings; like the original, values that read
/// as numbers become numbers, so JSON output is typed.
public enum PropertyValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case decimal(Double)
    case boolean(Bool)

    /// `"1,048,576"` and `"-5"` become integers, `"0.25"` a decimal, anything else stays text.
    /// Stricter than the original, which stripped every non-digit before reading a decimal
    /// (so `"v1.2"` became 1.2): here only a plain number with optional thousands separators counts.
    public init(coercing text: String) {
        let trimmed = Substring(text.trimmed())
        if let integer = Self.integer(trimmed) {
            self = .integer(integer)
        } else if let decimal = Self.decimal(trimmed) {
            self = .decimal(decimal)
        } else {
            self = .string(text)
        }
    }

    /// The text a `.properties` file carries.
    public var text: String {
        switch self {
        case .string(let value): return value
        case .integer(let value): return String(value)
        case .decimal(let value): return String(value)
        case .boolean(let value): return value ? "true" : "false"
        }
    }

    private static func integer(_ text: Substring) -> Int64? {
        var digits = text
        let negative = digits.first == "-"
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard let first = digits.first, first.isASCII, first.isNumber else { return nil }
        if digits.contains(",") {
            // Thousands separators: 1 to 3 digits, then groups of exactly 3.
            let groups = digits.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            digits = Substring(groups.joined())
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let magnitude = Int64(digits) else { return nil }
        return negative ? -magnitude : magnitude
    }

    private static func decimal(_ text: Substring) -> Double? {
        var body = text
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !(parts[0].isEmpty && parts[1].isEmpty),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        return Double(text)
    }
}
