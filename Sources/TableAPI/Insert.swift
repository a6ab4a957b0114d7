/// `INSERT INTO target (columns) SELECT …`, always with an explicit column list: without one,
/// Flink maps the query's columns to the sink's by position, silently, whenever the types allow.
public struct Insert: Sendable {
    public let target: ObjectName
    public let columns: [String]
    public let query: Table

    /// Writes the query's columns, in order, into the target's `columns`. Checks that there is one
    /// target column per query column, that each is a distinct column of `sink` (the target's
    /// schema) and that each query column's type can be assigned to it
    /// (``DataType/isAssignable(to:)``).
    public init(into target: ObjectName, sink: Schema, columns: [String], query: Table) throws(TableAPIError) {
        guard columns.count == query.schema.count else {
            throw TableAPIError(.arityMismatch, "insert: \(columns.count) target columns (\(SQL.identifiers(columns))) for a query of \(query.schema.count) columns (\(SQL.identifiers(query.schema.names)))")
        }
        let missing = columns.filter { sink.column(named: $0) == nil }
        guard missing.isEmpty else {
            throw TableAPIError(.unknownColumn, "insert: the sink \(target) has no \(missing.count == 1 ? "column" : "columns") \(SQL.identifiers(missing)); its columns: \(SQL.identifiers(sink.names))")
        }
        for (position, name) in columns.enumerated() {
            if columns[..<position].contains(where: { Schema.sameName($0, name) }) {
                throw TableAPIError(.arityMismatch, "insert: the target column \(SQL.identifier(name)) is listed twice")
            }
            let source = query.schema.columns[position]
            let destination = try sink.resolve(name, context: "insert")
            guard source.type.isAssignable(to: destination.type) else {
                throw TableAPIError(.typeMismatch, "insert: the query column \(source.sql) cannot be written to the sink column \(destination.sql)")
            }
        }
        self.target = target
        self.columns = columns
        self.query = query
    }

    /// Maps by name: the target columns are the query's output names, each of which must be a
    /// column of `sink`; the error for those that are not names them all.
    public static func byName(into target: ObjectName, sink: Schema, query: Table) throws(TableAPIError) -> Insert {
        try Insert(into: target, sink: sink, columns: query.schema.names, query: query)
    }

    /// The statement text, without a trailing semicolon.
    public var sql: String {
        "INSERT INTO \(target.sql) (\(SQL.identifiers(columns)))\n" + query.sql
    }
}
