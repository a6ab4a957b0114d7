/// Set union keeping duplicates: `<this table>\nUNION ALL\n<other>`.
extension Table {
    /// Rows of both tables. Columns pair up by position, so both sides need the same number of
    /// columns and, at each position, the same type apart from nullability (a string literal
    /// counts as `STRING`). The result takes the left side's names; a column is nullable when
    /// either side's is.
    public func unionAll(_ other: Table) throws(TableAPIError) -> Table {
        guard schema.count == other.schema.count else {
            throw TableAPIError(.arityMismatch, "unionAll: the left side has \(schema.count) columns (\(SQL.identifiers(schema.names))) but the right side has \(other.schema.count) (\(SQL.identifiers(other.schema.names)))")
        }
        var columns: [Column] = []
        for (position, (left, right)) in zip(schema.columns, other.schema.columns).enumerated() {
            guard left.type.sameIgnoringNullability(right.type) else {
                throw TableAPIError(.typeMismatch, "unionAll: column \(position + 1) is \(left.sql) on the left but \(right.sql) on the right")
            }
            columns.append(Column(left.name, DataType(left.type.root, nullable: left.type.isNullable || right.type.isNullable)))
        }
        let output = try Schema(columns, context: "unionAll")
        return Table(schema: output, query: .unionAll(query.unionBranches + other.query.unionBranches))
    }
}
