import JSON
import Pipelines
import Testing

/// pipelines.md §3: every malformed definition names the statement and the field.
@Suite struct PipelineDefinitionTests {
    static func parse(_ json: String) -> Result<Pipeline, DefinitionErrors> {
        guard let value = JSONValue.parse(Array(json.utf8)) else { fatalError("bad test JSON: \(json)") }
        return PipelineDefinition.parse(value)
    }

    static func statements(_ entries: String) -> String { #"{"name": "orders", "statements": [\#(entries)]}"# }

    @Test func aDefinitionWithSetLinesAndPropertiesIsParsedInOrder() throws {
        let pipeline = try Self.parse(#"""
            {"name": "orders-enrichment", "statements": [
              {"id": "orders-enriched-table", "sql": "CREATE TABLE IF NOT EXISTS orders_enriched (order_id STRING, total DECIMAL(10, 2));"},
              {"id": "enrich", "sql": "SET 'sql.state-ttl' = '1 d';\nINSERT INTO orders_enriched SELECT order_id, total FROM orders WHERE total > 0",
               "properties": {"sql.tables.scan.idle-timeout": "1 s"}, "compute_pool_id": "lfcp-x1", "principal": "sa-x1",
               "adopt": ["legacy-insert-1"], "allow_reprocess": true}
            ]}
            """#).get()
        #expect(pipeline.name == "orders-enrichment")
        #expect(pipeline.statements.map(\.id) == ["orders-enriched-table", "enrich"])
        #expect(pipeline.statements.map(\.kind) == [.bounded, .streaming])
        #expect(pipeline.statements[0].sql == "CREATE TABLE IF NOT EXISTS orders_enriched (order_id STRING, total DECIMAL(10, 2))")
        let enrich = pipeline.statements[1]
        #expect(enrich.sql == "INSERT INTO orders_enriched SELECT order_id, total FROM orders WHERE total > 0")
        #expect(enrich.properties == ["sql.state-ttl": "1 d", "sql.tables.scan.idle-timeout": "1 s"])
        #expect(enrich.computePoolId == "lfcp-x1" && enrich.principal == "sa-x1")
        #expect(enrich.adopt == ["legacy-insert-1"] && enrich.allowReprocess)
    }

    /// (definition, the fragment its error must contain, the JSON Pointer it must point at)
    static let malformed: [(String, String, String)] = [
        (#"[]"#, "must be an object with name and statements, not an array", ""),
        (#"{"statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1"}]}"#, "name is required", "/name"),
        (#"{"name": 7, "statements": []}"#, "name must be a string, not a number", "/name"),
        (#"{"name": "Orders", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1"}]}"#, "name 'Orders' must start with a lower-case letter", "/name"),
        (#"{"name": "a-pipeline-name-longer-than-thirty", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1"}]}"#, "is 34 characters long; at most 30", "/name"),
        (#"{"name": "orders"}"#, "statements is required", "/statements"),
        (#"{"name": "orders", "statements": []}"#, "statements has 0 statements; 1 to 50 are allowed", "/statements"),
        (#"{"name": "orders", "statements": {"id": "a"}}"#, "statements must be a list of statements, not an object", "/statements"),
        (#"{"name": "orders", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1"}], "owner": "me"}"#, "owner is not a field of a pipeline", "/owner"),
        (statements(#""INSERT INTO t SELECT 1""#), "statements[0] must be an object with id and sql, not a string", "/statements/0"),
        (statements(#"{"sql": "INSERT INTO t SELECT 1"}"#), "statements[0].id is required", "/statements/0/id"),
        (statements(#"{"id": "Enrich", "sql": "INSERT INTO t SELECT 1"}"#), "statements[0] (id 'Enrich').id 'Enrich' must start with a lower-case letter", "/statements/0/id"),
        (statements(#"{"id": "an-id-of-twenty-five-chars", "sql": "INSERT INTO t SELECT 1"}"#), "is 26 characters long; at most 24", "/statements/0/id"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1"}, {"id": "a", "sql": "INSERT INTO u SELECT 1"}"#), "statements[1] (id 'a').id repeats the id of statements[0]", "/statements/1/id"),
        (statements(#"{"id": "a"}"#), "statements[0] (id 'a').sql is required", "/statements/0/sql"),
        (statements(#"{"id": "a", "sql": ["INSERT"]}"#), "sql must be a string of Flink SQL, not an array", "/statements/0/sql"),
        (statements(#"{"id": "a", "sql": "  -- nothing\n"}"#), "statements[0] (id 'a').sql is empty", "/statements/0/sql"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1; INSERT INTO u SELECT 2"}"#), "holds more than one statement", "/statements/0/sql"),
        (statements(#"{"id": "a", "sql": "SELECT * FROM t"}"#), "is a query that writes nowhere", "/statements/0/sql"),
        (statements(#"{"id": "a", "sql": "SET 'sql.state-ttl' = '1 d';"}"#), "has only SET lines", "/statements/0/sql"),
        (statements(#"{"id": "a", "sql": "SET sql.state-ttl = 1;\nINSERT INTO t SELECT 1"}"#), "has a SET line that is not of the form", "/statements/0/sql"),
        (statements(#"{"id": "a", "sql": "SET 'sql.current-catalog' = 'x';\nINSERT INTO t SELECT 1"}"#), "sql['sql.current-catalog'] is set by a SET line, but is set by the deployer", "/statements/0/sql/sql.current-catalog"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1", "properties": {"sql.current-database": "d"}}"#), "properties['sql.current-database'] is set by the deployer", "/statements/0/properties/sql.current-database"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1", "properties": {"sql.tables.initial-offset-from": "v1"}}"#), "is set by the deployer: the deployer sets it when it carries offsets over", "/statements/0/properties/sql.tables.initial-offset-from"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1", "properties": {"sql.dry-run": "true"}}"#), "properties['sql.dry-run'] is set by the deployer", "/statements/0/properties/sql.dry-run"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1", "properties": {"parallelism": 4}}"#), "properties['parallelism'] must be a string, not a number (write it quoted: \"4\")", "/statements/0/properties/parallelism"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1", "properties": ["a"]}"#), "properties must be an object of string keys and string values, not an array", "/statements/0/properties"),
        (statements(#"{"id": "a", "sql": "SET 'k' = 'v';\nINSERT INTO t SELECT 1", "properties": {"k": "w"}}"#), "properties['k'] is also set by a SET line", "/statements/0/properties/k"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1", "compute_pool_id": ""}"#), "compute_pool_id must be 1 to 255 characters", "/statements/0/compute_pool_id"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1", "principal": 5}"#), "principal must be a string, not a number", "/statements/0/principal"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1", "adopt": ["Not A Name"]}"#), "adopt[0] must be a statement name", "/statements/0/adopt/0"),
        (statements(#"{"id": "a", "sql": "CREATE TABLE t (a INT)", "adopt": ["old-1"]}"#), "adopt is only for streaming statements", "/statements/0/adopt"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1", "allow_reprocess": "yes"}"#), "allow_reprocess must be true or false, not a string", "/statements/0/allow_reprocess"),
        (statements(#"{"id": "a", "sql": "INSERT INTO t SELECT 1", "query": "x"}"#), "statements[0] (id 'a').query is not a field of a statement", "/statements/0/query"),
    ]

    @Test(arguments: malformed)
    func everyMalformedDefinitionNamesTheStatementAndField(_ definition: String, _ fragment: String, _ pointer: String) {
        guard case .failure(let errors) = Self.parse(definition) else {
            Issue.record("accepted: \(definition)")
            return
        }
        #expect(errors.description.contains(fragment), "\(errors)")
        #expect(errors.problems.contains { $0.pointer == pointer }, "\(errors.problems.map(\.pointer))")
    }

    @Test func fiftyStatementsAreAllowedAndFiftyOneAreNot() {
        func definition(_ count: Int) -> String {
            Self.statements((0..<count).map { #"{"id": "s\#($0)", "sql": "INSERT INTO t\#($0) SELECT 1"}"# }.joined(separator: ","))
        }
        #expect((try? Self.parse(definition(50)).get())?.statements.count == 50)
        guard case .failure(let errors) = Self.parse(definition(51)) else { Issue.record("51 accepted"); return }
        #expect(errors.description.contains("has 51 statements; 1 to 50 are allowed"))
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        guard case .failure(let errors) = Self.parse(#"{"name": "X", "statements": [{"id": "a"}, {"id": "B", "sql": "SELECT 1"}]}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(errors.problems.map(\.pointer) == ["/name", "/statements/0/sql", "/statements/1/id", "/statements/1/sql"])
    }
}
