import TableAPI
import Testing

@Suite struct ExpressionTests {
    @Test(arguments: [
        (col("x"), "`x`"),
        (col("we`ird"), "`we``ird`"),
        (col("$rowtime"), "`$rowtime`"),
        (lit("SkyOne"), "'SkyOne'"),
        (lit("it's"), "'it''s'"),
        (lit(42), "42"),
        (lit(-7), "-7"),
        (lit(true), "TRUE"),
        (lit(false), "FALSE"),
        (col("a").isNull, "`a` IS NULL"),
        (col("a").isNotNull, "`a` IS NOT NULL"),
        (!col("a"), "NOT `a`"),
        (col("a").not, "NOT `a`"),
        (col("a") == lit(1), "`a` = 1"),
        (col("a") != lit("x"), "`a` <> 'x'"),
        (col("a") < lit(1), "`a` < 1"),
        (col("a") <= lit(1), "`a` <= 1"),
        (col("a") > lit(1), "`a` > 1"),
        (col("a") >= lit(1), "`a` >= 1"),
        (col("a") && col("b"), "`a` AND `b`"),
        (col("a").and(col("b")), "`a` AND `b`"),
        (col("a") || col("b"), "`a` OR `b`"),
        (col("a").or(col("b")), "`a` OR `b`"),
    ])
    func rendersEachExpression(expression: Expression, sql: String) {
        #expect(expression.sql == sql)
        #expect(expression.description == sql)
    }

    @Test(arguments: [
        ((col("a") && col("b")) || col("c"), "(`a` AND `b`) OR `c`"),
        (col("a") && (col("b") || col("c")), "`a` AND (`b` OR `c`)"),
        (col("a") && col("b") && col("c"), "`a` AND `b` AND `c`"),
        (col("a") && (col("b") && col("c")), "`a` AND `b` AND `c`"),
        (col("a") || col("b") || col("c"), "`a` OR `b` OR `c`"),
        ((col("a") == lit(1)) && col("b").isNotNull, "(`a` = 1) AND `b` IS NOT NULL"),
        (col("a").isNull || !col("b"), "`a` IS NULL OR NOT `b`"),
        ((col("a") == lit(1)).isNull, "(`a` = 1) IS NULL"),
        (col("a").isNull == lit(true), "(`a` IS NULL) = TRUE"),
        (!(col("a") && col("b")), "NOT (`a` AND `b`)"),
        (!(col("a") == lit(1)), "NOT (`a` = 1)"),
        (!(!col("a")), "NOT (NOT `a`)"),
        ((col("a") && col("b")) == lit(true), "(`a` AND `b`) = TRUE"),
        ((col("a") == col("b")) == lit(false), "(`a` = `b`) = FALSE"),
    ])
    func parenthesizesCompoundOperands(expression: Expression, sql: String) {
        #expect(expression.sql == sql)
    }

    @Test func literalsAndPredicatesHaveTypes() throws {
        let table = try Fixture.table("t").select(
            lit("x"), lit(1), lit(3_000_000_000), lit(true), col("a").isNull, col("n") > lit(1), col("flag") && lit(true), !col("flag")
        )
        #expect(table.schema.names == ["_c0", "_c1", "_c2", "_c3", "_c4", "_c5", "_c6", "_c7"])
        #expect(table.schema.columns.map(\.type.sql) == [
            "STRING NOT NULL", "INT NOT NULL", "BIGINT NOT NULL", "BOOLEAN NOT NULL", "BOOLEAN NOT NULL", "BOOLEAN", "BOOLEAN", "BOOLEAN",
        ])
    }

    @Test func operatorsCheckTheirOperandTypes() throws {
        let table = try Fixture.table("t")
        #expect(throws: TableAPIError(.typeMismatch, "filter: AND expects BOOLEAN operands, but `a` is STRING")) {
            try table.filter(col("a") && col("flag"))
        }
        #expect(throws: TableAPIError(.typeMismatch, "filter: NOT expects BOOLEAN operands, but `n` is INT")) {
            try table.filter(!col("n"))
        }
        #expect(throws: TableAPIError(.typeMismatch, "select: cannot compare STRING with INT NOT NULL in `a` = 1")) {
            try table.select(col("a") == lit(1))
        }
        #expect(throws: TableAPIError(.unknownColumn, "filter: unknown column `nope`; available columns: `a`, `b`, `n`, `flag`")) {
            try table.filter(col("nope").isNull || col("flag"))
        }
    }
}
