import TableAPI

/// Between Confluent's type objects and the builder's types: the only place that knows both.
extension Statement.DataType {
    /// The `type` values ``tableAPIType()`` reads: Flink's logical type roots, as Confluent sends
    /// them, and the SQL names of some of them.
    public static let supportedTypeNames = [
        "ARRAY", "BIGINT", "BINARY", "BOOLEAN", "BYTES", "CHAR", "DATE", "DECIMAL", "DOUBLE", "FLOAT", "INT", "INTEGER",
        "INTERVAL_DAY_TIME", "INTERVAL_YEAR_MONTH", "MAP", "MULTISET", "NULL", "ROW", "SMALLINT", "STRING", "TIME",
        "TIME_WITHOUT_TIME_ZONE", "TIMESTAMP", "TIMESTAMP_LTZ", "TIMESTAMP_WITHOUT_TIME_ZONE",
        "TIMESTAMP_WITH_LOCAL_TIME_ZONE", "TIMESTAMP_WITH_TIME_ZONE", "TINYINT", "VARBINARY", "VARCHAR",
    ]

    /// The builder's type for this one, validated.
    ///
    /// Missing parameters take Flink's defaults: `CHAR` and `BINARY` length 1, `VARCHAR` and
    /// `VARBINARY` the longest (`STRING`, `BYTES`), `DECIMAL(10, 0)`, `TIME` precision 0,
    /// timestamp precision 6, interval precisions 2 (years, days) and 6 (fractional seconds); an
    /// interval without a `resolution` is the widest one (`YEAR_TO_MONTH`, `DAY_TO_SECOND`). A
    /// missing `nullable` means nullable. `type` and `resolution` are read case-insensitively.
    ///
    /// Throws ``TableAPIError/Code/unsupportedType`` for a `type` or `resolution` this does not
    /// know, naming it and listing what is supported, and ``TableAPIError/Code/invalidType`` for
    /// a collection without its nested type or a parameter out of range.
    public func tableAPIType() throws(TableAPIError) -> TableAPI.DataType {
        let converted = try unvalidatedType()
        try converted.validate()
        return converted
    }

    /// Conversion without the range checks, which ``tableAPIType()`` does once for the whole tree.
    private func unvalidatedType() throws(TableAPIError) -> TableAPI.DataType {
        TableAPI.DataType(try root(), nullable: nullable ?? true)
    }

    private func root() throws(TableAPIError) -> TableAPI.DataType.Root {
        let name = type.uppercased()
        if let root = TableAPI.DataType.Root.parameterless(named: name) { return root }
        switch name {
        case "CHAR": return .char(length: length ?? 1)
        case "VARCHAR": return .varchar(length: length ?? TableAPI.DataType.maxLength)
        case "BINARY": return .binary(length: length ?? 1)
        case "VARBINARY": return .varbinary(length: length ?? TableAPI.DataType.maxLength)
        case "DECIMAL": return .decimal(precision: precision ?? 10, scale: scale ?? 0)
        case "TIME", "TIME_WITHOUT_TIME_ZONE": return .time(precision: precision ?? 0)
        case "TIMESTAMP", "TIMESTAMP_WITHOUT_TIME_ZONE": return .timestamp(precision: precision ?? 6)
        case "TIMESTAMP_LTZ", "TIMESTAMP_WITH_LOCAL_TIME_ZONE": return .timestampLTZ(precision: precision ?? 6)
        case "TIMESTAMP_WITH_TIME_ZONE": return .timestampTZ(precision: precision ?? 6)
        case "INTERVAL_YEAR_MONTH": return .yearMonthInterval(try yearMonthInterval())
        case "INTERVAL_DAY_TIME": return .dayTimeInterval(try dayTimeInterval())
        case "ARRAY": return .array(try nested(elementType, "element_type"))
        case "MULTISET": return .multiset(try nested(elementType, "element_type"))
        case "MAP": return .map(key: try nested(keyType, "key_type"), value: try nested(valueType, "value_type"))
        case "ROW":
            return .row(try (fields ?? []).map { field throws(TableAPIError) in
                TableAPI.DataType.Field(field.name, try field.fieldType.unvalidatedType(), description: field.description)
            })
        default:
            let shown = SQL.literal(type) + (className.map { " (class \($0))" } ?? "")
            throw TableAPIError(.unsupportedType, "the type \(shown) is not supported; supported: \(Self.supportedTypeNames.joined(separator: ", "))")
        }
    }

