extension Statement {
    /// OAS `DataType`: a column type as Confluent reports it in `status.traits.schema.columns`,
    /// Flink's logical type in JSON, e.g. `{"type": "ARRAY", "nullable": true, "element_type":
    /// {"type": "INTEGER", "nullable": false}}`. Nested types nest to any depth; unknown fields
    /// are ignored. ``tableAPIType()`` gives the builder's type, ``init(_:)`` the other way round.
    ///
    /// Written with the OAS's snake_case keys. When reading, a key in Flink's own camelCase
    /// spelling (`elementType`, `keyType`, `valueType`, `fractionalPrecision`, and `fieldType` in
    /// a field) counts where the snake_case key is absent: Confluent's data type reference shows
    /// that spelling in its examples, and a schema must not fail to read over it.
    public struct DataType: Codable, Sendable, Equatable {
        /// Flink's logical type root: `VARCHAR`, `INTEGER`, `DECIMAL`, `TIMESTAMP_WITH_LOCAL_TIME_ZONE`,
        /// `INTERVAL_DAY_TIME`, `ARRAY`, `ROW`, …
        public var type: String
        /// Required by the OAS, yet Confluent's reference shows `{"type": "NULL"}` without it;
        /// absent means nullable.
        public var nullable: Bool?
        /// Of `CHAR`, `VARCHAR`, `BINARY`, `VARBINARY`.
        public var length: Int?
        /// Digits of a `DECIMAL`, fractional second digits of `TIME` and timestamps, digits of
        /// years or days of an interval.
        public var precision: Int?
        /// Of a `DECIMAL`.
        public var scale: Int?
        /// Of a `ROW`, in order.
        public var fields: [RowField]?
        /// Of an interval: `YEAR`, `YEAR_TO_MONTH`, `MONTH`, `DAY`, `DAY_TO_HOUR`, …, `SECOND`.
        public var resolution: String?
        /// Fractional second digits of a day-time interval.
        public var fractionalPrecision: Int?
        /// Of a structured type.
        public var className: String?
        private var boxedKeyType: NestedType?
        private var boxedValueType: NestedType?
        private var boxedElementType: NestedType?

        /// Of a `MAP`.
        public var keyType: DataType? {
            get { boxedKeyType?.type }
            set { boxedKeyType = newValue.map(NestedType.init) }
        }

        /// Of a `MAP`.
        public var valueType: DataType? {
            get { boxedValueType?.type }
            set { boxedValueType = newValue.map(NestedType.init) }
        }

        /// Of an `ARRAY` or `MULTISET`.
        public var elementType: DataType? {
            get { boxedElementType?.type }
            set { boxedElementType = newValue.map(NestedType.init) }
        }

        public init(type: String, nullable: Bool? = nil, length: Int? = nil, precision: Int? = nil, scale: Int? = nil,
                    keyType: DataType? = nil, valueType: DataType? = nil, elementType: DataType? = nil,
                    fields: [RowField]? = nil, resolution: String? = nil, fractionalPrecision: Int? = nil, className: String? = nil) {
            self.type = type
            self.nullable = nullable
            self.length = length
            self.precision = precision
            self.scale = scale
            self.fields = fields
            self.resolution = resolution
            self.fractionalPrecision = fractionalPrecision
            self.className = className
            self.keyType = keyType
            self.valueType = valueType
            self.elementType = elementType
        }

        private enum CodingKeys: String, CodingKey {
            case type, nullable, length, precision, scale, fields, resolution
            case keyType = "key_type", valueType = "value_type", elementType = "element_type"
            case fractionalPrecision = "fractional_precision", className = "class_name"
        }

        /// Flink's spelling of the keys whose OAS spelling differs (`LogicalTypeJsonSerializer`).
        private enum FlinkKeys: String, CodingKey {
            case keyType, valueType, elementType, fractionalPrecision
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let flink = try decoder.container(keyedBy: FlinkKeys.self)
            self.init(
                type: try container.decode(String.self, forKey: .type),
                nullable: try container.decodeIfPresent(Bool.self, forKey: .nullable),
                length: try container.decodeIfPresent(Int.self, forKey: .length),
                precision: try container.decodeIfPresent(Int.self, forKey: .precision),
                scale: try container.decodeIfPresent(Int.self, forKey: .scale),
                keyType: try container.decodeIfPresent(DataType.self, forKey: .keyType)
                    ?? flink.decodeIfPresent(DataType.self, forKey: .keyType),
                valueType: try container.decodeIfPresent(DataType.self, forKey: .valueType)
                    ?? flink.decodeIfPresent(DataType.self, forKey: .valueType),
                elementType: try container.decodeIfPresent(DataType.self, forKey: .elementType)
                    ?? flink.decodeIfPresent(DataType.self, forKey: .elementType),
                fields: try container.decodeIfPresent([RowField].self, forKey: .fields),
                resolution: try container.decodeIfPresent(String.self, forKey: .resolution),
                fractionalPrecision: try container.decodeIfPresent(Int.self, forKey: .fractionalPrecision)
                    ?? flink.decodeIfPresent(Int.self, forKey: .fractionalPrecision),
                className: try container.decodeIfPresent(String.self, forKey: .className))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encodeIfPresent(nullable, forKey: .nullable)
            try container.encodeIfPresent(length, forKey: .length)
            try container.encodeIfPresent(precision, forKey: .precision)
            try container.encodeIfPresent(scale, forKey: .scale)
            try container.encodeIfPresent(keyType, forKey: .keyType)
            try container.encodeIfPresent(valueType, forKey: .valueType)
            try container.encodeIfPresent(elementType, forKey: .elementType)
            try container.encodeIfPresent(fields, forKey: .fields)
            try container.encodeIfPresent(resolution, forKey: .resolution)
            try container.encodeIfPresent(fractionalPrecision, forKey: .fractionalPrecision)
            try container.encodeIfPresent(className, forKey: .className)
        }
    }

    /// OAS `RowFieldType`: one field of a `ROW`.
    public struct RowField: Codable, Sendable, Equatable {
        public var name: String
        public var fieldType: DataType
        public var description: String?

        public init(name: String, fieldType: DataType, description: String? = nil) {
            self.name = name
            self.fieldType = fieldType
            self.description = description
        }

        private enum CodingKeys: String, CodingKey {
            case name, fieldType = "field_type", description
        }

        /// Flink's spelling, as in ``DataType``.
        private enum FlinkKeys: String, CodingKey {
            case fieldType
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let flink = try decoder.container(keyedBy: FlinkKeys.self)
            self.init(
                name: try container.decode(String.self, forKey: .name),
                fieldType: try container.decodeIfPresent(DataType.self, forKey: .fieldType)
                    ?? flink.decode(DataType.self, forKey: .fieldType),
                description: try container.decodeIfPresent(String.self, forKey: .description))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(fieldType, forKey: .fieldType)
            try container.encodeIfPresent(description, forKey: .description)
        }
    }
}

/// A nested type behind a reference: a struct cannot hold a value of its own type inline.
private final class NestedType: Sendable, Equatable {
    let type: Statement.DataType

    init(_ type: Statement.DataType) { self.type = type }

    static func == (lhs: NestedType, rhs: NestedType) -> Bool { lhs.type == rhs.type }
}
