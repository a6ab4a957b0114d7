/// A scalar expression over the columns of a table: a column, a literal, or an operator applied to
/// expressions. Build it with ``col(_:)``, `lit(_:)`, the methods below and the operators
/// `&&`, `||`, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`; it renders itself with ``sql``.
///
/// Parentheses: an operand that is itself an operator expression is wrapped, except where no
/// reading could differ: chains of the same `AND`/`OR` are flattened, and `IS [NOT] NULL` or `NOT`
/// under `AND`/`OR` stay bare. So `` (`a` = 1) AND `b` IS NOT NULL AND NOT `c` ``.
///
/// `Expression` is deliberately not `Equatable`: `==` builds a comparison, it does not compare.
public struct Expression: Sendable, CustomStringConvertible {
    indirect enum Node: Sendable {
        case column(String)
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case isNull(Expression)
        case isNotNull(Expression)
        case not(Expression)
        case binary(BinaryOperator, Expression, Expression)
    }

    enum BinaryOperator: String, Sendable {
        case and = "AND", or = "OR"
        case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

        var isLogical: Bool { self == .and || self == .or }
    }

    let node: Node

    init(_ node: Node) { self.node = node }

    /// `` `x` IS NULL ``
    public var isNull: Expression { Expression(.isNull(self)) }
    /// `` `x` IS NOT NULL ``
    public var isNotNull: Expression { Expression(.isNotNull(self)) }
    /// `` NOT `x` ``
    public var not: Expression { Expression(.not(self)) }
    /// `` `x` AND `y` ``
    public func and(_ other: Expression) -> Expression { Expression(.binary(.and, self, other)) }
    /// `` `x` OR `y` ``
    public func or(_ other: Expression) -> Expression { Expression(.binary(.or, self, other)) }

    public static func && (lhs: Expression, rhs: Expression) -> Expression { lhs.and(rhs) }
    public static func || (lhs: Expression, rhs: Expression) -> Expression { lhs.or(rhs) }
    public static prefix func ! (operand: Expression) -> Expression { operand.not }
    public static func == (lhs: Expression, rhs: Expression) -> Expression { Expression(.binary(.equal, lhs, rhs)) }
    public static func != (lhs: Expression, rhs: Expression) -> Expression { Expression(.binary(.notEqual, lhs, rhs)) }
    public static func < (lhs: Expression, rhs: Expression) -> Expression { Expression(.binary(.less, lhs, rhs)) }
    public static func <= (lhs: Expression, rhs: Expression) -> Expression { Expression(.binary(.lessOrEqual, lhs, rhs)) }
    public static func > (lhs: Expression, rhs: Expression) -> Expression { Expression(.binary(.greater, lhs, rhs)) }
    public static func >= (lhs: Expression, rhs: Expression) -> Expression { Expression(.binary(.greaterOrEqual, lhs, rhs)) }

    /// The SQL text of this expression.
    public var sql: String {
        switch node {
        case .column(let name): SQL.identifier(name)
        case .string(let value): SQL.literal(value)
        case .integer(let value): String(value)
        case .boolean(let value): value ? "TRUE" : "FALSE"
        case .isNull(let operand): operand.wrappedUnlessAtom + " IS NULL"
        case .isNotNull(let operand): operand.wrappedUnlessAtom + " IS NOT NULL"
        case .not(let operand): "NOT " + operand.wrappedUnlessAtom
        case .binary(let op, let lhs, let rhs): lhs.sql(asOperandOf: op) + " \(op.rawValue) " + rhs.sql(asOperandOf: op)
        }
    }

    public var description: String { sql }

    /// The operands of a top-level `AND` chain (or just this expression), for one-per-line layout.
    var conjuncts: [Expression] {
        guard case .binary(.and, let lhs, let rhs) = node else { return [self] }
        return lhs.conjuncts + rhs.conjuncts
    }

    /// The names of the columns this expression reads, in order of appearance.
    var referencedColumns: [String] {
        switch node {
        case .column(let name): [name]
        case .string, .integer, .boolean: []
        case .isNull(let operand), .isNotNull(let operand), .not(let operand): operand.referencedColumns
        case .binary(_, let lhs, let rhs): lhs.referencedColumns + rhs.referencedColumns
        }
    }

    /// This expression's text as an operand of `op`, parenthesized where needed.
    func sql(asOperandOf op: BinaryOperator) -> String {
        switch node {
        case .binary(let inner, _, _) where op.isLogical && inner == op: sql
        case .isNull, .isNotNull, .not: op.isLogical ? sql : "(\(sql))"
        default: wrappedUnlessAtom
        }
    }

    private var wrappedUnlessAtom: String {
        switch node {
        case .column, .string, .integer, .boolean: sql
        case .isNull, .isNotNull, .not, .binary: "(\(sql))"
        }
    }
}

/// A reference to the column `name` of the table the expression is used on.
public func col(_ name: String) -> Expression { Expression(.column(name)) }

/// A string literal, `'SkyOne'`. Its type is `STRING NOT NULL` (Flink types it `CHAR(n) NOT NULL`,
/// which casts implicitly to `STRING`; treating it as `STRING` keeps `UNION ALL` and insert
/// checks simple and matches what the sink receives).
public func lit(_ value: String) -> Expression { Expression(.string(value)) }

/// An integer literal: `INT NOT NULL` when it fits 32 bits, else `BIGINT NOT NULL`.
public func lit(_ value: Int) -> Expression { Expression(.integer(value)) }

/// `TRUE` or `FALSE`, typed `BOOLEAN NOT NULL`.
public func lit(_ value: Bool) -> Expression { Expression(.boolean(value)) }
