import Confluent
import LambdaRuntime
import Pipelines
import TableAPI

/// A `CREATE TABLE IF NOT EXISTS` keeps an existing table whatever its columns: a changed
/// definition would run against a sink that no longer matches it. Before any streaming
/// statement changes, each such statement about to run is compared with the table that exists.
struct SinkDrift {
    let session: ConfluentSession

    /// What the check found for one statement.
    enum Finding: Equatable {
        /// The table does not exist yet: the statement creates it.
        case absent(table: String)
        /// The table has the declared columns.
        case fits
        /// The table exists with other columns: one line per difference.
        case drifted(table: String, differences: [String])
        /// The declared columns could not be compared; the reason says why.
        case notCompared(String)
    }

    /// Findings for every `CREATE TABLE IF NOT EXISTS` the plan will run, by statement id.
    func check(_ plan: DeployPlan, pipeline: String) throws(LambdaError) -> [(id: String, finding: Finding)] {
        var findings: [(String, Finding)] = []
        for entry in plan.entries where entry.step == .execute && TableColumns.keepsAnExistingTable(entry.statement.statement.sql) {
            findings.append((entry.statement.id, try finding(for: entry.statement.statement, pipeline: pipeline)))
        }
        return findings
    }

    private func finding(for statement: PipelineStatement, pipeline: String) throws(LambdaError) -> Finding {
        guard let parts = try? StatementText(statement.sql).createdTable else { return .notCompared("the table name could not be read") }
        let table = SQL.qualified(parts)
        let declared: [Column]
        switch TableColumns.read(statement.sql) {
        case .columns(let columns): declared = columns
        case .notComparable(let reason): return .notCompared(reason)
        }
        let columns: [Column]
        switch try session.lookUpTable(table, namePrefix: pipeline) {
        case .missing: return .absent(table: table)
        case .unreadable(let error): return .notCompared("the existing table's columns could not be read: \(error)")
        case .found(let found): columns = found
        }
        let differences = ColumnDrift.differences(declared: declared, existing: columns)
        return differences.isEmpty ? .fits : .drifted(table: table, differences: differences)
    }
}
