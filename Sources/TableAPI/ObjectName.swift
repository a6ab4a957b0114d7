/// A table's name, optionally qualified: `catalog.database.table` on Confluent Cloud, where the
/// catalog is the environment and the database the Kafka cluster. Each part is quoted on its own.
public struct ObjectName: Hashable, Sendable, CustomStringConvertible {
    /// The parts, outermost first; one to three of them, none empty.
    public let parts: [String]

    /// A fully qualified name: `` `catalog`.`database`.`table` ``.
    public init(catalog: String, database: String, table: String) throws(TableAPIError) {
        try self.init(parts: [catalog, database, table])
    }

    /// A name resolved against the statement's current catalog and database.
    public init(_ table: String) throws(TableAPIError) {
        try self.init(parts: [table])
    }

    public init(parts: [String]) throws(TableAPIError) {
        guard (1...3).contains(parts.count) else {
            throw TableAPIError(.invalidIdentifier, "an object name has 1 to 3 parts (catalog, database, table), not \(parts.count)")
        }
        for part in parts { try SQL.checkIdentifier(part) }
        self.parts = parts
    }

    /// The last part: the table's own name.
    public var table: String { parts[parts.count - 1] }

    /// `` `env-1`.`lkc 2`.`flight_avro` ``.
    public var sql: String { SQL.qualified(parts) }

    public var description: String { sql }
}
