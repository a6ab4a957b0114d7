/// Projection: `SELECT <items> FROM <this table>`.
extension Table {
    public func select(_ items: any SelectItemConvertible...) throws(TableAPIError) -> Table {
        try select(items)
    }

    /// The items' output columns in order. Columns must exist and output names be unique (an
    /// unnamed expression gets `_c<position>`). Fuses into this table's `SELECT` when every column
    /// read is passed through it unchanged; otherwise reads this table as a subquery.
    public func select(_ items: [any SelectItemConvertible]) throws(TableAPIError) -> Table {
        var columns: [Column] = []
        var projections: [Projection] = []
        for (position, item) in items.map(\.selectItem).enumerated() {
            let name = item.outputName(position: position)
            columns.append(Column(name, try item.expression.type(in: schema, context: "select")))
            projections.append(Projection(expression: item.expression, name: name))
        }
        let output = try Schema(columns, context: "select")
        var block = query.block(evaluating: projections.map(\.expression), names: schema.names)
        block.items = projections
        return Table(schema: output, query: .select(block))
    }
}
