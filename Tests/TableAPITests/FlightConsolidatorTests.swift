import BuiltinPipelines
import TableAPI
import Testing

@Suite struct FlightConsolidatorTests {
    static let goldenCreateSink = """
        CREATE TABLE IF NOT EXISTS `flight_env`.`flight_cluster`.`flight_avro` (
          `departure_airport_code` STRING,
          `flight_number` STRING,
          `email_address` STRING,
          `departure_time` STRING,
          `arrival_time` STRING,
          `arrival_airport_code` STRING,
          `confirmation_code` STRING,
          `airline` STRING
        )
        DISTRIBUTED BY (`departure_airport_code`, `flight_number`) INTO 1 BUCKETS
        WITH (
          'key.format' = 'avro-registry',
          'value.format' = 'avro-registry'
        )
        """

    static let goldenInsert = """
        INSERT INTO `flight_env`.`flight_cluster`.`flight_avro` (`email_address`, `departure_time`, `departure_airport_code`, `arrival_time`, `arrival_airport_code`, `flight_number`, `confirmation_code`, `airline`)
        SELECT `email_address`, `departure_time`, `departure_airport_code`, `arrival_time`, `arrival_airport_code`, `flight_number`, `confirmation_code`, `airline`
        FROM (
          SELECT `email_address`, `departure_time`, `departure_airport_code`, `arrival_time`, `arrival_airport_code`, `flight_number`, `confirmation_code`, 'SkyOne' AS `airline`
          FROM `flight_env`.`flight_cluster`.`skyone_avro`
          UNION ALL
          SELECT `email_address`, `departure_time`, `departure_airport_code`, `arrival_time`, `arrival_airport_code`, `flight_number`, `confirmation_code`, 'Sunset' AS `airline`
          FROM `flight_env`.`flight_cluster`.`sunset_avro`
        )
        WHERE `email_address` IS NOT NULL
          AND `departure_time` IS NOT NULL
          AND `departure_airport_code` IS NOT NULL
          AND `arrival_time` IS NOT NULL
          AND `arrival_airport_code` IS NOT NULL
          AND `flight_number` IS NOT NULL
          AND `confirmation_code` IS NOT NULL
        """

    static func pipeline(
        catalog: String = "flight_env", database: String = "flight_cluster",
        skyOne: [Column] = KickstarterAirlineSchema.columns, sunset: [Column] = KickstarterAirlineSchema.columns
    ) throws -> FlightConsolidatorPipeline {
        try FlightConsolidatorPipeline(catalog: catalog, database: database, skyOneSchema: Schema(skyOne), sunsetSchema: Schema(sunset))
    }

    /// The Kickstarter columns with `name` replaced by `replacement` (or dropped when nil).
    static func kickstarter(replacing name: String, with replacement: Column?) -> [Column] {
        KickstarterAirlineSchema.columns.compactMap { $0.name == name ? replacement : $0 }
    }

    @Test func createsTheSinkExactly() throws {
        #expect(try Self.pipeline().createSinkSQL == Self.goldenCreateSink)
    }

    @Test func insertsBothAirlinesByName() throws {
        #expect(try Self.pipeline().insertSQL == Self.goldenInsert)
    }

