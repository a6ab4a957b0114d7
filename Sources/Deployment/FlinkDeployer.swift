import Confluent
import BuiltinPipelines
import FoundationEssentials
import HTTP
import LambdaRuntime
import Logging
import TableAPI

/// Deploys the flight-consolidator pipeline through the statements API, idempotently:
/// the pipeline's statements are found again by their labels, so a redeploy of the same SQL
/// submits nothing, changed SQL replaces the running INSERT without a gap or duplicates, and a
/// Terraform delete stops it.
struct FlinkDeployer {
    let statements: StatementsClient
    let settings: CCAFSettings
    let event: DeploymentEvent
    let logger: Logger
    let deadline: Deadline

    private static let pipeline = FlightConsolidatorPipeline.pipelineName

    func run() throws(LambdaError) -> DeployResult {
        if event.terraformAction == .delete {
            return try stopPipeline()
        }
        let pipeline = try buildPipeline()
        if event.dryRun {
            return try validate(pipeline)
        }
        return try deploy(pipeline)
    }

    // MARK: - Deploy

    private func deploy(_ pipeline: FlightConsolidatorPipeline) throws(LambdaError) -> DeployResult {
        let insertHash = StatementLabels.sqlHash(pipeline.insertSQL)
        let existing = try confluent { () throws(ConfluentError) in try statements.list(labelSelector: selector(), deadline: deadline) }
        let inserts = existing.filter { $0.metadata.labels?[StatementLabels.kind] == DeployResult.StatementOutcome.Kind.insert.rawValue }
        let live = inserts.filter { $0.status?.phase == .running || $0.status?.phase == .pending }

        if let current = live.first(where: { $0.metadata.labels?[StatementLabels.sqlSHA256] == insertHash }) {
            let running = try wait(for: current.name, until: .running)
            logger.info("the pipeline already runs this SQL; nothing submitted", metadata: ["statement": "\(current.name)"])
            return DeployResult(
                message: "the pipeline already runs this SQL as \(current.name); nothing was submitted",
                action: .unchanged, pipeline: Self.pipeline,
                statements: [outcome(running, kind: .insert, sql: pipeline.insertSQL)], sql: nil)
        }

        let ddl = try submit(pipeline.createSinkSQL, kind: .ddl, extraProperties: [:])
        let table = try wait(for: ddl.name, until: .completed)

        // The newest running INSERT hands over its offsets: no gap, and once stopped, no duplicates.
        let predecessor = live.filter { $0.status?.phase == .running }.max { ($0.metadata.createdAt ?? "") < ($1.metadata.createdAt ?? "") }
        let carryOver = predecessor.map { ["sql.tables.initial-offset-from": $0.name] } ?? [:]
        let insert = try submit(pipeline.insertSQL, kind: .insert, extraProperties: carryOver)
        // Confluent starts a carried-over statement only once its predecessor has stopped.
        for old in live where old.name != insert.name {
            _ = try confluent { () throws(ConfluentError) in try statements.stop(old.name, deadline: deadline) }
            logger.info("stopped the previous pipeline statement", metadata: ["statement": "\(old.name)"])
        }
        let running = try wait(for: insert.name, until: .running)

        let outcomes = [outcome(table, kind: .ddl, sql: pipeline.createSinkSQL), outcome(running, kind: .insert, sql: pipeline.insertSQL)]
        if let predecessor {
            return DeployResult(
                message: "replaced \(predecessor.name) with \(running.name), which continues from its offsets; \(predecessor.name) was stopped",
                action: .replaced, pipeline: Self.pipeline, statements: outcomes, sql: nil)
        }
        return DeployResult(
            message: "created the sink table and started the pipeline as \(running.name)",
            action: .created, pipeline: Self.pipeline, statements: outcomes, sql: nil)
    }

