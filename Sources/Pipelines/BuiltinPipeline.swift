import TableAPI

/// A pipeline written in Swift with the Table-API builder and registered by name in
/// `BuiltinPipelines`. Its SQL may depend on its source tables' columns, which the deployer
/// discovers from Confluent (or takes from ``offlineColumns`` for the offline `plan`).
public protocol BuiltinPipeline: Sendable {
    /// The name an event asks for it by, and the label its statements carry.
    var name: String { get }
    /// One line for listings: what the pipeline does.
    var summary: String { get }
    /// The tables whose columns ``statements(catalog:database:schemas:)`` needs, in any order.
    var sourceTables: [String] { get }
    /// The columns of ``sourceTables`` as they are known to be, for planning without Confluent.
    var offlineColumns: [String: [Column]] { get }
    /// The statements in deployment order. Throws a ``TableAPIError`` (`schemaMismatch` when the
    /// sources do not fit) naming the table and column.
    func statements(catalog: String, database: String, schemas: [String: Schema]) throws(TableAPIError) -> [PipelineStatement]
}
