import TableAPI
import Testing

@Suite struct CreateTableTests {
    @Test func minimalTable() throws {
        let create = CreateTable(try ObjectName("t"), TableDescriptor(schema: try Schema([Column("a", .string)])), ifNotExists: false)
        #expect(create.sql == "CREATE TABLE `t` (\n  `a` STRING\n)")
    }

    @Test func rendersColumnsDistributionAndSortedOptions() throws {
        let schema = try Schema([Column("id", DataType.bigint.notNull), Column("it's", .decimal(10, 2)), Column("at", .timestampLTZ(3))])
        let descriptor = try TableDescriptor(schema: schema)
            .valueFormat("json-registry")
            .option("changelog.mode", "append")
            .keyFormat("raw")
            .distributedBy(["id"], buckets: 6)
            .option("note", "it's")
        let create = CreateTable(try ObjectName(catalog: "env-1", database: "lkc 2", table: "t"), descriptor)
        #expect(create.sql == """
            CREATE TABLE IF NOT EXISTS `env-1`.`lkc 2`.`t` (
              `id` BIGINT NOT NULL,
              `it's` DECIMAL(10, 2),
              `at` TIMESTAMP_LTZ(3)
            )
            DISTRIBUTED BY (`id`) INTO 6 BUCKETS
            WITH (
              'changelog.mode' = 'append',
              'key.format' = 'raw',
              'note' = 'it''s',
              'value.format' = 'json-registry'
            )
            """)
    }

    @Test func optionOrderDoesNotChangeTheText() throws {
        let schema = try Schema([Column("a", .string)])
        let one = TableDescriptor(schema: schema).keyFormat("avro-registry").valueFormat("avro-registry").option("x", "1")
        let other = TableDescriptor(schema: schema).option("x", "0").option("x", "1").valueFormat("avro-registry").keyFormat("avro-registry")
        #expect(CreateTable(try ObjectName("t"), one).sql == CreateTable(try ObjectName("t"), other).sql)
        #expect(one.options == ["key.format": "avro-registry", "value.format": "avro-registry", "x": "1"])
    }

    @Test func distributionIsChecked() throws {
        let descriptor = TableDescriptor(schema: try Schema(Fixture.columns))
        #expect(throws: TableAPIError(.unknownColumn, "distributedBy: unknown column `nope`; available columns: `a`, `b`, `n`, `flag`")) {
            try descriptor.distributedBy(["a", "nope"], buckets: 1)
        }
        #expect(throws: TableAPIError(.invalidDistribution, "distributedBy: needs at least one column and one bucket, got 1 columns and 0 buckets")) {
            try descriptor.distributedBy(["a"], buckets: 0)
        }
        #expect(throws: TableAPIError(.invalidDistribution, "distributedBy: needs at least one column and one bucket, got 0 columns and 1 buckets")) {
            try descriptor.distributedBy([], buckets: 1)
        }
        #expect(throws: TableAPIError(.invalidDistribution, "distributedBy: the column `a` is listed twice")) {
            try descriptor.distributedBy(["a", "b", "a"], buckets: 1)
        }
        let distribution = try descriptor.distributedBy(["b", "a"], buckets: 2).distribution
        #expect(distribution?.columns == ["b", "a"])
        #expect(distribution?.buckets == 2)
    }

    @Test func selectAllReadsEveryColumnOfANamedTable() throws {
        #expect(SelectAll(from: try ObjectName(catalog: "c", database: "d`b", table: "t")).sql == "SELECT * FROM `c`.`d``b`.`t`")
    }
}