    private func nested(_ type: Statement.DataType?, _ key: String) throws(TableAPIError) -> TableAPI.DataType {
        guard let type else {
            throw TableAPIError(.invalidType, "the type \(SQL.literal(self.type)) has no \(key)")
        }
        return try type.unvalidatedType()
    }

    private func yearMonthInterval() throws(TableAPIError) -> TableAPI.DataType.YearMonthInterval {
        let years = precision ?? TableAPI.DataType.defaultYearPrecision
        switch resolution?.uppercased() ?? "YEAR_TO_MONTH" {
        case "YEAR": return .year(precision: years)
        case "YEAR_TO_MONTH": return .yearToMonth(precision: years)
        case "MONTH": return .month
        default: throw unsupportedResolution(["YEAR", "YEAR_TO_MONTH", "MONTH"])
        }
    }

    private func dayTimeInterval() throws(TableAPIError) -> TableAPI.DataType.DayTimeInterval {
        let days = precision ?? TableAPI.DataType.defaultDayPrecision
        let fractional = fractionalPrecision ?? TableAPI.DataType.defaultFractionalPrecision
        switch resolution?.uppercased() ?? "DAY_TO_SECOND" {
        case "DAY": return .day(precision: days)
        case "DAY_TO_HOUR": return .dayToHour(precision: days)
        case "DAY_TO_MINUTE": return .dayToMinute(precision: days)
        case "DAY_TO_SECOND": return .dayToSecond(precision: days, fractional: fractional)
        case "HOUR": return .hour
        case "HOUR_TO_MINUTE": return .hourToMinute
        case "HOUR_TO_SECOND": return .hourToSecond(fractional: fractional)
        case "MINUTE": return .minute
        case "MINUTE_TO_SECOND": return .minuteToSecond(fractional: fractional)
        case "SECOND": return .second(fractional: fractional)
        default:
            throw unsupportedResolution([
                "DAY", "DAY_TO_HOUR", "DAY_TO_MINUTE", "DAY_TO_SECOND", "HOUR", "HOUR_TO_MINUTE", "HOUR_TO_SECOND",
                "MINUTE", "MINUTE_TO_SECOND", "SECOND",
            ])
        }
    }

    private func unsupportedResolution(_ supported: [String]) -> TableAPIError {
        TableAPIError(.unsupportedType, "the \(type) resolution \(SQL.literal(resolution ?? "")) is not supported; supported: \(supported.joined(separator: ", "))")
    }

