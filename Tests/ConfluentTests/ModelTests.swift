@testable import Confluent
import Foundation
import HTTP
import JSON
import Testing

/// Decoding, validation and the pure decisions of the client, without any HTTP.
@Suite struct ModelTests {
    static let statementJSON = #"""
        {"api_version": "sql/v1", "kind": "Statement", "name": "ddl-1",
         "organization_id": "b0b21724-4586-4a07-b787-d0bb5aacbf87", "environment_id": "env-1",
         "metadata": {"self": "https://flink.x/statements/ddl-1", "created_at": "2026-08-21T10:00:00.123456Z",
                      "updated_at": "2026-08-21T10:00:01Z", "uid": "u-1", "resource_version": "a23av",
                      "labels": {"user.confluent.io/pipeline": "flights"}, "resource_name": ""},
         "spec": {"statement": "SELECT 1", "properties": {"sql.current-catalog": "env-1"},
                  "compute_pool_id": "lfcp-1", "principal": "sa-1", "stopped": false,
                  "execution_mode": "streaming", "scaling": {"baseline_cfu": 2}},
         "status": {"phase": "HIBERNATING", "detail": "resting", "network_kind": "PUBLIC",
                    "traits": {"sql_kind": "SELECT", "is_bounded": false, "is_append_only": true,
                               "schema": {"columns": [
                                   {"name": "price", "type": {"type": "DECIMAL", "nullable": true, "precision": 10, "scale": 2}},
                                   {"name": "s", "type": {"type": "VARCHAR", "nullable": false, "length": 2147483647},
                                    "comment": "unknown"}]}},
                    "scaling_status": {"scaling_state": "OK", "last_updated": "2026-08-21T10:00:01Z"},
                    "warnings": [{"severity": "LOW", "reason": "R", "message": "M"}]},
         "result": {"results": {}}}
        """#

    @Test func aStatementDecodesWithUnknownFieldsAndAnUnknownPhase() throws {
        let statement = try JSONDecoder().decode(Statement.self, from: Data(Self.statementJSON.utf8))
        #expect(statement.name == "ddl-1")
        #expect(statement.phase == Phase(rawValue: "HIBERNATING"))
        #expect(statement.metadata.createdAt == "2026-08-21T10:00:00.123456Z")
        #expect(statement.metadata.resourceVersion == "a23av")
        #expect(statement.metadata.selfURL == "https://flink.x/statements/ddl-1")
        #expect(statement.metadata.labels == ["user.confluent.io/pipeline": "flights"])
        #expect(statement.spec.computePoolId == "lfcp-1")
        #expect(statement.status?.traits?.sqlKind == "SELECT")
        let columns = try #require(statement.status?.traits?.schema?.columns)
        #expect(columns.map(\.name) == ["price", "s"])
        #expect(columns[0].type == Statement.DataType(type: "DECIMAL", nullable: true, precision: 10, scale: 2))
        #expect(columns[1].type.length == 2147483647)
    }

    @Test func aStatementWithoutStatusOrSpecStillDecodes() throws {
        let statement = try JSONDecoder().decode(Statement.self, from: Data(#"{"name": "x"}"#.utf8))
        #expect(statement.status == nil)
        #expect(statement.phase.rawValue == "")
        #expect(statement.spec.statement == nil)
    }

    @Test func untypedJSONGivesBackWhatItRead() throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(Self.statementJSON.utf8))
        let encoded = try JSONEncoder().encode(value)
        let again = try JSONDecoder().decode(JSONValue.self, from: encoded)
        #expect(again == value)
        #expect(value["spec"]?["scaling"]?["baseline_cfu"] == .integer(2))
        #expect(value["status"]?["traits"]?["is_bounded"] == .bool(false))
    }

    @Test func theCreateBodyCarriesLabelsPropertiesPoolAndPrincipal() throws {
        let new = NewStatement(name: "n-1", sql: "SELECT 1", computePoolId: "lfcp-1", principal: "sa-1",
                               properties: ["sql.current-catalog": "env"], labels: ["user.confluent.io/x": "true"])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(StatementsClient.encode(new.body))) as? [String: Any])
        #expect(body["name"] as? String == "n-1")
        #expect((body["metadata"] as? [String: Any])?["labels"] as? [String: String] == ["user.confluent.io/x": "true"])
        let spec = try #require(body["spec"] as? [String: Any])
        #expect(spec["statement"] as? String == "SELECT 1")
        #expect(spec["compute_pool_id"] as? String == "lfcp-1")
        #expect(spec["principal"] as? String == "sa-1")
        #expect(spec["stopped"] as? Bool == false)
        #expect(spec["properties"] as? [String: String] == ["sql.current-catalog": "env"])
    }

    @Test func theDefaultPoolAndPrincipalAreLeftOut() throws {
        let body = String(decoding: StatementsClient.encode(NewStatement(name: "n", sql: "SELECT 1").body), as: UTF8.self)
        #expect(!body.contains("compute_pool_id"))
        #expect(!body.contains("principal"))
    }

    @Test(arguments: ["a", "flights-6f1c", "a.b-c.d9", "0abc", String(repeating: "a", count: 100)])
    func validStatementNames(name: String) {
        #expect(NewStatement.isValidName(name))
    }

    @Test(arguments: ["", "A", "a_b", "-a", "a-", "a..b", ".a", "a.", "a/b", "ä", String(repeating: "a", count: 101)])
    func invalidStatementNames(name: String) {
        #expect(!NewStatement.isValidName(name))
    }

    private func statement(_ phase: Phase, bounded: Bool? = nil, scaling: String? = nil) -> Statement {
        Statement(name: "s", spec: .init(computePoolId: "lfcp-9"), status: .init(
            phase: phase, traits: bounded.map { .init(isBounded: $0) }, scalingStatus: scaling.map { .init(scalingState: $0) }))
    }

    @Test func progressTowardRunning() {
        #expect(StatementsClient.progress(of: statement(.running), toward: .running) == .reached)
        #expect(StatementsClient.progress(of: statement(.pending), toward: .running) == .waiting)
        #expect(StatementsClient.progress(of: statement(Phase(rawValue: "NEW_PHASE")), toward: .running) == .waiting)
        #expect(StatementsClient.progress(of: statement(.pending, scaling: "PENDING_SCALE_UP"), toward: .running) == .waiting)
        #expect(StatementsClient.progress(of: statement(.completed, bounded: true), toward: .running) == .reached)
        for phase in [Phase.failed, .failing, .degraded, .stopping, .stopped, .deleting] {
            #expect(StatementsClient.progress(of: statement(phase), toward: .running) == .failed("it is \(phase)"))
        }
        guard case .failed(let unbounded) = StatementsClient.progress(of: statement(.completed, bounded: false), toward: .running),
              case .failed(let exhausted) = StatementsClient.progress(of: statement(.pending, scaling: "POOL_EXHAUSTED"), toward: .running)
        else {
            Issue.record("expected failures")
            return
        }
        #expect(unbounded.contains("not a bounded statement"))
        #expect(exhausted.contains("compute pool 'lfcp-9' is exhausted"))
    }

    @Test func progressTowardCompleted() {
        #expect(StatementsClient.progress(of: statement(.running), toward: .completed) == .waiting)
        #expect(StatementsClient.progress(of: statement(.completed), toward: .completed) == .reached)
        #expect(StatementsClient.progress(of: statement(.failed), toward: .completed) == .failed("it is FAILED"))
    }

    @Test func progressTowardStopped() {
        func asked(_ phase: Phase) -> Statement {
            var statement = statement(phase)
            statement.spec.stopped = true
            return statement
        }
        #expect(StatementsClient.progress(of: statement(.stopped), toward: .stopped) == .reached)
        #expect(StatementsClient.progress(of: statement(.stopping), toward: .stopped) == .waiting)
        for phase in [Phase.pending, .running, .degraded] {
            #expect(StatementsClient.progress(of: asked(phase), toward: .stopped) == .waiting, "\(phase), stop asked")
            #expect(StatementsClient.progress(of: statement(phase), toward: .stopped) == .failed("it is \(phase) and no stop was asked for"))
        }
        #expect(StatementsClient.progress(of: asked(.failed), toward: .stopped) == .failed("it is FAILED"))
        #expect(StatementsClient.progress(of: statement(.completed, bounded: true), toward: .stopped) == .failed("it is COMPLETED and no stop was asked for"))
    }

    @Test func thePageTokenComesFromTheNextURL() {
        #expect(StatementsClient.pageToken(in: "https://h/sql/v1/x/statements?page_size=2&page_token=YWZ0ZXI6Mw%3D%3D") == "YWZ0ZXI6Mw==")
        #expect(StatementsClient.pageToken(in: "https://h/statements?page_token=abc#frag") == "abc")
        #expect(StatementsClient.pageToken(in: "https://h/statements?page_token=") == nil)
        #expect(StatementsClient.pageToken(in: "https://h/statements?page_size=2") == nil)
        #expect(StatementsClient.pageToken(in: "") == nil)
        #expect(StatementsClient.pageToken(in: nil) == nil)
    }

    @Test func retryAfterIsReadInSeconds() {
        func response(_ value: String) -> HTTPResponse { HTTPResponse(status: 429, headers: HTTPHeaders([("Retry-After", value)]), body: []) }
        #expect(StatementsClient.retryAfter(response("2")) == .seconds(2))
        #expect(StatementsClient.retryAfter(response(" 0.25 ")) == .milliseconds(250))
        #expect(StatementsClient.retryAfter(response("Wed, 21 Oct 2015 07:28:00 GMT")) == nil)
        #expect(StatementsClient.retryAfter(response("-1")) == nil)
        #expect(StatementsClient.retryAfter(HTTPResponse(status: 429, headers: HTTPHeaders(), body: [])) == nil)
    }

    /// Found by fuzzing: a number of seconds whose milliseconds do not fit Int64 trapped.
    @Test(arguments: ["1e300", "9223372036854775807", "9223372036854776", "86401"])
    func retryAfterBeyondADayIsADay(value: String) {
        let response = HTTPResponse(status: 503, headers: HTTPHeaders([("Retry-After", value)]), body: [])
        #expect(StatementsClient.retryAfter(response) == .seconds(86_400))
    }

    @Test func everyErrorDetailIsKeptWithWhereItPoints() {
        let body = #"""
            {"errors": [{"id": "1", "status": "422", "code": "invalid_configuration", "title": "Validation Failed",
                         "detail": "name is bad", "source": {"pointer": "/name"}},
                        {"code": "only_a_code"}, {"title": "Only a title", "source": {"parameter": "page_size"}}, {}]}
            """#
        let response = HTTPResponse(status: 422, headers: HTTPHeaders(), body: Array(body.utf8))
        #expect(FailureBody.details(of: response) == ["name is bad (at /name)", "only_a_code", "Only a title (parameter page_size)"])
    }

    @Test func aBodyThatIsNotAFailureIsShownAsText() {
        let response = HTTPResponse(status: 502, headers: HTTPHeaders(), body: Array("<html>\n  Bad   gateway </html>".utf8))
        #expect(FailureBody.details(of: response) == ["<html> Bad gateway </html>"])
    }

    @Test func anErrorDescriptionSaysWhatWhyAndWhatToDo() {
        let response = HTTPResponse(
            status: 403, headers: HTTPHeaders([("X-Request-Id", "req-9")]),
            body: Array(#"{"errors": [{"detail": "Forbidden Access"}]}"#.utf8))
        let error = ConfluentError.response(response, .create("ins-1"))
        #expect(error.kind == .unauthorized)
        #expect(error.statement == "ins-1")
        #expect(error.description.hasPrefix("Creating statement 'ins-1' failed: HTTP 403 from Confluent: Forbidden Access [X-Request-Id req-9]. "))
        #expect(error.description.contains("FlinkDeveloper"))
    }
}
