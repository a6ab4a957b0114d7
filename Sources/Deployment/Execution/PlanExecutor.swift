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
        for statement in plan.removed {
            try stop(statement.name, because: "it is no longer in the pipeline")
            report.outcomes.append(stoppedOutcome(statement))
            report.changes.append("stopped \(statement.statementId ?? statement.name) (\(statement.name)), no longer in the pipeline")
        }
        return report
    }

    /// The outcome of stopping a live statement.
    func stoppedOutcome(_ statement: LiveStatement) -> DeployResult.StatementOutcome {
        DeployResult.StatementOutcome(
            id: statement.statementId ?? "", name: statement.name, kind: statement.kind, phase: Phase.stopping.rawValue,
            action: .stopped, sqlSHA256: statement.sqlHash ?? "")
    }

    func stop(_ name: String, because reason: String) throws(LambdaError) {
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
        let submitted = try submit(statement)
        let finished = try session.call { () throws(ConfluentError) in
            try session.statements.waitUntil(submitted.name, target: .completed, deadline: session.deadline)
        }
        report.outcomes.append(outcome(statement, name: finished.name, phase: finished.phase, action: .executed))
        report.changes.append("ran \(statement.id) as \(finished.name)")
    }

    private func runStreaming(_ entries: [DeployPlan.Entry], into report: inout Report) throws(LambdaError) {
        var started: [(entry: DeployPlan.Entry, name: String, action: DeployResult.StatementOutcome.Action)] = []
        for entry in entries {
            let statement = entry.statement
            switch entry.step {
            case .unchanged(let current):
                started.append((entry, current.name, .unchanged))
            case .resume(let stopped):
                _ = try session.call { () throws(ConfluentError) in try session.statements.resume(stopped.name, deadline: session.deadline) }
                session.logger.info("resumed a statement", metadata: ["id": "\(statement.id)", "statement": "\(stopped.name)"])
                started.append((entry, stopped.name, .resumed))
                report.changes.append("resumed \(statement.id) (\(stopped.name)) from its offsets")
            case .replace(let predecessor):
                let new = try submit(statement, extraProperties: ["sql.tables.initial-offset-from": predecessor.name])
                // Confluent starts a carried-over statement only once its predecessor has stopped.
                if predecessor.isLive { try stop(predecessor.name, because: "\(new.name) carries its offsets over") }
                started.append((entry, new.name, .replaced))
                report.changes.append("replaced \(predecessor.name) with \(new.name) for \(statement.id), which continues from its offsets; \(predecessor.name) was stopped")
            case .create:
                let new = try submit(statement)
                started.append((entry, new.name, .created))
                report.changes.append("started \(statement.id) as \(new.name)")
            case .skip, .execute:
                continue  // bounded steps never reach a streaming stage
            }
            for extra in entry.retire {
                try stop(extra.name, because: "another version of \(statement.id) runs")
                report.changes.append("stopped \(extra.name), an extra version of \(statement.id)")
            }
        }
        let running = try session.call { () throws(ConfluentError) in
            try session.statements.waitUntilAll(started.map(\.name), target: .running, deadline: session.deadline)
        }
        let phases = Dictionary(running.map { ($0.name, $0.phase) }) { first, _ in first }
        for (entry, name, action) in started {
            report.outcomes.append(outcome(entry.statement, name: name, phase: phases[name] ?? Phase.running, action: action))
        }
    }

    private func submit(_ statement: DesiredStatement, extraProperties: [String: String] = [:]) throws(LambdaError) -> Statement {
        let request = session.request(
            statement, pipeline: pipeline, name: StatementName.make(pipeline: pipeline, statementId: statement.id),
            extraProperties: extraProperties)
        let created = try session.call { () throws(ConfluentError) in try session.statements.create(request, deadline: session.deadline) }
        session.logger.info("submitted a statement", metadata: [
            "id": "\(statement.id)", "statement": "\(created.name)", "kind": "\(StatementKind(statement.statement.kind).rawValue)",
        ])
        return created
    }

    private func outcome(_ statement: DesiredStatement, name: String, phase: Phase, action: DeployResult.StatementOutcome.Action) -> DeployResult.StatementOutcome {
        DeployResult.StatementOutcome(
            id: statement.id, name: name, kind: StatementKind(statement.statement.kind), phase: phase.rawValue, action: action,
            sqlSHA256: statement.sqlHash)
    }
}