    /// The type as Confluent reports it: Flink's root names (`INTEGER`; `VARCHAR` and
    /// `VARBINARY` of the longest length for `STRING` and `BYTES`), every parameter written out
    /// (an interval's precisions included where its resolution does not use them, as Flink
    /// does), `nullable` always present.
    public init(_ type: TableAPI.DataType) {
        let nullable = type.isNullable
        switch type.root {
        case .string: self.init(type: "VARCHAR", nullable: nullable, length: TableAPI.DataType.maxLength)
        case .char(let length): self.init(type: "CHAR", nullable: nullable, length: length)
        case .varchar(let length): self.init(type: "VARCHAR", nullable: nullable, length: length)
        case .bytes: self.init(type: "VARBINARY", nullable: nullable, length: TableAPI.DataType.maxLength)
        case .binary(let length): self.init(type: "BINARY", nullable: nullable, length: length)
        case .varbinary(let length): self.init(type: "VARBINARY", nullable: nullable, length: length)
        case .boolean: self.init(type: "BOOLEAN", nullable: nullable)
        case .tinyint: self.init(type: "TINYINT", nullable: nullable)
        case .smallint: self.init(type: "SMALLINT", nullable: nullable)
        case .int: self.init(type: "INTEGER", nullable: nullable)
        case .bigint: self.init(type: "BIGINT", nullable: nullable)
        case .float: self.init(type: "FLOAT", nullable: nullable)
        case .double: self.init(type: "DOUBLE", nullable: nullable)
        case .decimal(let precision, let scale): self.init(type: "DECIMAL", nullable: nullable, precision: precision, scale: scale)
        case .date: self.init(type: "DATE", nullable: nullable)
        case .time(let precision): self.init(type: "TIME_WITHOUT_TIME_ZONE", nullable: nullable, precision: precision)
        case .timestamp(let precision): self.init(type: "TIMESTAMP_WITHOUT_TIME_ZONE", nullable: nullable, precision: precision)
        case .timestampLTZ(let precision): self.init(type: "TIMESTAMP_WITH_LOCAL_TIME_ZONE", nullable: nullable, precision: precision)
        case .timestampTZ(let precision): self.init(type: "TIMESTAMP_WITH_TIME_ZONE", nullable: nullable, precision: precision)
        case .yearMonthInterval(let interval):
            self.init(type: "INTERVAL_YEAR_MONTH", nullable: nullable, precision: interval.yearPrecision, resolution: interval.resolution)
        case .dayTimeInterval(let interval):
            self.init(
                type: "INTERVAL_DAY_TIME", nullable: nullable,
                precision: interval.dayPrecision ?? TableAPI.DataType.defaultDayPrecision, resolution: interval.resolution,
                fractionalPrecision: interval.fractionalPrecision ?? TableAPI.DataType.defaultFractionalPrecision)
        case .array(let element): self.init(type: "ARRAY", nullable: nullable, elementType: Self(element))
        case .multiset(let element): self.init(type: "MULTISET", nullable: nullable, elementType: Self(element))
        case .map(let key, let value): self.init(type: "MAP", nullable: nullable, keyType: Self(key), valueType: Self(value))
        case .row(let fields):
            self.init(type: "ROW", nullable: nullable, fields: fields.map {
                Statement.RowField(name: $0.name, fieldType: Self($0.type), description: $0.description)
            })
        case .null: self.init(type: "NULL", nullable: nullable)
        }
    }
}

extension TableAPI.DataType.YearMonthInterval {
    /// Flink's `YearMonthResolution` name.
    fileprivate var resolution: String {
        switch self {
        case .year: "YEAR"
        case .yearToMonth: "YEAR_TO_MONTH"
        case .month: "MONTH"
        }
    }

    /// The digits of years; `INTERVAL MONTH` has Flink's default, which nothing can change.
    fileprivate var yearPrecision: Int {
        switch self {
        case .year(let precision), .yearToMonth(let precision): precision
        case .month: TableAPI.DataType.defaultYearPrecision
        }
    }
}

extension TableAPI.DataType.DayTimeInterval {
    /// Flink's `DayTimeResolution` name.
    fileprivate var resolution: String {
        switch self {
        case .day: "DAY"
        case .dayToHour: "DAY_TO_HOUR"
        case .dayToMinute: "DAY_TO_MINUTE"
        case .dayToSecond: "DAY_TO_SECOND"
        case .hour: "HOUR"
        case .hourToMinute: "HOUR_TO_MINUTE"
        case .hourToSecond: "HOUR_TO_SECOND"
        case .minute: "MINUTE"
        case .minuteToSecond: "MINUTE_TO_SECOND"
        case .second: "SECOND"
        }
    }
}

extension Statement.Schema {
    /// The columns Confluent reported, as the builder models them: name and type, in order (no
    /// columns give an empty list). Throws the ``TableAPIError`` of the first column whose type
    /// cannot be read, its message starting with the column's name, e.g.
    /// `` column `tags`: the type 'RAW' is not supported; supported: ARRAY, BIGINT, … ``.
    public func tableColumns() throws(TableAPIError) -> [TableAPI.Column] {
        let columns: [Statement.Column] = columns ?? []
        return try columns.map { column throws(TableAPIError) in
            do throws(TableAPIError) {
                return TableAPI.Column(column.name, try column.type.tableAPIType())
            } catch {
                throw TableAPIError(error.code, "column \(SQL.identifier(column.name)): \(error.message)")
            }
        }
    }
}