    private func submit(_ sql: String, kind: DeployResult.StatementOutcome.Kind, extraProperties: [String: String]) throws(LambdaError) -> Statement {
        let name = StatementName.make("\(Self.pipeline)-\(kind.rawValue)")
        let request = NewStatement(
            name: name, sql: sql, computePoolId: settings.computePoolId, principal: settings.principalId,
            properties: baseProperties.merging(extraProperties) { $1 },
            labels: labels(sql: sql, kind: kind))
        let created = try confluent { () throws(ConfluentError) in try statements.create(request, deadline: deadline) }
        logger.info("submitted a statement", metadata: ["statement": "\(created.name)", "kind": "\(kind.rawValue)"])
        return created
    }

    private func wait(for name: String, until target: StatementTarget) throws(LambdaError) -> Statement {
        try confluent { () throws(ConfluentError) in try statements.waitUntil(name, target: target, deadline: deadline) }
    }

    // MARK: - Teardown

    private func stopPipeline() throws(LambdaError) -> DeployResult {
        let existing = try confluent { () throws(ConfluentError) in try statements.list(labelSelector: selector(), deadline: deadline) }
        let live = existing.filter { $0.status?.phase == .running || $0.status?.phase == .pending }
        var stopped: [DeployResult.StatementOutcome] = []
        for statement in live {
            _ = try confluent { () throws(ConfluentError) in try statements.stop(statement.name, deadline: deadline) }
            let kind = DeployResult.StatementOutcome.Kind(rawValue: statement.metadata.labels?[StatementLabels.kind] ?? "") ?? .insert
            stopped.append(DeployResult.StatementOutcome(
                name: statement.name, kind: kind, phase: "STOPPING",
                sqlSHA256: statement.metadata.labels?[StatementLabels.sqlSHA256] ?? ""))
        }
        logger.info("stopped the pipeline", metadata: ["statements": "\(stopped.map(\.name).joined(separator: ","))"])
        return DeployResult(
            message: stopped.isEmpty ? "nothing of the pipeline was running" : "stopped \(stopped.map(\.name).joined(separator: ", ")); the sink table and its data are kept",
            action: .stopped, pipeline: Self.pipeline, statements: stopped, sql: nil)
    }

    // MARK: - Dry run

    private func validate(_ pipeline: FlightConsolidatorPipeline) throws(LambdaError) -> DeployResult {
        _ = try dryRun(pipeline.createSinkSQL)
        var message = "both statements are valid; nothing was submitted"
        if try sinkExists() {
            _ = try dryRun(pipeline.insertSQL)
        } else {
            message = "the sink table statement is valid; the INSERT can be validated once the sink table exists; nothing was submitted"
        }
        return DeployResult(message: message, action: .planned, pipeline: Self.pipeline, statements: [],
                            sql: [pipeline.createSinkSQL, pipeline.insertSQL])
    }

    // MARK: - Schemas

    /// The sources' columns as Confluent reports them, made into the pipeline.
    private func buildPipeline() throws(LambdaError) -> FlightConsolidatorPipeline {
        do {
            return try FlightConsolidatorPipeline(
                catalog: event.catalogName, database: event.databaseName,
                skyOneSchema: try sourceSchema(FlightConsolidatorPipeline.skyOneTable),
                sunsetSchema: try sourceSchema(FlightConsolidatorPipeline.sunsetTable))
        } catch let error as LambdaError {
            throw error
        } catch {
            throw .function("SchemaMismatch", "\(error)")
        }
    }

    private func sourceSchema(_ table: String) throws(LambdaError) -> Schema {
        let sql: String
        do {
            sql = try FlightConsolidatorPipeline.schemaDiscoverySQL(catalog: event.catalogName, database: event.databaseName, table: table)
        } catch {
            throw .function("InvalidEvent", "invalid event: \(error)")
        }
        let statement: Statement
        do {
            statement = try dryRunStatement(sql)
        } catch let error where error.kind == .statementFailed {
            throw .function("SchemaMismatch", "the source table \(table) cannot be read in \(event.catalogName).\(event.databaseName): \(error)")
        } catch {
            throw Self.lambdaError(error)
        }
        guard let columns = statement.status?.traits?.schema?.columns, !columns.isEmpty else {
            throw .function("SchemaMismatch", "Confluent reported no columns for the source table \(table)")
        }
        do {
            return try Schema(columns.map { column throws(TableAPIError) in
                Column(column.name, try DataType(
                    confluentType: column.type.type, nullable: column.type.nullable ?? true, length: column.type.length,
                    precision: column.type.precision, scale: column.type.scale))
            })
        } catch {
            throw .function("SchemaMismatch", "the source table \(table): \(error)")
        }
    }

