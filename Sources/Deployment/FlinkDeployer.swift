import Confluent
import LambdaRuntime
import Logging
import Pipelines

/// Deploys the event's pipeline through the statements API, idempotently: the pipeline's
/// statements are found again by their labels, ``DeployPlanner`` decides what changes, and
/// ``PlanExecutor`` carries it out. A Terraform delete stops the pipeline; a dry run validates it.
struct FlinkDeployer {
    let session: ConfluentSession
    let event: DeploymentEvent

    func run() throws(LambdaError) -> DeployResult {
        if event.terraformAction == .delete {
            return try teardown()
        }
        let pipeline = try PipelineResolution(session: session).resolve(event.pipeline, adopt: event.adopt)
        let live = try session.listPipeline(pipeline.name)
        let plan = DeployPlanner.plan(pipeline.statements.map(DesiredStatement.init), live: live, adopted: try adoptedStatements(pipeline))
        session.logger.info("planned the deployment", metadata: [
            "pipeline": "\(pipeline.name)", "statements": "\(plan.entries.count)", "removed": "\(plan.removed.count)",
        ])
        if event.dryRun {
            let previous = try event.previous.map { previous throws(LambdaError) in
                DeployPlanner.teardown(live: try session.retargeted(previous.catalog, previous.database).listPipeline(previous.pipeline))
            } ?? []
            return try LivePlan(session: session).plan(pipeline, plan: plan, previous: previous, previousTarget: event.previous)
        }
        return try deploy(pipeline, plan: plan, live: live)
    }

    private func deploy(_ pipeline: Pipeline, plan: DeployPlan, live: [LiveStatement]) throws(LambdaError) -> DeployResult {
        if !plan.refusals.isEmpty {
            throw .function("DeployRefused", "the deploy was refused before anything changed: "
                + plan.refusals.map { "\($0.id): \($0.reason)" }.joined(separator: "; "))
        }
        try refuseDriftedSinks(plan, pipeline: pipeline.name)
        var report = try PlanExecutor(session: session, pipeline: pipeline.name, taken: Set(live.map(\.name))).execute(plan)
        if let previous = event.previous {
            try stopPreviousTarget(previous, into: &report)
        }
        let action = DeployResult.deployAction(of: report.outcomes)
        let message = action == .unchanged
            ? "the pipeline already runs this SQL (\(report.outcomes.map(\.name).joined(separator: ", "))); nothing was submitted"
            : report.changes.joined(separator: "; ")
        return DeployResult(message: message, action: action, pipeline: pipeline.name, statements: report.outcomes)
    }

    /// A sink that exists with other columns than its `CREATE TABLE IF NOT EXISTS` declares fails
    /// the deploy before anything changes.
    private func refuseDriftedSinks(_ plan: DeployPlan, pipeline: String) throws(LambdaError) {
        var problems: [String] = []
        for (id, finding) in try SinkDrift(session: session).check(plan, pipeline: pipeline) {
            switch finding {
            case .absent, .fits:
                break
            case .drifted(let table, let differences):
                problems.append("\(id): the table \(table) exists with other columns than the statement declares (\(differences.joined(separator: "; ")))")
            case .notCompared(let reason):
                session.logger.notice("the table's columns were not compared", metadata: ["id": "\(id)", "reason": "\(reason)"])
            }
        }
        guard problems.isEmpty else {
            throw .function("SchemaMismatch", problems.joined(separator: "; ")
                + ". CREATE TABLE IF NOT EXISTS would keep the table as it is; nothing was changed. Change the table to match "
                + "(ALTER TABLE), or declare the columns it has")
        }
    }

    /// The statements named in `adopt` lists that Confluent has, by name.
    private func adoptedStatements(_ pipeline: Pipeline) throws(LambdaError) -> [String: LiveStatement] {
        var adopted: [String: LiveStatement] = [:]
        for name in Set(pipeline.statements.flatMap(\.adopt)).sorted() {
            let found = try session.call { () throws(ConfluentError) in try session.statements.get(name, deadline: session.deadline) }
            if let found { adopted[name] = LiveStatement(found) }
        }
        return adopted
    }

    /// A new catalog, database or pipeline name runs now; what the previous input started is
    /// stopped (its tables and data stay).
    private func stopPreviousTarget(_ previous: PreviousDeployment, into report: inout PlanExecutor.Report) throws(LambdaError) {
        let old = session.retargeted(previous.catalog, previous.database)
        let stopped = try PlanExecutor(session: old, pipeline: previous.pipeline, taken: []).stop(
            DeployPlanner.teardown(live: try old.listPipeline(previous.pipeline)),
            because: "the previous input deployed it into \(previous.catalog).\(previous.database)")
        report.outcomes += stopped
        report.changes += stopped.map { "stopped \($0.name) of \(previous.pipeline) in the previous target \(previous.catalog).\(previous.database)" }
    }

    /// Stops every live statement of the pipeline in the target; tables and data stay.
    private func teardown() throws(LambdaError) -> DeployResult {
        let name = event.pipeline.name
        let stopped = try PlanExecutor(session: session, pipeline: name, taken: []).stop(
            DeployPlanner.teardown(live: try session.listPipeline(name)), because: "the pipeline is torn down")
        let names = stopped.map(\.name).joined(separator: ", ")
        return DeployResult(
            message: stopped.isEmpty ? "nothing of the pipeline was running" : "stopped \(names); the tables and their data are kept",
            action: .stopped, pipeline: name, statements: stopped)
    }
}
