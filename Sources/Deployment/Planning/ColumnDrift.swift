import TableAPI

/// How a table that exists differs from the columns a `CREATE TABLE` declares for it.
public enum ColumnDrift {
    /// One line per difference, by name: declared but missing, present but not declared, and
    /// other types. Nullability is not compared (a primary key makes its columns NOT NULL), nor
    /// is the system column `$rowtime`, which every Confluent table has; nor is the order.
    public static func differences(declared: [Column], existing: [Column]) -> [String] {
        let existing = existing.filter { $0.name != "$rowtime" }
        var differences: [String] = []
        for column in declared {
            guard let found = existing.first(where: { $0.name == column.name }) else {
                differences.append("\(SQL.identifier(column.name)) \(column.type.nullable) is declared but the table has no such column")
                continue
            }
            if !found.type.sameIgnoringNullability(column.type) {
                differences.append("\(SQL.identifier(column.name)) is declared \(column.type.nullable) but is \(found.type.nullable) in the table")
            }
        }
        for column in existing where !declared.contains(where: { $0.name == column.name }) {
            differences.append("\(SQL.identifier(column.name)) \(column.type.nullable) is in the table but not declared")
        }
        return differences
    }
}
