import Confluent
import LambdaRuntime
import Logging

/// Carries out a ``DeployPlan`` stage by stage: a bounded statement runs to COMPLETED before
/// anything after it is submitted; a run of streaming statements is submitted together and
/// their waits for RUNNING overlap; statements no longer defined are stopped last, once
/// everything else runs.
struct PlanExecutor {
    let session: ConfluentSession
    let pipeline: String
    /// The names of every statement of the pipeline in the target, whatever its phase: a derived
    /// name among them belongs to an older statement, so the next generation is used.
    let taken: Set<String>

    /// How many derived names are tried for one statement before giving up.
    static let maximumGenerations = 8

    /// What each statement's step did, and one sentence per change for the result's message.
    struct Report {
        var outcomes: [DeployResult.StatementOutcome] = []
        var changes: [String] = []
    }

    func execute(_ plan: DeployPlan) throws(LambdaError) -> Report {
        var report = Report()
        for stage in plan.stages {
            switch stage {
            case .bounded(let entry): try runBounded(entry, into: &report)
            case .streaming(let entries): try runStreaming(entries, into: &report)
            }
        }
        for outcome in try stop(plan.removed, because: "it is no longer in the pipeline") {
            report.outcomes.append(outcome)
            report.changes.append("stopped \(outcome.id.isEmpty ? outcome.name : outcome.id) (\(outcome.name)), no longer in the pipeline")
        }
        return report
    }

    /// Stops each statement; their outcomes say STOPPING.
    func stop(_ statements: [LiveStatement], because reason: String) throws(LambdaError) -> [DeployResult.StatementOutcome] {
        var outcomes: [DeployResult.StatementOutcome] = []
        for statement in statements {
            try stop(statement.name, because: reason)
            outcomes.append(DeployResult.StatementOutcome(
                id: statement.statementId ?? "", name: statement.name, kind: statement.kind, phase: Phase.stopping.rawValue,
                action: .stopped, sqlSHA256: statement.sqlHash ?? ""))
        }
        return outcomes
    }

    private func stop(_ name: String, because reason: String) throws(LambdaError) {
        _ = try session.call { () throws(ConfluentError) in try session.statements.stop(name, deadline: session.deadline) }
        session.logger.info("stopped a statement", metadata: ["statement": "\(name)", "reason": "\(reason)"])
    }

    private func runBounded(_ entry: DeployPlan.Entry, into report: inout Report) throws(LambdaError) {
        let statement = entry.statement
        if case .skip(let done) = entry.step {
            session.logger.info("the statement already ran with this SQL; skipped", metadata: ["id": "\(statement.id)", "statement": "\(done.name)"])
            report.outcomes.append(outcome(statement, name: done.name, phase: done.phase, action: .unchanged))
            return
        }
        let name: String
        if case .join(let underWay) = entry.step {
            session.logger.info("the statement is already running with this SQL; waiting for it", metadata: ["id": "\(statement.id)", "statement": "\(underWay.name)"])
            name = underWay.name
        } else {
            name = try submit(statement).name
        }
        let finished = try session.call { () throws(ConfluentError) in
            try session.statements.waitUntil(name, target: .completed, deadline: session.deadline)
        }
        let action: DeployResult.StatementOutcome.Action = entry.step == .execute ? .executed : .unchanged
        report.outcomes.append(outcome(statement, name: finished.name, phase: finished.phase, action: action, warnings: confluentWarnings(of: finished)))
        if action == .executed { report.changes.append("ran \(statement.id) as \(finished.name)") }
    }

    /// One streaming statement of a stage as it was put in place.
    private struct Started {
        let entry: DeployPlan.Entry
        var name: String
        let action: DeployResult.StatementOutcome.Action
        /// The version it carries offsets over from, and whether that one ran until this deploy stopped it.
        let predecessor: (statement: LiveStatement, wasLive: Bool)?
        var warnings: [String] = []
    }

