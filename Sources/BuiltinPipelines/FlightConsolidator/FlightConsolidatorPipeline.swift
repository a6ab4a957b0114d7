import TableAPI

/// The flight-consolidator Flink application, written with the Table-API builder as the original
/// was with PyFlink: the flights of two airlines, minus some columns and plus the airline's name,
/// with rows holding a null dropped, copied into one sink table.
///
/// Unlike the original, each airline is read from its own table, and the INSERT names its target
/// columns, so values land in the columns of the same name whatever the source column order.
public struct FlightConsolidatorPipeline: Sendable {
    /// The label value that marks this pipeline's statements.
    public static let pipelineName = "flight-consolidator"
    public static let sinkTable = "flight_avro"
    public static let skyOneTable = "skyone_avro"
    public static let sunsetTable = "sunset_avro"
    /// The source tables, in union order.
    public static let sourceTables = [skyOneTable, sunsetTable]
    /// Source columns not copied into the sink.
    public static let excludedColumns = ["key", "flight_duration", "ticket_price", "aircraft", "booking_agency_email", "$rowtime"]
    /// The sink column filled with the airline's name.
    public static let airlineColumn = "airline"
    /// The sink's columns, in order: all `STRING`.
    public static let sinkColumns = [
        "departure_airport_code", "flight_number", "email_address", "departure_time", "arrival_time",
        "arrival_airport_code", "confirmation_code", airlineColumn,
    ].map { Column($0, .string) }
    static let sinkDistribution = ["departure_airport_code", "flight_number"]
    static let sinkFormat = "avro-registry"

    /// `CREATE TABLE IF NOT EXISTS` for the sink.
    public let createSink: CreateTable
    /// The `INSERT INTO … SELECT …` that runs the pipeline.
    public let insert: Insert

    public var createSinkSQL: String { createSink.sql }
    public var insertSQL: String { insert.sql }

    /// Builds and checks both statements; nothing is submitted. The schemas are the sources'
    /// columns as Confluent reports them (or ``KickstarterAirlineSchema`` offline). Throws a
    /// ``TableAPIError`` naming the table and column when a source lacks a sink column, has a
    /// column that is neither excluded nor in the sink, or disagrees with the other source on a
    /// type; and for an empty or multi-line catalog or database name.
    public init(catalog: String, database: String, skyOneSchema: Schema, sunsetSchema: Schema) throws(TableAPIError) {
        let sinkName = try ObjectName(catalog: catalog, database: database, table: Self.sinkTable)
        let sinkSchema = try Schema(Self.sinkColumns)
        let descriptor = try TableDescriptor(schema: sinkSchema)
            .distributedBy(Self.sinkDistribution, buckets: 1)
            .keyFormat(Self.sinkFormat)
            .valueFormat(Self.sinkFormat)
        createSink = CreateTable(sinkName, descriptor, ifNotExists: true)

        let skyOne = AirlineSource(table: Self.skyOneTable, airline: "SkyOne", schema: skyOneSchema)
        let sunset = AirlineSource(table: Self.sunsetTable, airline: "Sunset", schema: sunsetSchema)
        let copied = try Schema(sinkSchema.columns.filter { $0.name != Self.airlineColumn })
        let kept = try skyOne.keptColumns(mapped: copied)
        _ = try sunset.keptColumns(mapped: copied)
        try sunset.checkAgrees(with: skyOne, on: kept)

        // Both branches select SkyOne's column order, so the positional UNION ALL pairs by name.
        let names = kept.map(\.name)
        let flights = try skyOne.flights(catalog: catalog, database: database, columns: names)
            .unionAll(sunset.flights(catalog: catalog, database: database, columns: names))
        // Drop rows with a null in any copied column; successive filters AND into one WHERE.
        var complete = flights
        for name in names {
            complete = try complete.filter(col(name).isNotNull)
        }
        insert = try Insert.byName(into: sinkName, sink: sinkSchema, query: complete)
    }
}
