import TableAPI

/// The columns a `CREATE TABLE` declares, read from its text so a deploy can compare them with
/// the table that already exists. Only plain physical columns (`name TYPE [NOT NULL] [COMMENT
/// '…']`) can be compared; constraints and watermarks are skipped.
public enum TableColumns {
    public enum Reading: Sendable, Equatable {
        case columns([Column])
        /// The statement creates no table, or one whose columns cannot be compared; the reason says why.
        case notComparable(String)
    }

    /// `CREATE TABLE IF NOT EXISTS …`: the one kind of statement that silently keeps an existing
    /// table whatever columns it has.
    public static func keepsAnExistingTable(_ sql: String) -> Bool {
        guard let tokens = try? SQLTokenizer.tokens(sql), tokens.count > 5 else { return false }
        let head = tokens.prefix(6).filter { $0.kind == .word }.map { $0.text.uppercased() }
        return head.starts(with: ["CREATE", "TABLE", "IF", "NOT", "EXISTS"])
    }

    public static func read(_ sql: String) -> Reading {
        let tokens: [SQLToken]
        do {
            tokens = try SQLTokenizer.tokens(sql)
        } catch {
            return .notComparable(error.message)
        }
        guard tokens.first?.isWord("CREATE") == true, let open = tokens.firstIndex(where: { $0.kind == .other && $0.text == "(" }),
              tokens[..<open].contains(where: { $0.isWord("TABLE") }) else {
            return .notComparable("it does not create a table with a column list")
        }
        if (try? StatementText(sql))?.kind == .streaming {  // CREATE TABLE … AS SELECT
            return .notComparable("its columns come from a query")
        }
        let bytes = Array(sql.utf8)
        var columns: [Column] = []
        for item in items(tokens, from: open) {
            guard let first = item.first else { continue }
            if first.isWord("PRIMARY", "CONSTRAINT", "WATERMARK", "PERIOD", "UNIQUE") { continue }
            if first.isWord("LIKE") { return .notComparable("its columns come from LIKE") }
            guard first.kind == .word || first.kind == .quotedIdentifier, item.count >= 2 else {
                return .notComparable("a column definition could not be read")
            }
            if item[1].isWord("AS") { return .notComparable("the column `\(first.text)` is computed") }
            let typeEnd = item.firstIndex(where: { $0.isWord("COMMENT", "METADATA", "PRIMARY", "VIRTUAL") }) ?? item.count
            if item[typeEnd...].contains(where: { $0.isWord("METADATA", "VIRTUAL") }) {
                return .notComparable("the column `\(first.text)` is a metadata column")
            }
            guard typeEnd > 1 else { return .notComparable("the column `\(first.text)` has no type") }
            let typeText = String(decoding: bytes[item[1].start..<item[typeEnd - 1].end], as: UTF8.self)
            do {
                columns.append(Column(first.text, try DataType(sql: typeText)))
            } catch {
                return .notComparable("the type of `\(first.text)` could not be read: \(error)")
            }
        }
        return columns.isEmpty ? .notComparable("it declares no columns") : .columns(columns)
    }

    /// The comma-separated items between the parenthesis at `open` and its match, as tokens.
    private static func items(_ tokens: [SQLToken], from open: Int) -> [[SQLToken]] {
        var items: [[SQLToken]] = [[]]
        var depth = 0
        for token in tokens[(open + 1)...] {
            if token.kind == .other {
                switch token.text {
                case "(", "<": depth += 1
                case ")" where depth == 0: return items
                case ")", ">": depth -= 1
                case "," where depth == 0:
                    items.append([])
                    continue
                default: break
                }
            }
            items[items.count - 1].append(token)
        }
        return items
    }
}
