import TableAPI
import Testing

@Suite struct InsertTests {
    let target = (catalog: "c", database: "d", table: "sink")
    let sink = [Column("flight", .string), Column("email", .string), Column("count", .bigint)]

    func sinkName() throws -> ObjectName { try ObjectName(catalog: target.catalog, database: target.database, table: target.table) }

    @Test func namesItsTargetColumns() throws {
        let query = try Fixture.table("src").select(col("a"), col("b"))
        let insert = try Insert(into: sinkName(), sink: Schema(sink), columns: ["email", "flight"], query: query)
        #expect(insert.sql == "INSERT INTO `c`.`d`.`sink` (`email`, `flight`)\nSELECT `a`, `b`\nFROM `src`")
        #expect(insert.columns == ["email", "flight"])
    }

    @Test func byNameTakesTheQueryOrderWhateverTheSinkOrder() throws {
        let query = try Fixture.table("src").select(col("a").as("email"), col("n").as("count"), col("b").as("flight"))
        let insert = try Insert.byName(into: sinkName(), sink: Schema(sink), query: query)
        #expect(insert.sql == "INSERT INTO `c`.`d`.`sink` (`email`, `count`, `flight`)\nSELECT `a` AS `email`, `n` AS `count`, `b` AS `flight`\nFROM `src`")
    }

    @Test func byNameNamesTheColumnsTheSinkLacks() throws {
        let query = try Fixture.table("src").select(col("a").as("email"), col("b").as("seat"), lit("x").as("gate"))
        #expect(throws: TableAPIError(.unknownColumn, "insert: the sink `c`.`d`.`sink` has no columns `seat`, `gate`; its columns: `flight`, `email`, `count`")) {
            try Insert.byName(into: sinkName(), sink: Schema(sink), query: query)
        }
        let one = try Fixture.table("src").select(col("a").as("seat"))
        #expect(throws: TableAPIError(.unknownColumn, "insert: the sink `c`.`d`.`sink` has no column `seat`; its columns: `flight`, `email`, `count`")) {
            try Insert.byName(into: sinkName(), sink: Schema(sink), query: one)
        }
    }

    @Test func checksArityDuplicatesAndTypes() throws {
        let query = try Fixture.table("src").select(col("a"), col("n"))
        #expect(throws: TableAPIError(.arityMismatch, "insert: 1 target columns (`email`) for a query of 2 columns (`a`, `n`)")) {
            try Insert(into: sinkName(), sink: Schema(sink), columns: ["email"], query: query)
        }
        #expect(throws: TableAPIError(.arityMismatch, "insert: the target column `email` is listed twice")) {
            try Insert(into: sinkName(), sink: Schema(sink), columns: ["email", "email"], query: query)
        }
        #expect(throws: TableAPIError(.typeMismatch, "insert: the query column `n` INT cannot be written to the sink column `flight` STRING")) {
            try Insert(into: sinkName(), sink: Schema(sink), columns: ["email", "flight"], query: query)
        }
        #expect(try Insert(into: sinkName(), sink: Schema(sink), columns: ["email", "count"], query: query).columns == ["email", "count"])
    }
}
