import TableAPI

/// The columns of `skyone_avro` and `sunset_avro` as the Apache Flink Kickstarter creates them
/// (Avro `AirlineAvroData`, plus Confluent's `key` and `$rowtime`): the offline fallback for
/// `plan`, where the real schemas cannot be discovered. Note the Avro order differs from the
/// sink's, which is why the pipeline inserts by name.
public enum KickstarterAirlineSchema {
    public static let columns: [Column] = [
        Column("key", .bytes),
        Column("email_address", .string),
        Column("departure_time", .string),
        Column("departure_airport_code", .string),
        Column("arrival_time", .string),
        Column("arrival_airport_code", .string),
        Column("flight_duration", .bigint),
        Column("flight_number", .string),
        Column("confirmation_code", .string),
        Column("ticket_price", .decimal(10, 2)),
        Column("aircraft", .string),
        Column("booking_agency_email", .string),
        Column("$rowtime", DataType.timestampLTZ(3).notNull),
    ]

    /// ``columns`` as a schema.
    public static var schema: Schema {
        get throws(TableAPIError) { try Schema(columns) }
    }
}
