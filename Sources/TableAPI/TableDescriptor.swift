/// What a new table looks like: its schema, how its rows are distributed over buckets (Kafka
/// partitions on Confluent Cloud) and its options (formats and others). Built by chaining:
///
///     try TableDescriptor(schema: schema)
///         .distributedBy(["departure_airport_code", "flight_number"], buckets: 1)
///         .keyFormat("avro-registry")
///         .valueFormat("avro-registry")
public struct TableDescriptor: Sendable {
    /// `DISTRIBUTED BY (columns) INTO buckets BUCKETS`.
    public struct Distribution: Sendable, Equatable {
        public let columns: [String]
        public let buckets: Int
    }

    public let schema: Schema
    public private(set) var distribution: Distribution?
    /// Rendered sorted by key, so the text does not depend on the order options were set in.
    public private(set) var options: [String: String] = [:]

    public init(schema: Schema) {
        self.schema = schema
    }

    /// Hash-distributes rows by `columns` (which must be distinct columns of the schema) into
    /// `buckets` (at least 1) buckets.
    public func distributedBy(_ columns: [String], buckets: Int) throws(TableAPIError) -> TableDescriptor {
        guard !columns.isEmpty, buckets >= 1 else {
            throw TableAPIError(.invalidDistribution, "distributedBy: needs at least one column and one bucket, got \(columns.count) columns and \(buckets) buckets")
        }
        for (position, name) in columns.enumerated() {
            _ = try schema.resolve(name, context: "distributedBy")
            if columns[..<position].contains(where: { Schema.sameName($0, name) }) {
                throw TableAPIError(.invalidDistribution, "distributedBy: the column \(SQL.identifier(name)) is listed twice")
            }
        }
        var copy = self
        copy.distribution = Distribution(columns: columns, buckets: buckets)
        return copy
    }

    /// Sets `'key.format'`, e.g. `avro-registry`, `json-registry`, `proto-registry`, `raw`.
    public func keyFormat(_ format: String) -> TableDescriptor {
        option("key.format", format)
    }

    /// Sets `'value.format'`, e.g. `avro-registry`, `json-registry`, `proto-registry`, `raw`.
    public func valueFormat(_ format: String) -> TableDescriptor {
        option("value.format", format)
    }

    /// Sets the option `key` (replacing an earlier value), e.g. `'changelog.mode' = 'append'`.
    public func option(_ key: String, _ value: String) -> TableDescriptor {
        var copy = self
        copy.options[key] = value
        return copy
    }
}
