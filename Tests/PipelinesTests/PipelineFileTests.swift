import JSON
import PipelineFiles
import Pipelines
import Testing

@Suite struct PipelineFileTests {
    static let yaml = """
        # a comment
        name: orders
        statements:
          - id: table
            sql: |
              CREATE TABLE t (a INT)
          - id: copy
            sql: INSERT INTO t SELECT 1
            properties:
              parallelism: 4
              quoted: '4'
              flag: on
            allow_reprocess: true
        """

    @Test func yamlBecomesTheEventsJSONWithCoreSchemaTypes() throws {
        let file = try PipelineFile.parse(Self.yaml, name: "orders.yaml")
        #expect(file.value["name"] == .string("orders"))
        guard case .array(let statements)? = file.value["statements"] else { Issue.record("no statements"); return }
        #expect(statements[0]["sql"] == .string("CREATE TABLE t (a INT)\n"))
        #expect(statements[1]["properties"] == .object(["parallelism": .integer(4), "quoted": .string("4"), "flag": .bool(true)]))
        #expect(statements[1]["allow_reprocess"] == .bool(true))
    }

    @Test func problemsPointAtTheLineOfTheValue() throws {
        let file = try PipelineFile.parse(Self.yaml, name: "orders.yaml")
        guard case .failure(let errors) = PipelineDefinition.parse(file.value) else { Issue.record("accepted"); return }
        let described = errors.problems.map(file.describe)
        #expect(described == [#"orders.yaml, line 12: statements[1] (id 'copy').properties['flag'] must be a string, not a boolean (write it quoted: "true")"#,
                              #"orders.yaml, line 10: statements[1] (id 'copy').properties['parallelism'] must be a string, not a number (write it quoted: "4")"#])
        // A member's line is its key's; a missing one falls back to the nearest enclosing member.
        #expect(file.line(of: "/statements/1/properties/missing") == 9)
        #expect(file.line(of: "/statements/0/sql") == 5)
        #expect(file.line(of: "/name") == 2)
    }

    @Test func jsonIsReadToo() throws {
        let file = try PipelineFile.parse("{\"name\": \"orders\",\n \"statements\": [{\"id\": \"a\", \"sql\": \"INSERT INTO t SELECT 1\"}]}", name: "o.json")
        #expect(try PipelineDefinition.parse(file.value).get().statements.map(\.id) == ["a"])
        #expect(file.line(of: "/statements/0/id") == 2)
    }

    static let unreadable: [(String, String)] = [
        ("", "o.yaml is empty"),
        ("name: [unclosed\n", "o.yaml is not valid YAML or JSON: line 2"),
        ("name: a\nname: b\n", "duplicated key(s): 'name'"),
        ("? [a, b]\n: c\n", "o.yaml, line 1: a key must be plain text"),
        ("a: 1\n---\nb: 2\n", "o.yaml is not valid YAML or JSON"),
    ]

    @Test(arguments: unreadable)
    func anUnreadableFileSaysWhereAndWhy(_ text: String, _ fragment: String) {
        do {
            _ = try PipelineFile.parse(text, name: "o.yaml")
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test func aMissingFileIsNamed() {
        #expect(throws: PipelineFileError("cannot read the pipeline file '/nonexistent/p.yaml'")) {
            try PipelineFile.read("/nonexistent/p.yaml")
        }
    }

    @Test func theExamplesUnderPipelinesAreValid() throws {
        let root = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        let pipeline = try PipelineDefinition.parse(try PipelineFile.read("/\(root)/pipelines/airport-departures.yaml").value).get()
        #expect(pipeline.statements.map(\.kind) == [.bounded, .streaming, .streaming])
    }
}
