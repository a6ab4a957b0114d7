import Deployment
import LambdaRuntime
import Pipelines
import Testing

@Suite struct DeploymentEventTests {
    static let base = #""catalog_name": "c", "database_name": "d", "ccaf_secrets_path": "s""#

    static func parse(_ extra: String) throws(LambdaError) -> DeploymentEvent {
        try DeploymentEvent.parse(Array("{\(base)\(extra.isEmpty ? "" : ", " + extra)}".utf8))
    }

    @Test func withoutPipelineTheFlightConsolidatorIsDeployed() throws {
        let event = try Self.parse("")
        #expect(event.pipeline == .builtin("flight-consolidator"))
        #expect(event.adopt.isEmpty && event.previous == nil)
    }

    @Test func aBuiltInIsNamedAndADefinitionIsParsed() throws {
        #expect(try Self.parse(#""pipeline": "flight-consolidator""#).pipeline == .builtin("flight-consolidator"))
        let event = try Self.parse(#""pipeline": {"name": "orders", "statements": [{"id": "copy", "sql": "INSERT INTO t SELECT 1"}]}"#)
        #expect(event.pipeline.name == "orders")
    }

    static let invalid: [(String, String)] = [
        (#""pipeline": "nope""#, "pipeline 'nope' is not a built-in pipeline (built-in: flight-consolidator)"),
        (#""pipeline": 3"#, "pipeline must be a built-in pipeline's name or a definition object, not a number"),
        (#""pipeline": {"statements": []}"#, "pipeline.name is required; pipeline.statements has 0 statements"),
        (#""pipeline": {"name": "o", "statements": [{"id": "a", "sql": "SELECT 1"}]}"#, "pipeline.statements[0] (id 'a').sql is a query that writes nowhere"),
        (#""adopt": "x""#, "adopt must be a list of statement names, not a string"),
        (#""adopt": ["Bad Name"]"#, "adopt[0] must be a statement name"),
        (#""adopt": ["old-1"], "pipeline": {"name": "o", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1"}]}"#,
         "adopt is for built-in pipelines; in a definition, give adopt on the statement that takes over"),
    ]

    @Test(arguments: invalid)
    func aBadPipelineOrAdoptIsAnInvalidEvent(_ extra: String, _ fragment: String) {
        do {
            _ = try Self.parse(extra)
            Issue.record("accepted: \(extra)")
        } catch {
            #expect(error.errorType == "Function.InvalidEvent")
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func thePreviousInputCountsOnlyWhenItNamesAnotherTargetOrPipeline() throws {
        let same = try Self.parse(#""tf": {"action": "update", "prev_input": {\#(Self.base)}}"#)
        #expect(same.previous == nil)
        let moved = try Self.parse(#""tf": {"action": "update", "prev_input": {"catalog_name": "c", "database_name": "old", "ccaf_secrets_path": "s"}}"#)
        #expect(moved.previous == PreviousDeployment(catalog: "c", database: "old", pipeline: "flight-consolidator"))
        let renamed = try Self.parse(#"""
            "pipeline": {"name": "orders", "statements": [{"id": "a", "sql": "INSERT INTO t SELECT 1"}]},
            "tf": {"action": "update", "prev_input": {\#(Self.base), "pipeline": {"name": "orders-v1", "statements": []}}}
            """#)
        #expect(renamed.previous == PreviousDeployment(catalog: "c", database: "d", pipeline: "orders-v1"))
        let unreadable = try Self.parse(#""tf": {"action": "update", "prev_input": {"catalog_name": 5}}"#)
        #expect(unreadable.previous == nil)
    }
}
