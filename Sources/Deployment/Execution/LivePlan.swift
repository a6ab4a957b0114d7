import Confluent
import LambdaRuntime
import Pipelines
import TableAPI

/// A dry run against the live environment (pipelines.md §6): what a deploy would do to each
/// statement and why, each statement it would submit validated by Confluent (`sql.dry-run`,
/// with the carry-over it would ask for) where it can be; nothing is created or stopped.
struct LivePlan {
    let session: ConfluentSession

    func plan(_ pipeline: Pipeline, plan: DeployPlan, previous: [LiveStatement], previousTarget: PreviousDeployment?) throws(LambdaError) -> DeployResult {
        let drift = Dictionary(try SinkDrift(session: session).check(plan, pipeline: pipeline.name).map { ($0.id, $0.finding) }) { first, _ in first }
        var lines: [DeployResult.PlanLine] = []
        /// A table an earlier statement creates that does not exist yet: later statements cannot be validated.
        var missingTable: (id: String, table: String)?
        for entry in plan.entries {
            var (action, reasons) = Self.describe(entry)
            if case .drifted(let table, let differences)? = drift[entry.statement.id] {
                action = "refused: the table \(table) exists with other columns (\(differences.joined(separator: "; ")))"
            } else if case .notCompared(let why)? = drift[entry.statement.id] {
                reasons.append("the existing table's columns were not compared: \(why)")
            }
            if !action.hasPrefix("refused"), let carryOver = Self.submission(entry.step) {
                if let missingTable {
                    reasons.append("not validated: \(missingTable.id) creates \(missingTable.table) first")
                } else if let refusal = try validate(entry.statement.statement, carryOver: carryOver, pipeline: pipeline.name) {
                    action = "refused: Confluent: \(refusal)"
                } else {
                    reasons.append("validated by Confluent")
                }
            }
            if missingTable == nil, entry.step == .execute,
               let table = try createdTableIfMissing(entry.statement.statement, drift: drift[entry.statement.id], pipeline: pipeline.name) {
                missingTable = (entry.statement.id, table)
            }
            lines.append(DeployResult.PlanLine(id: entry.statement.id, action: action, reason: reasons.joined(separator: "; ")))
        }
        for statement in plan.removed {
            lines.append(DeployResult.PlanLine(
                id: statement.statementId ?? statement.name, action: "stop (no longer defined)",
                reason: "\(statement.name) is \(statement.phase) but its statement is no longer in the pipeline"))
        }
        if let previousTarget {
            for statement in previous {
                lines.append(DeployResult.PlanLine(
                    id: statement.statementId ?? statement.name, action: "stop (previous target \(previousTarget.catalog).\(previousTarget.database))",
                    reason: "\(statement.name) of \(previousTarget.pipeline) runs where the previous input deployed"))
            }
        }
        let refused = lines.filter(\.isRefused)
        let message = refused.isEmpty
            ? "a deploy would: " + lines.map { "\($0.id) \($0.action)" }.joined(separator: ", ") + "; nothing was changed"
            : "a deploy would be refused: " + refused.map { "\($0.id) \($0.action)" }.joined(separator: "; ") + "; nothing was changed"
        return DeployResult(message: message, action: .planned, pipeline: pipeline.name, statements: [],
                            sql: pipeline.statements.map(\.sql), plan: lines)
    }

    /// The action a deploy would take and why, before validation.
    static func describe(_ entry: DeployPlan.Entry) -> (action: String, reasons: [String]) {
        var (action, reasons): (String, [String])
        switch entry.step {
        case .skip(let done):
            (action, reasons) = ("unchanged", ["\(done.name) ran this SQL to COMPLETED"])
        case .join(let underWay):
            (action, reasons) = ("unchanged", ["\(underWay.name) is \(underWay.phase) with this SQL (another deploy submitted it)"])
        case .execute:
            (action, reasons) = ("execute", ["runs to COMPLETED before the next statement"])
        case .unchanged(let current):
            (action, reasons) = ("unchanged", ["\(current.name) is \(current.phase) with this SQL"])
        case .resume(let stopped):
            (action, reasons) = ("resume", ["\(stopped.name) was stopped with this SQL; it goes on from its own offsets"])
        case .replace(let predecessor):
            let what = predecessor.statementId == nil ? "is adopted from another tool" : "is \(predecessor.phase) with other SQL"
            (action, reasons) = ("replace (carry-over from \(predecessor.name))", ["\(predecessor.name) \(what); the new version starts from its offsets, then it is stopped"])
        case .create:
            (action, reasons) = ("create", ["no earlier version holds offsets: the first version"])
        case .startFresh(let reason):
            (action, reasons) = ("create (fresh: allow_reprocess)", [reason + "; it reads the sources from their start offsets"])
        case .refuse(let reason):
            (action, reasons) = ("refused: \(reason)", [])
        }
        reasons += entry.retire.map { "stops \($0.name), another \($0.phase) version" }
        return (action, reasons)
    }

    /// Whether the step submits the statement, and the carry-over it would ask for ("" for none).
    private static func submission(_ step: DeployPlan.Step) -> String? {
        switch step {
        case .execute, .create, .startFresh: ""
        case .replace(let predecessor): predecessor.name
        case .skip, .join, .unchanged, .resume, .refuse: nil
        }
    }

    /// Confluent's reason for refusing the statement in a dry run, or `nil` when it passes.
    private func validate(_ statement: PipelineStatement, carryOver: String, pipeline: String) throws(LambdaError) -> String? {
        let properties = carryOver.isEmpty ? statement.properties : statement.properties.merging(["sql.tables.initial-offset-from": carryOver]) { $1 }
        do {
            _ = try session.dryRun(statement.sql, properties: properties, computePoolId: statement.computePoolId,
                                   principal: statement.principal, namePrefix: pipeline)
            return nil
        } catch let error where error.kind == .statementFailed {
            return error.details.first ?? error.message
        } catch {
            throw ConfluentSession.lambdaError(error)
        }
    }

    /// The table a bounded statement creates, when it does not exist yet.
    /// The drift check already looked the table up for a `CREATE TABLE IF NOT EXISTS` whose columns
    /// it compared; only other statements (or one it could not compare) are looked up here.
    private func createdTableIfMissing(_ statement: PipelineStatement, drift: SinkDrift.Finding?, pipeline: String) throws(LambdaError) -> String? {
        switch drift {
        case .absent(let table)?: return table
        case .fits?, .drifted?: return nil
        case .notCompared?, nil: break
        }
        guard let parts = try? StatementText(statement.sql).createdTable else { return nil }
        let table = SQL.qualified(parts)
        if case .missing = try session.lookUpTable(table, namePrefix: pipeline) { return table }
        return nil
    }
}
