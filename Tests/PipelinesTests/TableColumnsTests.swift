import Pipelines
import TableAPI
import Testing

@Suite struct TableColumnsTests {
    static let readable: [(String, [Column])] = [
        ("CREATE TABLE IF NOT EXISTS t (a INT, b STRING NOT NULL)", [Column("a", .int), Column("b", DataType.string.notNull)]),
        ("CREATE TABLE `c`.`d`.`t` (`a b` DECIMAL(10, 2) COMMENT 'money, in euros', PRIMARY KEY (`a b`) NOT ENFORCED) DISTRIBUTED BY (`a b`) INTO 4 BUCKETS",
         [Column("a b", .decimal(10, 2))]),
        ("CREATE TABLE t (m MAP<STRING, INT>, r ROW<x INT, y ARRAY<STRING>>, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)",
         [Column("m", try! DataType(sql: "MAP<STRING, INT>")), Column("r", try! DataType(sql: "ROW<x INT, y ARRAY<STRING>>")), Column("ts", .timestamp(3))]),
    ]

    @Test(arguments: readable)
    func plainColumnsAreRead(_ sql: String, _ columns: [Column]) {
        #expect(TableColumns.read(sql) == .columns(columns))
    }

    static let notComparable: [(String, String)] = [
        ("CREATE TABLE t (a INT, b AS a + 1)", "the column `b` is computed"),
        ("CREATE TABLE t (a INT, o BIGINT METADATA FROM 'offset' VIRTUAL)", "the column `o` is a metadata column"),
        ("CREATE TABLE t AS SELECT * FROM s", "it does not create a table with a column list"),
        ("CREATE TABLE t (a INT) AS SELECT a FROM s", "its columns come from a query"),
        ("CREATE TABLE t (LIKE s)", "its columns come from LIKE"),
        ("CREATE TABLE t (a NOPE)", "the type of `a` could not be read"),
        ("INSERT INTO t SELECT 1", "it does not create a table with a column list"),
    ]

    @Test(arguments: notComparable)
    func otherColumnListsSayWhyTheyCannotBeCompared(_ sql: String, _ fragment: String) {
        guard case .notComparable(let reason) = TableColumns.read(sql) else {
            Issue.record("read: \(sql)")
            return
        }
        #expect(reason.contains(fragment), "\(reason)")
    }

    @Test func onlyIfNotExistsKeepsAnExistingTable() {
        #expect(TableColumns.keepsAnExistingTable("create table if not exists t (a INT)"))
        #expect(!TableColumns.keepsAnExistingTable("CREATE TABLE t (a INT)"))
        #expect(!TableColumns.keepsAnExistingTable("CREATE OR REPLACE TABLE t (a INT)"))
        #expect(!TableColumns.keepsAnExistingTable("INSERT INTO t SELECT 1"))
    }
}
