import TableAPI

/// One airline's flights table, the literal that names the airline in the sink, and the checks
/// that its schema fits the sink. Failures are ``TableAPIError/Code/schemaMismatch`` errors that
/// name the table and the column.
struct AirlineSource {
    let table: String
    let airline: String
    let schema: Schema

    /// The columns the pipeline copies (the schema minus ``FlightConsolidatorPipeline/excludedColumns``,
    /// in source order). They must be exactly the sink's `mapped` columns, and each must be
    /// assignable to its sink column.
    func keptColumns(mapped sink: Schema) throws(TableAPIError) -> [Column] {
        let kept = schema.columns.filter { !FlightConsolidatorPipeline.excludedColumns.contains($0.name) }
        for needed in sink.columns where schema.column(named: needed.name) == nil {
            throw TableAPIError(.schemaMismatch, "source \(SQL.identifier(table)) lacks the column \(SQL.identifier(needed.name)) that the sink \(SQL.identifier(FlightConsolidatorPipeline.sinkTable)) needs; its columns: \(SQL.identifiers(schema.names))")
        }
        for column in kept {
            guard let target = sink.column(named: column.name) else {
                throw TableAPIError(.schemaMismatch, "source \(SQL.identifier(table)) has the column \(SQL.identifier(column.name)), which is neither excluded nor copied into the sink \(SQL.identifier(FlightConsolidatorPipeline.sinkTable)) (copied: \(SQL.identifiers(sink.names)))")
            }
            guard column.type.isAssignable(to: target.type) else {
                throw TableAPIError(.schemaMismatch, "source \(SQL.identifier(table)) has the column \(column.sql), which cannot be written to the sink column \(target.sql)")
            }
        }
        return kept
    }

    /// Throws unless this source's columns have the same types as `other`'s (nullability aside),
    /// which `UNION ALL` needs.
    func checkAgrees(with other: AirlineSource, on columns: [Column]) throws(TableAPIError) {
        for column in columns {
            guard let mine = schema.column(named: column.name), !mine.type.sameIgnoringNullability(column.type) else { continue }
            throw TableAPIError(.schemaMismatch, "sources \(SQL.identifier(other.table)) and \(SQL.identifier(table)) disagree on the column \(SQL.identifier(column.name)): \(column.type) in \(SQL.identifier(other.table)) but \(mine.type) in \(SQL.identifier(table))")
        }
    }

    /// `` SELECT <columns>, '<airline>' AS `airline` FROM <catalog>.<database>.<table> ``.
    func flights(catalog: String, database: String, columns: [String]) throws(TableAPIError) -> Table {
        let name = try ObjectName(catalog: catalog, database: database, table: table)
        let items: [any SelectItemConvertible] = columns.map(col) + [lit(airline).as(FlightConsolidatorPipeline.airlineColumn)]
        return try Table.from(name, schema: schema).select(items)
    }
}
