import TableAPI
import Testing

@Suite struct TableTests {
    @Test func sourceReadsEveryColumn() throws {
        let table = Table.from(try ObjectName(catalog: "c", database: "d", table: "t"), schema: try Schema(Fixture.columns))
        #expect(table.sql == "SELECT `a`, `b`, `n`, `flag`\nFROM `c`.`d`.`t`")
        #expect(table.schema.names == ["a", "b", "n", "flag"])
    }

    @Test func selectProjectsAndNamesItsColumns() throws {
        let table = try Fixture.table("t").select(col("b"), lit("x").as("label"), (col("n") > lit(1)).as("big"), lit(7))
        #expect(table.sql == "SELECT `b`, 'x' AS `label`, `n` > 1 AS `big`, 7 AS `_c3`\nFROM `t`")
        #expect(table.schema.columns == [
            Column("b", .string), Column("label", DataType.string.notNull), Column("big", .boolean), Column("_c3", DataType.int.notNull),
        ])
        #expect(try Fixture.table("t").select([col("a"), col("n").as("count")]).sql == "SELECT `a`, `n` AS `count`\nFROM `t`")
    }

    @Test func selectRejectsUnknownDuplicateAndMissingColumns() throws {
        let table = try Fixture.table("t")
        #expect(throws: TableAPIError(.unknownColumn, "select: unknown column `fligth_number`; available columns: `a`, `b`, `n`, `flag`")) {
            try table.select(col("a"), col("fligth_number"))
        }
        #expect(throws: TableAPIError(.invalidSchema, "select: column 2 repeats the name `a`; column names must be unique")) {
            try table.select(col("a"), col("b").as("a"))
        }
        #expect(throws: TableAPIError(.invalidSchema, "select: a schema needs at least one column")) { try table.select() }
        #expect(throws: TableAPIError(.invalidIdentifier, "select: column 1: an identifier must not be empty")) { try table.select(col("a").as("")) }
    }

    @Test func selectFusesWhenColumnsPassThrough() throws {
        let table = try Fixture.table("t").select(col("a"), col("b"), lit(1).as("one")).select(col("b"), col("a").isNull.as("missing"))
        #expect(table.sql == "SELECT `b`, `a` IS NULL AS `missing`\nFROM `t`")
    }

    @Test func selectReadsASubqueryWhenItUsesAComputedColumn() throws {
        let table = try Fixture.table("t").select(col("a"), lit(1).as("one")).select(col("one"))
        #expect(table.sql == "SELECT `one`\nFROM (\n  SELECT `a`, 1 AS `one`\n  FROM `t`\n)")
    }

    @Test func filterAddsToTheWhereClause() throws {
        let once = try Fixture.table("t").filter(col("a").isNotNull)
        #expect(once.sql == "SELECT `a`, `b`, `n`, `flag`\nFROM `t`\nWHERE `a` IS NOT NULL")
        let twice = try once.filter(col("n") > lit(1) || col("flag"))
        #expect(twice.sql == "SELECT `a`, `b`, `n`, `flag`\nFROM `t`\nWHERE `a` IS NOT NULL\n  AND ((`n` > 1) OR `flag`)")
        #expect(twice.schema == once.schema)
        let single = try Fixture.table("t").filter(col("n") > lit(1) || col("flag"))
        #expect(single.sql == "SELECT `a`, `b`, `n`, `flag`\nFROM `t`\nWHERE (`n` > 1) OR `flag`")
    }

    @Test func filterThenSelectIsOneQuery() throws {
        let table = try Fixture.table("t").filter(col("flag")).select(col("a"))
        #expect(table.sql == "SELECT `a`\nFROM `t`\nWHERE `flag`")
    }

    @Test func filterFusesOnlyOverPassedThroughColumns() throws {
        let table = try Fixture.table("t").select(col("a"), lit("x").as("label")).filter(col("a").isNotNull && col("label").isNotNull)
        #expect(table.sql == "SELECT `a`, `label`\nFROM (\n  SELECT `a`, 'x' AS `label`\n  FROM `t`\n)\nWHERE `a` IS NOT NULL\n  AND `label` IS NOT NULL")
        let fused = try Fixture.table("t").select(col("a"), lit("x").as("label")).filter(col("a").isNotNull)
        #expect(fused.sql == "SELECT `a`, 'x' AS `label`\nFROM `t`\nWHERE `a` IS NOT NULL")
    }

    @Test func filterNeedsABooleanCondition() throws {
        #expect(throws: TableAPIError(.typeMismatch, "filter: the condition `a` is STRING, not BOOLEAN")) { try Fixture.table("t").filter(col("a")) }
        #expect(throws: TableAPIError(.typeMismatch, "filter: the condition 1 is INT NOT NULL, not BOOLEAN")) { try Fixture.table("t").filter(lit(1)) }
    }

    @Test func aliasRenamesEveryColumn() throws {
        let table = try Fixture.table("t").alias("w", "x", "y", "z")
        #expect(table.sql == "SELECT `a` AS `w`, `b` AS `x`, `n` AS `y`, `flag` AS `z`\nFROM `t`")
        #expect(table.schema.columns == [Column("w", .string), Column("x", .string), Column("y", .int), Column("z", .boolean)])
        let selected = try Fixture.table("t").select(col("a"), lit("SkyOne")).alias(["email", "airline"])
        #expect(selected.sql == "SELECT `a` AS `email`, 'SkyOne' AS `airline`\nFROM `t`")
    }

    @Test func aliasChecksArityAndNames() throws {
        let table = try Fixture.table("t")
        #expect(throws: TableAPIError(.arityMismatch, "alias: needs one name per column (4: `a`, `b`, `n`, `flag`), got 1")) { try table.alias("x") }
        #expect(throws: TableAPIError(.invalidSchema, "alias: column 2 repeats the name `x`; column names must be unique")) {
            try table.alias("x", "x", "y", "z")
        }
    }

    @Test func filterAfterAliasReadsASubquery() throws {
        let table = try Fixture.table("t").select(col("a")).alias("x").filter(col("x").isNotNull)
        #expect(table.sql == "SELECT `x`\nFROM (\n  SELECT `a` AS `x`\n  FROM `t`\n)\nWHERE `x` IS NOT NULL")
    }
}
