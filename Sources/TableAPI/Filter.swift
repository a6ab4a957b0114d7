/// Selection: `... WHERE <condition>`.
extension Table {
    /// Keeps the rows where `condition` (a `BOOLEAN` expression over this table's columns) is true.
    /// Adds to this table's `WHERE` when its columns are passed through unchanged (so
    /// `filter(a).filter(b)` is `WHERE a AND b`); otherwise, e.g. over a union, reads this table as a
    /// subquery.
    public func filter(_ condition: Expression) throws(TableAPIError) -> Table {
        let type = try condition.type(in: schema, context: "filter")
        guard type.root == .boolean else {
            throw TableAPIError(.typeMismatch, "filter: the condition \(condition) is \(type), not BOOLEAN")
        }
        var block = query.block(evaluating: [condition], names: schema.names)
        block.conditions.append(condition)
        return Table(schema: schema, query: .select(block))
    }
}
