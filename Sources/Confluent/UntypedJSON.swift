/// Any JSON value, decoded and encoded back unchanged. A PUT must send the statement back
/// whole, including `spec` fields this client does not model (`scaling`, `execution_mode`, and
/// whatever a newer API adds), so the update is made on the JSON as read, not on `Statement`.
enum UntypedJSON: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    /// Integers apart from other numbers, so that an `int64` field is not rounded through Double.
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([UntypedJSON])
    case object([String: UntypedJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([UntypedJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: UntypedJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }

    subscript(key: String) -> UntypedJSON? {
        get {
            if case .object(let members) = self { return members[key] }
            return nil
        }
        set {
            guard case .object(var members) = self else { return }
            members[key] = newValue
            self = .object(members)
        }
    }
}
