/// `SELECT * FROM name`: the query whose dry run (Confluent `sql.dry-run`) reports a table's
/// columns, for use before the table's schema is known.
public struct SelectAll: Sendable {
    public let table: ObjectName

    public init(from table: ObjectName) {
        self.table = table
    }

    public var sql: String { "SELECT * FROM " + table.sql }
}
