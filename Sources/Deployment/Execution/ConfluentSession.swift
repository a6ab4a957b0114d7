import Confluent
import LambdaRuntime
import Logging
import Pipelines
import TableAPI
import Timing

/// What every step of a deployment shares: the statements API, the settings, the target, the
/// deadline, and the one place Confluent's failures become the function's error types.
struct ConfluentSession {
    let statements: StatementsClient
    let settings: CCAFSettings
    let catalog: String
    let database: String
    let logger: Logger
    let deadline: Deadline

    /// The same client, settings and deadline, aimed at another catalog and database.
    func retargeted(_ catalog: String, _ database: String) -> ConfluentSession {
        ConfluentSession(statements: statements, settings: settings, catalog: catalog, database: database, logger: logger, deadline: deadline)
    }

    var targetHash: String { StatementLabels.targetHash(catalog: catalog, database: database) }

    /// The target, as every statement of the pipeline is submitted with it.
    var targetProperties: [String: String] {
        ["sql.current-catalog": catalog, "sql.current-database": database]
    }

    /// The pipeline's statements in this target, and no other deployment's.
    func listPipeline(_ pipeline: String) throws(LambdaError) -> [LiveStatement] {
        let selector = StatementLabels.selector(pipeline: pipeline, targetHash: targetHash)
        return try call { () throws(ConfluentError) in try statements.list(labelSelector: selector, deadline: deadline) }.map(LiveStatement.init)
    }

    /// A pipeline statement as the API takes it: the target and `extraProperties` over its own
    /// properties, its compute pool and principal or the settings', and the labels that find it again.
    func request(_ statement: DesiredStatement, pipeline: String, name: String, extraProperties: [String: String] = [:]) -> NewStatement {
        NewStatement(
            name: name, sql: statement.statement.sql,
            computePoolId: statement.statement.computePoolId ?? settings.computePoolId,
            principal: statement.statement.principal ?? settings.principalId,
            properties: statement.statement.properties.merging(targetProperties) { $1 }.merging(extraProperties) { $1 },
            labels: [
                StatementLabels.pipeline: pipeline,
                StatementLabels.target: targetHash,
                StatementLabels.statementId: statement.id,
                StatementLabels.kind: StatementKind(statement.statement.kind).rawValue,
                StatementLabels.sqlSHA256: statement.sqlHash,
            ])
    }

    /// Submits `sql` with `sql.dry-run`: Confluent validates it and answers at once; it never
    /// runs. The dry-run statement is deleted afterwards so it does not clutter the environment.
    func dryRun(_ sql: String, properties: [String: String] = [:], computePoolId: String? = nil, principal: String? = nil,
                namePrefix: String) throws(ConfluentError) -> Statement {
        let request = NewStatement(
            name: "\(namePrefix)-dry-\(StatementName.suffix())", sql: sql,
            computePoolId: computePoolId ?? settings.computePoolId, principal: principal ?? settings.principalId,
            properties: properties.merging(targetProperties) { $1 }.merging(["sql.dry-run": "true"]) { $1 }, labels: [:])
        let created = try statements.create(request, deadline: deadline)
        // Confluent answers a dry run in the POST response; a failure goes through the wait for its reason.
        let finished = created.phase == .completed
            ? .success(created)
            : Result { () throws(ConfluentError) in try statements.waitUntil(created.name, target: .completed, deadline: deadline) }
        // Deleted whether it passed or failed: a refused dry run is as much clutter as a passed one.
        do {
            try statements.delete(created.name, deadline: deadline)
        } catch {
            logger.warning("could not delete a dry-run statement", metadata: ["statement": "\(created.name)", "error": "\(error)"])
        }
        return try finished.get()
    }

    /// What a dry run of `SELECT * FROM` a table tells about it.
    enum TableLookup {
        /// Confluent refused the query: no such table (or no access to it); the error says which.
        case missing(ConfluentError)
        /// Its columns, as Confluent reports them (possibly none).
        case found([Column])
        /// It exists, with a column type the builder cannot read.
        case unreadable(TableAPIError)
    }

    /// Looks a table up by `name`, its quoted SQL name, in the target.
    func lookUpTable(_ name: String, namePrefix: String) throws(LambdaError) -> TableLookup {
        let statement: Statement
        do {
            statement = try dryRun("SELECT * FROM \(name)", namePrefix: namePrefix)
        } catch let error where error.kind == .statementFailed {
            return .missing(error)
        } catch {
            throw Self.lambdaError(error)
        }
        do {
            return .found(try statement.status?.traits?.schema?.tableColumns() ?? [])
        } catch {
            return .unreadable(error)
        }
    }

    func call<Value>(_ body: () throws(ConfluentError) -> Value) throws(LambdaError) -> Value {
        do {
            return try body()
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
