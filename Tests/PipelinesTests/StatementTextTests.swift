import Pipelines
import Testing

@Suite struct StatementTextTests {
    static let kinds: [(String, PipelineStatement.Kind)] = [
        ("CREATE TABLE t (a INT)", .bounded),
        ("create table if not exists `my table` (a INT) WITH ('connector' = 'x;y')", .bounded),
        ("ALTER TABLE t SET ('changelog.mode' = 'append')", .bounded),
        ("DROP TABLE IF EXISTS t", .bounded),
        ("CREATE FUNCTION f AS 'com.example.F' USING JAR 'confluent-artifact://cfa-1'", .bounded),
        ("INSERT INTO t SELECT * FROM s", .streaming),
        ("insert into t select 'a;b' from s -- a comment; with a semicolon", .streaming),
        ("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END", .streaming),
        ("CREATE TABLE t AS SELECT * FROM s", .streaming),
        ("CREATE TABLE t (PRIMARY KEY (id) NOT ENFORCED) AS (SELECT id FROM s)", .streaming),
    ]

    @Test(arguments: kinds)
    func theKindComesFromTheLeadingKeywords(_ sql: String, _ kind: PipelineStatement.Kind) throws {
        #expect(try StatementText(sql).kind == kind)
    }

    @Test func setLinesBecomePropertiesAndTheTrailingSemicolonGoes() throws {
        let text = try StatementText("SET 'sql.state-ttl' = '1 d';\n  SET 'it''s' = 'a;b';\n/* c */ INSERT INTO t SELECT 1 ;;\n")
        #expect(text.sql == "INSERT INTO t SELECT 1")
        #expect(text.settings.map(\.key) == ["sql.state-ttl", "it's"])
        #expect(text.settings.map(\.value) == ["1 d", "a;b"])
    }

    static let refused: [(String, String)] = [
        ("", "is empty"),
        ("-- only a comment", "is empty"),
        ("SELECT 1", "is a query that writes nowhere"),
        ("WITH x AS (SELECT 1) SELECT * FROM x", "is a query that writes nowhere"),
        ("USE CATALOG c", "starts with USE"),
        ("SHOW TABLES", "is a SHOW statement"),
        ("GRANT x", "starts with 'GRANT'"),
        ("INSERT INTO t SELECT 1; DROP TABLE t", "holds more than one statement (a ';' at line 1, column 23 of the SQL"),
        ("INSERT INTO t SELECT 'open", "a string literal starting at line 1, column 22 of the SQL is never closed"),
        ("INSERT INTO `t SELECT 1", "a quoted identifier starting at line 1, column 13 of the SQL is never closed"),
        ("INSERT INTO t /* SELECT 1", "a /* comment starting at line 1, column 15 of the SQL is never closed"),
        ("SET 'a' 'b';\nINSERT INTO t SELECT 1", "has a SET line that is not of the form SET 'key' = 'value'; (at line 1, column 1 of the SQL)"),
        ("(INSERT INTO t SELECT 1)", "does not start with a statement keyword"),
    ]

    @Test(arguments: refused)
    func refusedTextSaysWhy(_ sql: String, _ fragment: String) {
        #expect(throws: StatementTextError.self) { try StatementText(sql) }
        do {
            _ = try StatementText(sql)
        } catch {
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func theCreatedTableIsFoundWithItsQualifiers() throws {
        #expect(try StatementText("CREATE TABLE IF NOT EXISTS `cat`.db.`my t` (a INT)").createdTable == ["cat", "db", "my t"])
        #expect(try StatementText("CREATE OR REPLACE TABLE t AS SELECT 1").createdTable == ["t"])
        #expect(try StatementText("INSERT INTO t SELECT 1").createdTable == nil)
    }

    @Test func textOverTheAPILimitIsRefused() {
        let sql = "INSERT INTO t SELECT '" + String(repeating: "x", count: StatementText.maximumLength) + "'"
        #expect(throws: StatementTextError.self) { try StatementText(sql) }
    }
}
