import BuiltinPipelines
import Confluent
import LambdaRuntime
import Pipelines
import TableAPI

/// The statements an event's pipeline stands for in the target: a definition as given, or a
/// built-in pipeline built from its sources' columns as Confluent reports them.
struct PipelineResolution {
    let session: ConfluentSession

    func resolve(_ choice: PipelineChoice) throws(LambdaError) -> Pipeline {
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
        let sql: String
        do {
            sql = SelectAll(from: try ObjectName(catalog: session.catalog, database: session.database, table: table)).sql
        } catch {
            throw .function("InvalidEvent", "invalid event: \(error)")
        }
        let statement: Statement
        do {
            statement = try session.dryRun(sql, namePrefix: pipeline)
        } catch let error where error.kind == .statementFailed {
            throw .function("SchemaMismatch", "the source table \(table) cannot be read in \(session.catalog).\(session.database): \(error)")
        } catch {
            throw ConfluentSession.lambdaError(error)
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
}
