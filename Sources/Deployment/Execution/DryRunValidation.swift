import Confluent
import LambdaRuntime
import Pipelines
import TableAPI

/// A dry run of the pipeline: each statement validated by Confluent with `sql.dry-run`, in
/// order; nothing is created or stopped. A statement after one that creates a table that does
/// not exist yet cannot be validated (Confluent would not find the table), and the message says so.
struct DryRunValidation {
    let session: ConfluentSession

    func validate(_ pipeline: Pipeline) throws(LambdaError) -> DeployResult {
        var validated: [String] = []
        var missingTable: (statement: String, table: String)?
        for statement in pipeline.statements {
            if missingTable == nil {
                _ = try session.call { () throws(ConfluentError) in
                    try session.dryRun(
                        statement.sql, properties: statement.properties, computePoolId: statement.computePoolId,
                        principal: statement.principal, namePrefix: pipeline.name)
                }
                validated.append(statement.id)
            }
            if missingTable == nil, statement.kind == .bounded, let table = try? StatementText(statement.sql).createdTable,
               try !tableExists(table, pipeline: pipeline.name) {
                missingTable = (statement.id, table.map(SQL.identifier).joined(separator: "."))
            }
        }
        var message = "validated \(validated.joined(separator: ", ")); nothing was submitted"
        if let missingTable, validated.count < pipeline.statements.count {
            let rest = pipeline.statements.map(\.id).filter { !validated.contains($0) }
            message = "validated \(validated.joined(separator: ", ")); \(rest.joined(separator: ", ")) can be validated once \(missingTable.statement) has created \(missingTable.table); nothing was submitted"
        }
        return DeployResult(message: message, action: .planned, pipeline: pipeline.name, statements: [], sql: pipeline.statements.map(\.sql))
    }

    /// Whether `SELECT * FROM` the table passes a dry run in the target.
    private func tableExists(_ parts: [String], pipeline: String) throws(LambdaError) -> Bool {
        do {
            _ = try session.dryRun("SELECT * FROM \(parts.map(SQL.identifier).joined(separator: "."))", namePrefix: pipeline)
            return true
        } catch let error where error.kind == .statementFailed {
            return false
        } catch {
            throw ConfluentSession.lambdaError(error)
        }
    }
}
