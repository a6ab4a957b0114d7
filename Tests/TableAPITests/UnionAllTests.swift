import TableAPI
import Testing

@Suite struct UnionAllTests {
    @Test func unionOfSelectsIsFlat() throws {
        let left = try Fixture.table("t1").select(col("a"), lit("L").as("side"))
        let right = try Fixture.table("t2").select(col("b"), lit("R"))
        let union = try left.unionAll(right)
        #expect(union.sql == "SELECT `a`, 'L' AS `side`\nFROM `t1`\nUNION ALL\nSELECT `b`, 'R' AS `_c1`\nFROM `t2`")
        #expect(union.schema.names == ["a", "side"])
    }

    @Test func nestedUnionsFlatten() throws {
        let (t1, t2, t3) = (try Fixture.table("t1").select(col("a")), try Fixture.table("t2").select(col("a")), try Fixture.table("t3").select(col("a")))
        let expected = "SELECT `a`\nFROM `t1`\nUNION ALL\nSELECT `a`\nFROM `t2`\nUNION ALL\nSELECT `a`\nFROM `t3`"
        #expect(try t1.unionAll(t2).unionAll(t3).sql == expected)
        #expect(try t1.unionAll(t2.unionAll(t3)).sql == expected)
    }

    @Test func filterOverAUnionReadsItAsASubquery() throws {
        let union = try Fixture.table("t1").select(col("a"), col("n")).unionAll(Fixture.table("t2").select(col("b"), col("n")))
        let filtered = try union.filter(col("a").isNotNull && col("n") > lit(0))
        #expect(filtered.sql == """
            SELECT `a`, `n`
            FROM (
              SELECT `a`, `n`
              FROM `t1`
              UNION ALL
              SELECT `b`, `n`
              FROM `t2`
            )
            WHERE `a` IS NOT NULL
              AND (`n` > 0)
            """)
        #expect(try union.select(col("n")).sql == "SELECT `n`\nFROM (\n  SELECT `a`, `n`\n  FROM `t1`\n  UNION ALL\n  SELECT `b`, `n`\n  FROM `t2`\n)")
        #expect(try union.alias("x", "y").sql == "SELECT `a` AS `x`, `n` AS `y`\nFROM (\n  SELECT `a`, `n`\n  FROM `t1`\n  UNION ALL\n  SELECT `b`, `n`\n  FROM `t2`\n)")
    }

    @Test func filteredBranchesStayInTheUnion() throws {
        let left = try Fixture.table("t1").filter(col("flag")).select(col("a"))
        let union = try left.unionAll(Fixture.table("t2").select(col("a")))
        #expect(union.sql == "SELECT `a`\nFROM `t1`\nWHERE `flag`\nUNION ALL\nSELECT `a`\nFROM `t2`")
    }

    @Test func unionChecksArity() throws {
        let left = try Fixture.table("t1").select(col("a"), col("b"))
        let right = try Fixture.table("t2").select(col("a"))
        #expect(throws: TableAPIError(.arityMismatch, "unionAll: the left side has 2 columns (`a`, `b`) but the right side has 1 (`a`)")) {
            try left.unionAll(right)
        }
    }

    @Test func unionChecksTypesPositionByPosition() throws {
        let left = try Fixture.table("l", [Column("email_address", .string), Column("departure_time", .string), Column("flight_number", .string)])
        let right = try Fixture.table("r", [Column("email_address", .string), Column("departure_time", .string), Column("flight_number", .bigint)])
        #expect(throws: TableAPIError(.typeMismatch, "unionAll: column 3 is `flight_number` STRING on the left but `flight_number` BIGINT on the right")) {
            try left.unionAll(right)
        }
        let varchar = try Fixture.table("v", [Column("email_address", .string), Column("departure_time", .varchar(10)), Column("flight_number", .string)])
        #expect(throws: TableAPIError(.typeMismatch, "unionAll: column 2 is `departure_time` STRING on the left but `departure_time` VARCHAR(10) on the right")) {
            try left.unionAll(varchar)
        }
    }

    @Test func unionIgnoresNullabilityAndCountsStringLiteralsAsString() throws {
        let left = try Fixture.table("l", [Column("a", DataType.string.notNull), Column("b", DataType.int.notNull)])
        let right = try Fixture.table("r", [Column("x", .string), Column("y", DataType.int.notNull)])
        #expect(try left.unionAll(right).schema.columns == [Column("a", .string), Column("b", DataType.int.notNull)])
        let literal = try Fixture.table("t").select(lit("SkyOne").as("airline"))
        #expect(try literal.unionAll(Fixture.table("t").select(col("a"))).schema.columns == [Column("airline", .string)])
    }

    @Test func literalLineBreaksAreNeverIndented() throws {
        let branch = try Fixture.table("t").select(lit("line 1\nline 2").as("text"))
        let sql = try branch.unionAll(branch).filter(col("text").isNotNull).sql
        #expect(sql.contains("  SELECT 'line 1\nline 2' AS `text`\n  FROM `t`\n"))
        #expect(!sql.contains("  line 2"))
    }
}
