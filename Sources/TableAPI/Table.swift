/// A query built operation by operation, like Flink's Table API: ``from(_:schema:)``, then
/// `select`, `filter`, `alias` and `unionAll`, each in its own file.
///
/// Every table knows its output ``schema``, and every operation checks its input against it, so a
/// wrong column, type or arity fails while the pipeline is built, with a ``TableAPIError``, not
/// when Confluent runs it. Each operation renders its own part of the SQL, and a
/// subquery appears only where one is needed. Same input, byte-identical ``sql``.
public struct Table: Sendable {
    public let schema: Schema
    let query: Query

    init(schema: Schema, query: Query) {
        self.schema = schema
        self.query = query
    }

    /// A source table with a known schema; it reads as `` SELECT `a`, `b` FROM `c`.`d`.`t` ``.
    public static func from(_ name: ObjectName, schema: Schema) -> Table {
        let items = schema.names.map { Projection(expression: col($0), name: $0) }
        return Table(schema: schema, query: .select(SelectBlock(items: items, source: .table(name), conditions: [])))
    }

    /// The query's SQL text (no trailing semicolon).
    public var sql: String { query.sql }
}
