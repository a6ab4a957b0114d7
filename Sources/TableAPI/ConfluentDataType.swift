/// Reading the column types Confluent reports in a statement's `status.traits.schema.columns[]`:
/// `{"type": "VARCHAR", "nullable": true, "length": 2147483647}` and the like.
extension DataType {
    /// The type names this initializer understands: Flink's logical type roots as Confluent sends
    /// them, plus the SQL spellings.
    public static let confluentTypeNames = [
        "BIGINT", "BOOLEAN", "BYTES", "CHAR", "DECIMAL", "DOUBLE", "INT", "INTEGER", "STRING", "TIMESTAMP",
        "TIMESTAMP_LTZ", "TIMESTAMP_WITHOUT_TIME_ZONE", "TIMESTAMP_WITH_LOCAL_TIME_ZONE", "VARBINARY", "VARCHAR",
    ]

    /// A type from Confluent's fields. Missing parameters take Flink's defaults (`CHAR(1)`,
    /// `VARCHAR`/`VARBINARY` of the largest length, i.e. `STRING`/`BYTES`, `DECIMAL(10, 0)`,
    /// timestamp precision 6). Throws for types not modelled here (`ARRAY`, `ROW`, `DATE`, a
    /// `VARBINARY` shorter than the largest length, …) and for parameters out of range.
    public init(confluentType type: String, nullable: Bool, length: Int? = nil, precision: Int? = nil, scale: Int? = nil) throws(TableAPIError) {
        let root: Root
        switch type.uppercased() {
        case "STRING": root = .string
        case "VARCHAR": root = .varchar(length: length ?? Self.maxLength)
        case "CHAR": root = .char(length: length ?? 1)
        case "BOOLEAN": root = .boolean
        case "INT", "INTEGER": root = .int
        case "BIGINT": root = .bigint
        case "DOUBLE": root = .double
        case "DECIMAL": root = .decimal(precision: precision ?? 10, scale: scale ?? 0)
        case "BYTES": root = .bytes
        case "VARBINARY" where length == nil || length == Self.maxLength: root = .bytes
        case "TIMESTAMP", "TIMESTAMP_WITHOUT_TIME_ZONE": root = .timestamp(precision: precision ?? 6)
        case "TIMESTAMP_LTZ", "TIMESTAMP_WITH_LOCAL_TIME_ZONE": root = .timestampLTZ(precision: precision ?? 6)
        default:
            let shown = length.map { "\(type)(\($0))" } ?? type
            throw TableAPIError(.unsupportedType, "the column type \(SQL.literal(shown)) is not supported; supported: \(Self.confluentTypeNames.joined(separator: ", "))")
        }
        self.init(root, nullable: nullable)
        try validate()
    }
}

/// Decodes Confluent's type object (`type`, `nullable`, `length`, `precision`, `scale`; other
/// fields ignored). `nullable` defaults to true when absent. An unsupported or out-of-range type
/// throws a ``TableAPIError``, not a `DecodingError`, so callers can report it as a schema problem.
extension DataType: Decodable {
    private enum CodingKeys: String, CodingKey {
        case type, nullable, length, precision, scale
    }

    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            confluentType: try fields.decode(String.self, forKey: .type),
            nullable: try fields.decodeIfPresent(Bool.self, forKey: .nullable) ?? true,
            length: try fields.decodeIfPresent(Int.self, forKey: .length),
            precision: try fields.decodeIfPresent(Int.self, forKey: .precision),
            scale: try fields.decodeIfPresent(Int.self, forKey: .scale)
        )
    }
}