    private func sinkExists() throws(LambdaError) -> Bool {
        let sql: String
        do {
            sql = try FlightConsolidatorPipeline.schemaDiscoverySQL(catalog: event.catalogName, database: event.databaseName, table: FlightConsolidatorPipeline.sinkTable)
        } catch {
            throw .function("InvalidEvent", "invalid event: \(error)")
        }
        do {
            _ = try dryRunStatement(sql)
            return true
        } catch let error where error.kind == .statementFailed {
            return false
        } catch {
            throw Self.lambdaError(error)
        }
    }

    private func dryRun(_ sql: String) throws(LambdaError) -> Statement {
        try confluent { () throws(ConfluentError) in try dryRunStatement(sql) }
    }

    /// Submits `sql` with `sql.dry-run`: Confluent validates it and answers at once; it never runs.
    /// The dry-run statement is deleted afterwards so it does not clutter the environment.
    private func dryRunStatement(_ sql: String) throws(ConfluentError) -> Statement {
        let request = NewStatement(
            name: StatementName.make("\(Self.pipeline)-dry"), sql: sql, computePoolId: settings.computePoolId,
            principal: settings.principalId, properties: baseProperties.merging(["sql.dry-run": "true"]) { $1 }, labels: [:])
        let created = try statements.create(request, deadline: deadline)
        // Confluent answers a dry run in the POST response; a failure goes through the wait for its reason.
        let finished = created.phase == .completed ? created : try statements.waitUntil(created.name, target: .completed, deadline: deadline)
        do {
            try statements.delete(created.name, deadline: deadline)
        } catch {
            logger.warning("could not delete a dry-run statement", metadata: ["statement": "\(created.name)", "error": "\(error)"])
        }
        return finished
    }

    // MARK: - Helpers

    private var baseProperties: [String: String] {
        ["sql.current-catalog": event.catalogName, "sql.current-database": event.databaseName]
    }

    /// The pipeline's statements in this catalog and database, and no other deployment's.
    private func selector() -> String {
        "\(StatementLabels.pipeline)=\(Self.pipeline),\(StatementLabels.target)=\(StatementLabels.targetHash(catalog: event.catalogName, database: event.databaseName))"
    }

    private func labels(sql: String, kind: DeployResult.StatementOutcome.Kind) -> [String: String] {
        [
            StatementLabels.pipeline: Self.pipeline,
            StatementLabels.target: StatementLabels.targetHash(catalog: event.catalogName, database: event.databaseName),
            StatementLabels.kind: kind.rawValue,
            StatementLabels.sqlSHA256: StatementLabels.sqlHash(sql),
        ]
    }

    private func outcome(_ statement: Statement, kind: DeployResult.StatementOutcome.Kind, sql: String) -> DeployResult.StatementOutcome {
        DeployResult.StatementOutcome(name: statement.name, kind: kind, phase: statement.status?.phase.rawValue ?? "UNKNOWN", sql: sql)
    }

    private func confluent<Value>(_ call: () throws(ConfluentError) -> Value) throws(LambdaError) -> Value {
        do {
            return try call()
        } catch {
            throw Self.lambdaError(error)
        }
    }

    /// The one place Confluent failures become the function's error types.
    static func lambdaError(_ error: ConfluentError) -> LambdaError {
        switch error.kind {
        case .unauthorized: return .function("ConfluentAuth", error.description)
        case .statementFailed: return .function("StatementFailed", error.description)
        case .timeout: return .function("DeployTimeout", error.description)
        default: return .function("ConfluentError", error.description)
        }
    }
}

/// `<prefix>-<uuid>`: lower-case, at most 100 characters, valid for the statements API.
enum StatementName {
    static func make(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.lowercased())"
    }
}
