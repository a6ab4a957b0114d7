/// Renaming: `... AS <new name>` for every column.
extension Table {
    public func alias(_ names: String...) throws(TableAPIError) -> Table {
        try alias(names)
    }

    /// Renames all columns, in order; types are kept. Needs exactly one name per column. Renames
    /// the items of this table's `SELECT` in place; a union is read as a subquery.
    public func alias(_ names: [String]) throws(TableAPIError) -> Table {
        guard names.count == schema.count else {
            throw TableAPIError(.arityMismatch, "alias: needs one name per column (\(schema.count): \(SQL.identifiers(schema.names))), got \(names.count)")
        }
        let output = try Schema(zip(names, schema.columns).map { Column($0, $1.type) }, context: "alias")
        var block = query.block(evaluating: [], names: schema.names)
        block.items = zip(block.items, names).map { Projection(expression: $0.expression, name: $1) }
        return Table(schema: output, query: .select(block))
    }
}
