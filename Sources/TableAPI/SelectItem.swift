/// One entry of a select list: an expression and, optionally, the name of its output column.
public struct SelectItem: Sendable {
    public let expression: Expression
    public let alias: String?

    /// The output column's name: the alias; else a column's own name; else `_c<position>` (Flink's
    /// name for an unnamed expression, 0-based), which the rendered SQL then states with `AS`.
    func outputName(position: Int) -> String {
        if let alias { return alias }
        if case .column(let name) = expression.node { return name }
        return "_c\(position)"
    }
}

/// Anything a select list accepts: an ``Expression`` or an aliased one (``Expression/as(_:)``).
public protocol SelectItemConvertible: Sendable {
    var selectItem: SelectItem { get }
}

extension SelectItem: SelectItemConvertible {
    public var selectItem: SelectItem { self }
}

extension Expression: SelectItemConvertible {
    public var selectItem: SelectItem { SelectItem(expression: self, alias: nil) }

    /// Names the output column: `` 'SkyOne' AS `airline` ``. Only a select list takes it, so an
    /// alias cannot end up inside a condition.
    public func `as`(_ name: String) -> SelectItem { SelectItem(expression: self, alias: name) }
}
