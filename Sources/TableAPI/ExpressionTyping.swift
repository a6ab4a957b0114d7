/// Type checking of expressions against the schema of the table they are used on.
extension Expression {
    /// The expression's type over `schema`; an unknown column or a type that does not fit its
    /// operator is an error whose message starts with `context` (the operation, e.g. `filter`).
    func type(in schema: Schema, context: String) throws(TableAPIError) -> DataType {
        switch node {
        case .column(let name):
            return try schema.resolve(name, context: context).type
        case .string:
            return DataType.string.notNull
        case .integer(let value):
            return (Int32(exactly: value) == nil ? DataType.bigint : .int).notNull
        case .boolean:
            return DataType.boolean.notNull
        case .isNull(let operand), .isNotNull(let operand):
            _ = try operand.type(in: schema, context: context)
            return DataType.boolean.notNull
        case .not(let operand):
            return try operand.booleanType(in: schema, context: context, operator: "NOT")
        case .binary(let op, let lhs, let rhs) where op.isLogical:
            let left = try lhs.booleanType(in: schema, context: context, operator: op.rawValue)
            let right = try rhs.booleanType(in: schema, context: context, operator: op.rawValue)
            return DataType(.boolean, nullable: left.isNullable || right.isNullable)
        case .binary(_, let lhs, let rhs):
            let left = try lhs.type(in: schema, context: context)
            let right = try rhs.type(in: schema, context: context)
            guard left.isComparable(with: right) else {
                throw TableAPIError(.typeMismatch, "\(context): cannot compare \(left) with \(right) in \(sql)")
            }
            return DataType(.boolean, nullable: left.isNullable || right.isNullable)
        }
    }

    private func booleanType(in schema: Schema, context: String, operator name: String) throws(TableAPIError) -> DataType {
        let type = try type(in: schema, context: context)
        guard type.root == .boolean else {
            throw TableAPIError(.typeMismatch, "\(context): \(name) expects BOOLEAN operands, but \(sql) is \(type)")
        }
        return type
    }
}
