/// A named, typed column.
public struct Column: Hashable, Sendable {
    public let name: String
    public let type: DataType

    public init(_ name: String, _ type: DataType) {
        self.name = name
        self.type = type
    }

    /// `` `name` TYPE ``, as in a `CREATE TABLE` column list.
    public var sql: String { SQL.identifier(name) + " " + type.sql }
}

/// An ordered list of columns with valid, unique names and valid types: what a table holds and
/// what every query node outputs.
///
/// Names are case-sensitive and compared by Unicode scalars, as Flink compares them (so `é` and
/// `e` + combining accent are different names).
public struct Schema: Hashable, Sendable {
    public let columns: [Column]

    /// Throws for no columns, an invalid or duplicate name, or a type out of range.
    public init(_ columns: [Column]) throws(TableAPIError) {
        try self.init(columns, context: "schema")
    }

    /// As ``init(_:)``, with messages that start with `context` (the operation building it).
    init(_ columns: [Column], context: String) throws(TableAPIError) {
        guard !columns.isEmpty else {
            throw TableAPIError(.invalidSchema, "\(context): a schema needs at least one column")
        }
        for (position, column) in columns.enumerated() {
            do {
                try SQL.checkIdentifier(column.name)
                try column.type.validate()
            } catch {
                throw TableAPIError(error.code, "\(context): column \(position + 1): \(error.message)")
            }
            if columns[..<position].contains(where: { Self.sameName($0.name, column.name) }) {
                throw TableAPIError(.invalidSchema, "\(context): column \(position + 1) repeats the name \(SQL.identifier(column.name)); column names must be unique")
            }
        }
        self.columns = columns
    }

    public var names: [String] { columns.map(\.name) }

    public var count: Int { columns.count }

    /// The column called `name`, if any.
    public func column(named name: String) -> Column? {
        columns.first { Self.sameName($0.name, name) }
    }

    /// The column called `name`, or an error (starting with `context`) that lists the columns.
    func resolve(_ name: String, context: String) throws(TableAPIError) -> Column {
        guard let column = column(named: name) else {
            throw TableAPIError(.unknownColumn, "\(context): unknown column \(SQL.identifier(name)); available columns: \(SQL.identifiers(names))")
        }
        return column
    }

    /// Exact name equality (Swift's `==` on strings would also match canonically equivalent ones).
    static func sameName(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }
}
