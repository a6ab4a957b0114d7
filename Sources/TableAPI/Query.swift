/// The SQL shape of a query: what the operation nodes build, and the one place its text is laid
/// out. Layout: one clause per line, subqueries indented by two spaces, top-level `AND`s of a
/// `WHERE` one per line. Text is assembled as structural lines, so a string literal that contains
/// a line break is never indented.
enum Query: Sendable {
    case select(SelectBlock)
    case unionAll([SelectBlock])

    var sql: String { lines.joined(separator: "\n") }

    var lines: [String] {
        switch self {
        case .select(let block):
            return block.lines
        case .unionAll(let branches):
            return branches.enumerated().flatMap { index, branch in
                index == 0 ? branch.lines : ["UNION ALL"] + branch.lines
            }
        }
    }

    /// The branches this query contributes to a `UNION ALL` (which is associative, so nested unions
    /// flatten).
    var unionBranches: [SelectBlock] {
        switch self {
        case .select(let block): [block]
        case .unionAll(let branches): branches
        }
    }

    /// A block that can take `expressions` (written over this query's output columns `names`) in
    /// its select list or `WHERE`: this query's own block when every column they read is passed
    /// through it unchanged, otherwise a new block that reads this query as a subquery.
    func block(evaluating expressions: [Expression], names: [String]) -> SelectBlock {
        if case .select(let block) = self, expressions.allSatisfy(block.passesThroughColumns) {
            return block
        }
        return SelectBlock(items: names.map { Projection(expression: col($0), name: $0) }, source: .subquery(self), conditions: [])
    }
}

/// An output column of a select list.
struct Projection: Sendable {
    let expression: Expression
    let name: String

    /// `` `a` `` when it passes a column through, else `` <expression> AS `name` ``.
    var sql: String { isPassThrough ? expression.sql : expression.sql + " AS " + SQL.identifier(name) }

    /// True when this is a column read unchanged under its own name.
    var isPassThrough: Bool {
        guard case .column(let column) = expression.node else { return false }
        return Schema.sameName(column, name)
    }
}

/// `SELECT items FROM source [WHERE conditions]`.
struct SelectBlock: Sendable {
    indirect enum Source: Sendable {
        case table(ObjectName)
        case subquery(Query)
    }

    var items: [Projection]
    var source: Source
    /// AND-ed together.
    var conditions: [Expression]

    /// True when every column `expression` reads is an item passed through unchanged, so the
    /// expression means the same over `source` as over this block's output.
    func passesThroughColumns(of expression: Expression) -> Bool {
        expression.referencedColumns.allSatisfy { name in
            items.contains { $0.isPassThrough && Schema.sameName($0.name, name) }
        }
    }

    var lines: [String] {
        var lines = ["SELECT " + items.map(\.sql).joined(separator: ", ")]
        switch source {
        case .table(let name):
            lines.append("FROM " + name.sql)
        case .subquery(let query):
            lines.append("FROM (")
            lines += query.lines.map { "  " + $0 }
            lines.append(")")
        }
        let conjuncts = conditions.flatMap(\.conjuncts)
        if let only = conjuncts.first, conjuncts.count == 1 {
            lines.append("WHERE " + only.sql)
        } else if let first = conjuncts.first {
            lines.append("WHERE " + first.sql(asOperandOf: .and))
            lines += conjuncts.dropFirst().map { "  AND " + $0.sql(asOperandOf: .and) }
        }
        return lines
    }
}
