import TableAPI

/// Target `sql-quoting`: text (parts separated by 0xFF bytes) through the quoting of `SQL`.
///
/// Properties: no crash; for every name `SQL.checkIdentifier` accepts, `SQL.identifier` then
/// `SQL.unquoteIdentifier` gives back the same Unicode scalars, and the quoted form holds no line
/// break; a name it refuses is refused by `unquoteIdentifier` too; `SQL.literal` then
/// `SQL.unquoteLiteral` gives back any text; `SQL.qualified` then `SQL.unquoteQualified` gives
/// back the parts; and whatever text the unquote functions accept is exactly the quoted form of
/// what they return (one spelling per value, so no second reading of the same SQL text).
public func fuzzSQLQuoting(_ data: UnsafeRawBufferPointer) {
    let target = FuzzTarget.sqlQuoting
    let pieces = parts(of: data.byteArray, maximum: 8).map { String(decoding: $0, as: UTF8.self) }
    let whole = String(decoding: data.byteArray, as: UTF8.self)

    for name in pieces + (pieces.count > 1 ? [whole] : []) {
        let quoted = SQL.identifier(name)
        let valid: Bool
        do throws(TableAPIError) {
            try SQL.checkIdentifier(name)
            valid = true
        } catch {
            valid = false
        }
        do throws(TableAPIError) {
            let back = try SQL.unquoteIdentifier(quoted)
            require(valid, target, "unquoteIdentifier accepts \(shown(quoted)), whose name checkIdentifier refuses")
            require(sameScalars(back, name), target, "the identifier \(shown(name)) came back as \(shown(back)) from \(shown(quoted))")
        } catch {
            require(!valid, target, "unquoteIdentifier refuses \(shown(quoted)), the quoted valid name \(shown(name)): \(error)")
        }
        if valid {
            require(!quoted.unicodeScalars.contains { $0 == "\n" || $0 == "\r" }, target, "the identifier \(shown(quoted)) has a line break")
            require(quoted.unicodeScalars.first == "`" && quoted.unicodeScalars.last == "`", target, "the identifier \(shown(quoted)) is not back-quoted")
        }

        let literal = SQL.literal(name)
        do throws(TableAPIError) {
            let back = try SQL.unquoteLiteral(literal)
            require(sameScalars(back, name), target, "the literal \(shown(name)) came back as \(shown(back)) from \(shown(literal))")
        } catch {
            violated(target, "unquoteLiteral refuses \(shown(literal)), the literal of \(shown(name)): \(error)")
        }

        // Arbitrary text: accepted only in the one spelling that quoting produces.
        if let back = try? SQL.unquoteIdentifier(name) {
            require(sameScalars(SQL.identifier(back), name), target, "unquoteIdentifier reads \(shown(name)) as \(shown(back))")
        }
        if let back = try? SQL.unquoteLiteral(name) {
            require(sameScalars(SQL.literal(back), name), target, "unquoteLiteral reads \(shown(name)) as \(shown(back))")
        }
        if let back = try? SQL.unquoteQualified(name) {
            require(!back.isEmpty && sameScalars(SQL.qualified(back), name), target,
                    "unquoteQualified reads \(shown(name)) as \(back.map { shown($0) })")
        }
    }

    // Qualified names: `catalog`.`database`.`table` from the parts.
    let names = pieces.filter { (try? SQL.checkIdentifier($0)) != nil }
    guard !names.isEmpty else { return }
    let qualified = SQL.qualified(names)
    do throws(TableAPIError) {
        let back = try SQL.unquoteQualified(qualified)
        require(back.count == names.count && zip(back, names).allSatisfy { sameScalars($0, $1) }, target,
                "\(names.map { shown($0) }) came back as \(back.map { shown($0) }) from \(shown(qualified))")
    } catch {
        violated(target, "unquoteQualified refuses \(shown(qualified)), made of valid names: \(error)")
    }
    let list = SQL.identifiers(names)
    require(list == names.map(SQL.identifier).joined(separator: ", "), target, "identifiers(_:) is not the joined identifiers")
}