    private func runStreaming(_ entries: [DeployPlan.Entry], into report: inout Report) throws(LambdaError) {
        var started: [Started] = []
        for entry in entries {
            let statement = entry.statement
            switch entry.step {
            case .unchanged(let current):
                started.append(Started(entry: entry, name: current.name, action: .unchanged, predecessor: nil))
            case .resume(let stopped):
                _ = try session.call { () throws(ConfluentError) in
                    // Only a STOPPED statement can be resumed: a stop still under way is waited for.
                    if stopped.phase == .stopping {
                        _ = try session.statements.waitUntil(stopped.name, target: .stopped, deadline: session.deadline)
                    }
                    return try session.statements.resume(stopped.name, deadline: session.deadline)
                }
                session.logger.info("resumed a statement", metadata: ["id": "\(statement.id)", "statement": "\(stopped.name)"])
                started.append(Started(entry: entry, name: stopped.name, action: .resumed, predecessor: nil))
                report.changes.append("resumed \(statement.id) (\(stopped.name)) from its offsets")
            case .replace(let predecessor):
                let new = try submit(statement, extraProperties: ["sql.tables.initial-offset-from": predecessor.name])
                // Confluent starts a carried-over statement only once its predecessor has stopped.
                if predecessor.isLive { try stop(predecessor.name, because: "\(new.name) carries its offsets over") }
                started.append(Started(entry: entry, name: new.name, action: .replaced, predecessor: (predecessor, predecessor.isLive)))
                report.changes.append("replaced \(predecessor.name) with \(new.name) for \(statement.id), which continues from its offsets; \(predecessor.name) was stopped")
            case .create:
                let new = try submit(statement)
                started.append(Started(entry: entry, name: new.name, action: .created, predecessor: nil))
                report.changes.append("started \(statement.id) as \(new.name)")
            case .startFresh(let reason):
                let new = try submit(statement)
                var fresh = Started(entry: entry, name: new.name, action: .created, predecessor: nil)
                fresh.warnings.append("started fresh, reading the sources from their start offsets (allow_reprocess): \(reason)")
                started.append(fresh)
                report.changes.append("started \(statement.id) fresh as \(new.name) (allow_reprocess)")
            case .skip, .join, .execute, .refuse:
                continue  // bounded steps never reach a streaming stage; refusals stop the deploy before it starts
            }
            for extra in entry.retire {
                try stop(extra.name, because: "another version of \(statement.id) runs")
                report.changes.append("stopped \(extra.name), an extra version of \(statement.id)")
            }
        }
        let running = try waitUntilRunning(&started, report: &report)
        for item in started {
            let statement = running[item.name]
            let warnings = item.warnings + confluentWarnings(of: statement)
            report.outcomes.append(outcome(item.entry.statement, name: item.name, phase: statement?.phase ?? .running, action: item.action, warnings: warnings))
        }
    }

    /// Waits for every started statement to run. A new version that fails while carrying offsets
    /// over (Confluent refuses carry-over for a stateful query) never costs data: its predecessor
    /// is resumed if this deploy stopped it and the deploy fails with Confluent's reason, unless
    /// the statement allows reprocessing, in which case it starts fresh.
    private func waitUntilRunning(_ started: inout [Started], report: inout Report) throws(LambdaError) -> [String: Statement] {
        var failedNames: Set<String> = []
        while true {
            do {
                let running = try session.statements.waitUntilAll(started.map(\.name), target: .running, deadline: session.deadline)
                return Dictionary(running.map { ($0.name, $0) }) { first, _ in first }
            } catch where error.kind == .statementFailed {
                guard let index = started.firstIndex(where: { $0.name == error.statement && $0.predecessor != nil }),
                      let predecessor = started[index].predecessor, !failedNames.contains(started[index].name) else {
                    throw ConfluentSession.lambdaError(error)
                }
                failedNames.insert(started[index].name)
                let statement = started[index].entry.statement
                guard statement.statement.allowReprocess else {
                    throw try restore(predecessor.statement, wasLive: predecessor.wasLive, after: error, replacement: started[index].name)
                }
                let fresh = try submit(statement, excluding: failedNames)
                started[index].warnings.append(
                    "Confluent did not carry the offsets of \(predecessor.statement.name) over (\(error.details.first ?? error.message)); "
                        + "started fresh as \(fresh.name), reading the sources from their start offsets (allow_reprocess)")
                report.changes.append("started \(statement.id) fresh as \(fresh.name) after the carry-over from \(predecessor.statement.name) was refused (allow_reprocess)")
                started[index].name = fresh.name
            } catch {
                throw ConfluentSession.lambdaError(error)
            }
        }
    }

