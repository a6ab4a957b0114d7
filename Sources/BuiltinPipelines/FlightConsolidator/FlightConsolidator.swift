import Pipelines
import TableAPI

/// The flight consolidator as a built-in pipeline: the sink table (`ddl`), then the INSERT that
/// fills it (`insert`). The statement ids are the kinds the first version labelled its
/// statements with, so its deployments are found again.
public struct FlightConsolidator: BuiltinPipeline {
    public init() {}

    public var name: String { FlightConsolidatorPipeline.pipelineName }
    public var summary: String { "the flights of SkyOne and Sunset, without nulls, in one sink table `flight_avro`" }
    public var sourceTables: [String] { FlightConsolidatorPipeline.sourceTables }

    public var offlineColumns: [String: [Column]] {
        Dictionary(uniqueKeysWithValues: sourceTables.map { ($0, KickstarterAirlineSchema.columns) })
    }

    public func statements(catalog: String, database: String, schemas: [String: Schema]) throws(TableAPIError) -> [PipelineStatement] {
        guard let skyOne = schemas[FlightConsolidatorPipeline.skyOneTable], let sunset = schemas[FlightConsolidatorPipeline.sunsetTable] else {
            throw TableAPIError(.schemaMismatch, "the columns of \(SQL.identifiers(sourceTables)) are needed")
        }
        let pipeline = try FlightConsolidatorPipeline(catalog: catalog, database: database, skyOneSchema: skyOne, sunsetSchema: sunset)
        return [
            PipelineStatement(id: "ddl", sql: pipeline.createSinkSQL, kind: .bounded),
            PipelineStatement(id: "insert", sql: pipeline.insertSQL, kind: .streaming),
        ]
    }
}
