/// `CREATE TABLE [IF NOT EXISTS] name (columns) [DISTRIBUTED BY …] [WITH (options)]`.
public struct CreateTable: Sendable {
    public let name: ObjectName
    public let descriptor: TableDescriptor
    /// With `IF NOT EXISTS` an existing table is left as it is instead of failing the statement.
    public let ifNotExists: Bool

    public init(_ name: ObjectName, _ descriptor: TableDescriptor, ifNotExists: Bool = true) {
        self.name = name
        self.descriptor = descriptor
        self.ifNotExists = ifNotExists
    }

    /// The statement text, one column and one option per line, without a trailing semicolon.
    public var sql: String {
        var lines = ["CREATE TABLE " + (ifNotExists ? "IF NOT EXISTS " : "") + name.sql + " ("]
        lines.append(descriptor.schema.columns.map { "  " + $0.sql }.joined(separator: ",\n"))
        lines.append(")")
        if let distribution = descriptor.distribution {
            lines.append("DISTRIBUTED BY (\(SQL.identifiers(distribution.columns))) INTO \(distribution.buckets) BUCKETS")
        }
        if !descriptor.options.isEmpty {
            lines.append("WITH (")
            let options = descriptor.options.sorted { $0.key < $1.key }
            lines.append(options.map { "  " + SQL.literal($0.key) + " = " + SQL.literal($0.value) }.joined(separator: ",\n"))
            lines.append(")")
        }
        return lines.joined(separator: "\n")
    }
}