    /// Puts the predecessor back as it was and returns the error that says what happened.
    private func restore(_ predecessor: LiveStatement, wasLive: Bool, after error: ConfluentError, replacement: String) throws(LambdaError) -> LambdaError {
        var outcome = "\(predecessor.name) stays stopped, as it was before this deploy"
        if wasLive {
            _ = try session.call { () throws(ConfluentError) in try session.statements.resume(predecessor.name, deadline: session.deadline) }
            session.logger.warning("resumed the previous version after its replacement failed", metadata: [
                "statement": "\(predecessor.name)", "replacement": "\(replacement)",
            ])
            outcome = "\(predecessor.name) was resumed and goes on from its own offsets"
        }
        return .function(
            "StatementFailed",
            "\(error.description). Nothing was reprocessed or skipped: \(outcome). If Confluent cannot carry offsets over for this query "
                + "(a stateful one), set allow_reprocess: true on the statement to start it fresh from the sources' start offsets")
    }

    /// Creates the statement under the first of its derived names that no older statement holds.
    private func submit(_ statement: DesiredStatement, extraProperties: [String: String] = [:], excluding: Set<String> = []) throws(LambdaError) -> Statement {
        for generation in 0..<Self.maximumGenerations {
            let name = StatementName.derived(
                pipeline: pipeline, targetHash: session.targetHash, statementId: statement.id, sqlHash: statement.sqlHash,
                generation: generation)
            guard !taken.contains(name), !excluding.contains(name) else { continue }
            let request = session.request(statement, pipeline: pipeline, name: name, extraProperties: extraProperties)
            let created: Statement
            do {
                created = try session.statements.create(request, deadline: session.deadline)
            } catch where error.kind == .nameConflict {
                session.logger.notice("the derived name is taken; trying the next one", metadata: ["statement": "\(name)"])
                continue
            } catch {
                throw ConfluentSession.lambdaError(error)
            }
            session.logger.info("submitted a statement", metadata: [
                "id": "\(statement.id)", "statement": "\(created.name)", "kind": "\(StatementKind(statement.statement.kind).rawValue)",
            ])
            return created
        }
        throw .function("ConfluentError", "every name derived for \(statement.id) (\(Self.maximumGenerations) of them) is taken by an older statement; delete the failed or stopped versions no longer needed, then deploy again")
    }

    /// Confluent's `status.warnings` as text, each also logged.
    private func confluentWarnings(of statement: Statement?) -> [String] {
        let warnings = (statement?.status?.warnings ?? []).map(\.description)
        for warning in warnings {
            session.logger.warning("Confluent warns about a statement", metadata: ["statement": "\(statement?.name ?? "")", "warning": "\(warning)"])
        }
        return warnings
    }

    private func outcome(_ statement: DesiredStatement, name: String, phase: Phase, action: DeployResult.StatementOutcome.Action,
                         warnings: [String] = []) -> DeployResult.StatementOutcome {
        DeployResult.StatementOutcome(
            id: statement.id, name: name, kind: StatementKind(statement.statement.kind), phase: phase.rawValue, action: action,
            sqlSHA256: statement.sqlHash, warnings: warnings)
    }
}
