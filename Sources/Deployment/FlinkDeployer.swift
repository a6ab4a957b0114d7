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
        let pipeline = try PipelineResolution(session: session).resolve(event.pipeline)
        if event.dryRun {
            return try DryRunValidation(session: session).validate(pipeline)
        }
        return try deploy(pipeline)
    }

    private func deploy(_ pipeline: Pipeline) throws(LambdaError) -> DeployResult {
        let live = try session.listPipeline(pipeline.name)
        let plan = DeployPlanner.plan(pipeline.statements.map(DesiredStatement.init), live: live)
        session.logger.info("planned the deployment", metadata: [
            "pipeline": "\(pipeline.name)", "statements": "\(plan.entries.count)", "removed": "\(plan.removed.count)",
        ])
        let report = try PlanExecutor(session: session, pipeline: pipeline.name).execute(plan)
        let action = DeployResult.deployAction(of: report.outcomes)
        let message = action == .unchanged
            ? "the pipeline already runs this SQL (\(report.outcomes.map(\.name).joined(separator: ", "))); nothing was submitted"
            : report.changes.joined(separator: "; ")
        return DeployResult(message: message, action: action, pipeline: pipeline.name, statements: report.outcomes)
    }

    /// Stops every live statement of the pipeline in the target; tables and data stay.
    private func teardown() throws(LambdaError) -> DeployResult {
        let name = event.pipeline.name
        let executor = PlanExecutor(session: session, pipeline: name)
        var stopped: [DeployResult.StatementOutcome] = []
        for statement in DeployPlanner.teardown(live: try session.listPipeline(name)) {
            try executor.stop(statement.name, because: "the pipeline is torn down")
            stopped.append(executor.stoppedOutcome(statement))
        }
        let names = stopped.map(\.name).joined(separator: ", ")
        return DeployResult(
            message: stopped.isEmpty ? "nothing of the pipeline was running" : "stopped \(names); the tables and their data are kept",
            action: .stopped, pipeline: name, statements: stopped)
    }
}