    @Test func kickstarterFallbackMatchesTheAvroSchema() throws {
        let schema = try KickstarterAirlineSchema.schema
        #expect(schema.columns.map(\.sql) == [
            "`key` BYTES", "`email_address` STRING", "`departure_time` STRING", "`departure_airport_code` STRING",
            "`arrival_time` STRING", "`arrival_airport_code` STRING", "`flight_duration` BIGINT", "`flight_number` STRING",
            "`confirmation_code` STRING", "`ticket_price` DECIMAL(10, 2)", "`aircraft` STRING", "`booking_agency_email` STRING",
            "`$rowtime` TIMESTAMP_LTZ(3) NOT NULL",
        ])
    }

    @Test func namesAndDiscoveryQuery() throws {
        #expect(FlightConsolidatorPipeline.pipelineName == "flight-consolidator")
        #expect(FlightConsolidatorPipeline.sourceTables == ["skyone_avro", "sunset_avro"])
        #expect(FlightConsolidatorPipeline.sinkTable == "flight_avro")
    }

    @Test func catalogAndDatabaseAreQuoted() throws {
        let pipeline = try Self.pipeline(catalog: "env`1", database: "lkc 2.x")
        #expect(pipeline.createSinkSQL.hasPrefix("CREATE TABLE IF NOT EXISTS `env``1`.`lkc 2.x`.`flight_avro` (\n"))
        #expect(pipeline.insertSQL.hasPrefix("INSERT INTO `env``1`.`lkc 2.x`.`flight_avro` ("))
        #expect(pipeline.insertSQL.contains("FROM `env``1`.`lkc 2.x`.`skyone_avro`\n"))
        #expect(pipeline.insertSQL.contains("FROM `env``1`.`lkc 2.x`.`sunset_avro`\n"))
        #expect(throws: TableAPIError.self) { try Self.pipeline(database: "a\nb") }
    }

    @Test func aSourceWithoutFlightNumberIsNamed() throws {
        let sunset = Self.kickstarter(replacing: "flight_number", with: nil)
        #expect(throws: TableAPIError(.schemaMismatch, "source `sunset_avro` lacks the column `flight_number` that the sink `flight_avro` needs; its columns: `key`, `email_address`, `departure_time`, `departure_airport_code`, `arrival_time`, `arrival_airport_code`, `flight_duration`, `confirmation_code`, `ticket_price`, `aircraft`, `booking_agency_email`, `$rowtime`")) {
            try Self.pipeline(sunset: sunset)
        }
    }

    @Test func sourcesDisagreeingOnATypeFail() throws {
        let sunset = Self.kickstarter(replacing: "email_address", with: Column("email_address", .varchar(100)))
        #expect(throws: TableAPIError(.schemaMismatch, "sources `skyone_avro` and `sunset_avro` disagree on the column `email_address`: STRING in `skyone_avro` but VARCHAR(100) in `sunset_avro`")) {
            try Self.pipeline(sunset: sunset)
        }
    }

    @Test func aColumnTheSinkCannotHoldIsNamed() throws {
        let sunset = Self.kickstarter(replacing: "flight_number", with: Column("flight_number", .bigint))
        #expect(throws: TableAPIError(.schemaMismatch, "source `sunset_avro` has the column `flight_number` BIGINT, which cannot be written to the sink column `flight_number` STRING")) {
            try Self.pipeline(sunset: sunset)
        }
    }

    @Test func anUnmappedColumnIsNamed() throws {
        let copied = "`departure_airport_code`, `flight_number`, `email_address`, `departure_time`, `arrival_time`, `arrival_airport_code`, `confirmation_code`"
        let withSeat = KickstarterAirlineSchema.columns + [Column("seat", .string)]
        #expect(throws: TableAPIError(.schemaMismatch, "source `skyone_avro` has the column `seat`, which is neither excluded nor copied into the sink `flight_avro` (copied: \(copied))")) {
            try Self.pipeline(skyOne: withSeat)
        }
        let withAirline = KickstarterAirlineSchema.columns + [Column("airline", .string)]
        #expect(throws: TableAPIError(.schemaMismatch, "source `sunset_avro` has the column `airline`, which is neither excluded nor copied into the sink `flight_avro` (copied: \(copied))")) {
            try Self.pipeline(sunset: withAirline)
        }
    }

    @Test func anotherSourceOrderStillPairsColumnsByName() throws {
        let sunset = KickstarterAirlineSchema.columns.reversed().map { $0 }
        #expect(try Self.pipeline(sunset: sunset).insertSQL == Self.goldenInsert)
    }

    @Test func nullabilityDifferencesAreAccepted() throws {
        let sunset = Self.kickstarter(replacing: "email_address", with: Column("email_address", DataType.string.notNull))
        #expect(try Self.pipeline(sunset: sunset).insertSQL == Self.goldenInsert)
    }

    @Test func sameInputSameText() throws {
        let (first, second) = (try Self.pipeline(), try Self.pipeline())
        #expect(first.createSinkSQL == second.createSinkSQL)
        #expect(first.insertSQL == second.insertSQL)
        #expect(Array(first.insertSQL.utf8) == Array(Self.goldenInsert.utf8))
    }
}
