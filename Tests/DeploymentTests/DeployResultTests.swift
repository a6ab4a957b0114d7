import Deployment
import JSON
import Testing

@Suite struct DeployResultTests {
    typealias Outcome = DeployResult.StatementOutcome

    static func outcome(_ id: String, _ kind: StatementKind, _ action: Outcome.Action) -> Outcome {
        Outcome(id: id, name: "p-\(id)-1", kind: kind, phase: "RUNNING", action: action, sqlSHA256: "h")
    }

    static let cases: [([Outcome], DeployResult.Action)] = [
        ([outcome("t", .ddl, .unchanged), outcome("a", .insert, .unchanged)], .unchanged),
        ([outcome("t", .ddl, .executed), outcome("a", .insert, .created)], .created),
        ([outcome("t", .ddl, .unchanged), outcome("a", .insert, .replaced), outcome("b", .insert, .replaced)], .replaced),
        ([outcome("a", .insert, .resumed)], .resumed),
        ([outcome("a", .insert, .created), outcome("b", .insert, .unchanged)], .updated),
        ([outcome("t", .ddl, .executed), outcome("a", .insert, .unchanged)], .updated),
        ([outcome("a", .insert, .unchanged), outcome("gone", .insert, .stopped)], .updated),
        ([outcome("a", .insert, .created), outcome("gone", .insert, .stopped)], .created),
        ([outcome("t", .ddl, .executed)], .updated),
    ]

    @Test(arguments: cases)
    func theTopLevelActionSummarisesTheStatements(_ outcomes: [Outcome], _ expected: DeployResult.Action) {
        #expect(DeployResult.deployAction(of: outcomes) == expected)
    }

    @Test func theBodyCarriesEveryStatementField() throws {
        let result = DeployResult(message: "m", action: .created, pipeline: "p", statements: [Self.outcome("a", .insert, .created)])
        let response = try #require(JSONValue.parse(Array(result.responseJSON.utf8)))
        guard case .string(let body)? = response["body"] else { Issue.record("no body"); return }
        let statement = JSONValue.parse(Array(body.utf8))?["statements"]
        #expect(statement == .array([.object([
            "id": .string("a"), "name": .string("p-a-1"), "kind": .string("insert"), "phase": .string("RUNNING"),
            "action": .string("created"), "sql_sha256": .string("h"),
        ])]))
        #expect(response["statusCode"] == .integer(200))
    }
}
