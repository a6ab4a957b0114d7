import BuiltinPipelines
import Confluent
import LambdaRuntime
import Pipelines
import TableAPI

/// The statements an event's pipeline stands for in the target: a definition as given, or a
/// built-in pipeline built from its sources' columns as Confluent reports them.
struct PipelineResolution {
    let session: ConfluentSession

    /// The pipeline's statements; `adopt` (the event's, for a built-in pipeline) goes to its one
    /// streaming statement.
    func resolve(_ choice: PipelineChoice, adopt: [String] = []) throws(LambdaError) -> Pipeline {
        let pipeline = try statements(of: choice)
        guard !adopt.isEmpty else { return pipeline }
        let streaming = pipeline.statements.filter { $0.kind == .streaming }
        guard streaming.count == 1, let taker = streaming.first else {
            throw .function("InvalidEvent", "invalid event: adopt needs a pipeline with exactly one streaming statement; \(pipeline.name) has \(streaming.count)")
        }
        return Pipeline(name: pipeline.name, statements: pipeline.statements.map { statement in
            guard statement.id == taker.id else { return statement }
            return PipelineStatement(
                id: statement.id, sql: statement.sql, kind: statement.kind, properties: statement.properties,
                computePoolId: statement.computePoolId, principal: statement.principal, adopt: statement.adopt + adopt,
                allowReprocess: statement.allowReprocess)
        })
    }

    private func statements(of choice: PipelineChoice) throws(LambdaError) -> Pipeline {
        switch choice {
        case .definition(let pipeline):
            return pipeline
        case .builtin(let name):
            guard let builtin = BuiltinPipelines.named(name) else {
                throw .function("InvalidEvent", "invalid event: pipeline '\(name)' is not a built-in pipeline")
            }
            var schemas: [String: Schema] = [:]
            for table in builtin.sourceTables {
                schemas[table] = try sourceSchema(table, pipeline: name)
            }
            do {
                return Pipeline(name: name, statements: try builtin.statements(catalog: session.catalog, database: session.database, schemas: schemas))
            } catch {
                throw .function("SchemaMismatch", "\(error)")
            }
        }
    }

    /// A source table's columns, discovered by a dry run of `SELECT * FROM` it.
    private func sourceSchema(_ table: String, pipeline: String) throws(LambdaError) -> Schema {
        let name: ObjectName
        do {
            name = try ObjectName(catalog: session.catalog, database: session.database, table: table)
        } catch {
            throw .function("InvalidEvent", "invalid event: \(error)")
        }
        switch try session.lookUpTable(name.sql, namePrefix: pipeline) {
        case .missing(let error):
            throw .function("SchemaMismatch", "the source table \(table) cannot be read in \(session.catalog).\(session.database): \(error)")
        case .unreadable(let error):
            throw .function("SchemaMismatch", "the source table \(table): \(error)")
        case .found(let columns) where columns.isEmpty:
            throw .function("SchemaMismatch", "Confluent reported no columns for the source table \(table)")
        case .found(let columns):
            do {
                return try Schema(columns)
            } catch {
                throw .function("SchemaMismatch", "the source table \(table): \(error)")
            }
        }
    }
}
