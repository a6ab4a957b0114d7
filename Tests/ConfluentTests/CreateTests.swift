import Confluent
import Foundation
import TestSupport
import Testing

/// Creating statements against the emulator, with the faults that make a create uncertain.
@Suite struct CreateTests {
    @Test func aPipelineIsCreatedAndReachesItsPhases() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        let properties = ["sql.current-catalog": "env-test01", "sql.current-database": "lkc-1"]
        let labels = ["user.confluent.io/pipeline": "flight-consolidator"]

        let ddl = try client.create(NewStatement(
            name: "flights-ddl-1", sql: SQL.sinkTable, computePoolId: "lfcp-1", principal: "sa-1",
            properties: properties, labels: labels), deadline: .generous)
        #expect(ddl.phase == .pending)
        #expect(ddl.metadata.labels == labels)
        let completed = try client.waitUntil("flights-ddl-1", target: .completed, deadline: .generous)
        #expect(completed.phase == .completed)
        #expect(completed.status?.traits?.sqlKind == "CREATE_TABLE")

        _ = try client.create(NewStatement(
            name: "flights-insert-1", sql: SQL.insert, computePoolId: "lfcp-1", principal: "sa-1",
            properties: properties, labels: labels), deadline: .generous)
        let running = try client.waitUntil("flights-insert-1", target: .running, deadline: .generous)
        #expect(running.phase == .running)
        #expect(running.spec.statement == SQL.insert)
        #expect(running.spec.computePoolId == "lfcp-1")
        #expect(running.spec.principal == "sa-1")
        #expect(running.spec.properties == properties)

        let post = try #require(emulator.requests().first { $0["method"] as? String == "POST" })
        let headers = try #require(post["headers"] as? [String: String])
        #expect(headers["content-type"] == "application/json")
        #expect(headers["authorization"]?.hasPrefix("Basic ") == true)
    }

    @Test func aWrongSecretIsAnAuthenticationErrorThatNeverShowsTheSecret() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let logs = LogRecorder()
        let wrongSecret = "wrong-secret-Zq9+visible?"
        let client = try emulator.client(secret: wrongSecret, logs: logs)
        let error = try #require(throws: ConfluentError.self) {
            try client.create(NewStatement(name: "s-1", sql: SQL.streamingSelect), deadline: .generous)
        }
        #expect(error.kind == .unauthorized)
        #expect(error.status == 401)
        #expect(error.requestId != nil)
        #expect(error.description.contains("Valid authentication credentials must be provided"))
        #expect(error.description.contains("flink.api.key"))
        let credentials = Data("\(emulator.peer["key"]):\(wrongSecret)".utf8).base64EncodedString()
        for text in [error.description, String(reflecting: error), logs.text] {
            #expect(!text.contains(wrongSecret))
            #expect(!text.contains(credentials))
            #expect(!text.contains("Basic "))
        }
        #expect(try emulator.count("POST", "/statements$") == 1)
    }

    @Test func aForbiddenKeyIsAnAuthenticationError() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("fail_next", "GET", "/statements/s-1$", 403)
        let error = try #require(throws: ConfluentError.self) { try emulator.client().get("s-1", deadline: .generous) }
        #expect(error.kind == .unauthorized)
        #expect(error.status == 403)
        #expect(try emulator.count("GET", "/statements/s-1$") == 1)
    }

    @Test func anInvalidNameIsRefusedBeforeAnythingIsSent() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let error = try #require(throws: ConfluentError.self) {
            try emulator.client().create(NewStatement(name: "Bad_Name", sql: SQL.streamingSelect), deadline: .generous)
        }
        #expect(error.kind == .invalidRequest)
        #expect(error.description.contains("'Bad_Name'"))
        #expect(try emulator.count("*", ".") == 0)
    }

    @Test func a422ForTheNameFailsAtOnceWithConfluentsDetail() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let failure: [String: Any] = ["errors": [[
            "id": "e-1", "status": "422", "code": "invalid_configuration", "title": "Validation Failed",
            "detail": "name 'n-1' is reserved.", "source": ["pointer": "/name"],
        ]]]
        try emulator.call("fail_next", "POST", "/statements$", 422, kwargs: ["body": failure])
        let error = try #require(throws: ConfluentError.self) {
            try emulator.client().create(NewStatement(name: "n-1", sql: SQL.streamingSelect), deadline: .generous)
        }
        #expect(error.kind == .invalidRequest)
        #expect(error.status == 422)
        #expect(error.details == ["name 'n-1' is reserved. (at /name)"])
        #expect(error.requestId != nil)
        #expect(error.description.contains("[X-Request-Id \(error.requestId ?? "?")]"))
        #expect(try emulator.count("POST", "/statements$") == 1)
        #expect(try emulator.count("GET", ".") == 0)
    }

    @Test func anUnknownEnvironmentIsAnAPIErrorSayingWhatToCheck() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let error = try #require(throws: ConfluentError.self) {
            try emulator.client(environmentId: "env-nope").list(deadline: .generous)
        }
        #expect(error.kind == .api)
        #expect(error.status == 404)
        #expect(error.description.contains("Environment 'env-nope' not found"))
        #expect(error.description.contains("environment.id"))
    }

    @Test func aValueConfluentRejectsIsAnInvalidRequest() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let error = try #require(throws: ConfluentError.self) {
            try emulator.client().create(NewStatement(
                name: "n-1", sql: SQL.streamingSelect, computePoolId: String(repeating: "p", count: 300)), deadline: .generous)
        }
        #expect(error.kind == .invalidRequest)
        #expect(error.description.contains("(at /spec/compute_pool_id)"))
        #expect(try emulator.count("POST", "/statements$") == 1)
    }

    @Test func a429IsSentAgainWithTheSameNameAfterRetryAfter() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("fail_next", "POST", "/statements$", 429, kwargs: ["retry_after": 1])
        let started = ContinuousClock.now
        let statement = try emulator.client().create(NewStatement(name: "s-429", sql: SQL.streamingSelect), deadline: .generous)
        #expect(statement.name == "s-429")
        #expect(ContinuousClock.now - started >= .seconds(1))
        let posts = try emulator.requests().filter { $0["method"] as? String == "POST" }
        #expect(posts.map { $0["status"] as? Int } == [429, 201])
        #expect(try emulator.bodies("POST", pathSuffix: "/statements").map { $0["name"] as? String } == ["s-429", "s-429"])
        #expect(try emulator.count("GET", ".") == 0)
    }

    @Test func a429WithoutRetryAfterIsSentAgainAfterABackoff() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("fail_next", "POST", "/statements$", 429, kwargs: ["times": 2])
        _ = try emulator.client().create(NewStatement(name: "s-429", sql: SQL.streamingSelect), deadline: .generous)
        let posts = try emulator.requests().filter { $0["method"] as? String == "POST" }
        #expect(posts.map { $0["status"] as? Int } == [429, 429, 201])
        #expect(try emulator.statements().count == 1)
    }

    @Test func aRetryAfterBeyondTheDeadlineFailsAtOnce() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("fail_next", "POST", "/statements$", 429, kwargs: ["retry_after": 30])
        let started = ContinuousClock.now
        let error = try #require(throws: ConfluentError.self) {
            try emulator.client().create(NewStatement(name: "s-429", sql: SQL.streamingSelect), deadline: .after(.seconds(5)))
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(error.kind == .api)
        #expect(error.status == 429)
        #expect(error.description.contains("would pass the deadline"))
    }

    @Test func aLostCreateResponseIsSettledByReadingTheNameBack() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let logs = LogRecorder()
        try emulator.call("lose_next_create_response")
        let statement = try emulator.client(logs: logs).create(NewStatement(name: "s-lost", sql: SQL.streamingSelect), deadline: .generous)
        #expect(statement.name == "s-lost")
        #expect(statement.spec.statement == SQL.streamingSelect)
        #expect(try emulator.count("POST", "/statements$") == 1)
        #expect(try emulator.count("GET", "/statements/s-lost$") == 1)
        #expect(try emulator.statements().count == 1)
        #expect(logs.text.contains("Adopted the existing statement"))
    }

    /// libcurl itself sends a request again when a reused keep-alive connection closes before
    /// any answer: here the second POST meets the statement the first one created (409).
    @Test func aLostCreateResponseOnAReusedConnectionIsStillCreatedOnce() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        #expect(try client.get("warm-up", deadline: .generous) == nil)
        try emulator.call("lose_next_create_response")
        let statement = try client.create(NewStatement(name: "s-lost", sql: SQL.streamingSelect), deadline: .generous)
        #expect(statement.spec.statement == SQL.streamingSelect)
        #expect(try emulator.statements().keys.sorted() == ["s-lost"])
        let posts = try emulator.requests().filter { $0["method"] as? String == "POST" }
        #expect(posts.filter { $0["status"] as? Int == 201 }.count <= 1)
    }

    @Test func a500AfterTheStatementWasCreatedAdoptsIt() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("fail_next", "POST", "/statements$", 500, kwargs: ["perform": true])
        let statement = try emulator.client().create(NewStatement(name: "s-500", sql: SQL.streamingSelect), deadline: .generous)
        #expect(statement.name == "s-500")
        #expect(try emulator.count("POST", "/statements$") == 1)
        #expect(try emulator.statements().keys.sorted() == ["s-500"])
    }

    @Test func a500ThatCreatedNothingIsSentAgainAfterTheReadSaysSo() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("fail_next", "POST", "/statements$", 503)
        let statement = try emulator.client().create(NewStatement(name: "s-503", sql: SQL.streamingSelect), deadline: .generous)
        #expect(statement.name == "s-503")
        let calls = try emulator.requests().map { "\($0["method"] ?? "") \($0["status"] ?? "")" }
        #expect(calls == ["POST 503", "GET 404", "POST 201"])
    }

    @Test func aTimedOutCreateIsSettledByReadingTheNameBack() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("slow_next", "POST", "/statements$", 2)
        let client = try emulator.client(attemptTimeout: .milliseconds(400))
        let statement = try client.create(NewStatement(name: "s-slow", sql: SQL.streamingSelect), deadline: .generous)
        #expect(statement.name == "s-slow")
        #expect(try emulator.count("POST", "/statements$") == 1)
        #expect(try emulator.statements().count == 1)
    }

    @Test func aCreateCutByTheDeadlineSaysItMayExist() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("slow_next", "POST", "/statements$", 2)
        let started = ContinuousClock.now
        let error = try #require(throws: ConfluentError.self) {
            try emulator.client().create(NewStatement(name: "s-slow", sql: SQL.streamingSelect), deadline: .after(.milliseconds(500)))
        }
        #expect(ContinuousClock.now - started < .milliseconds(1500))
        #expect(error.kind == .timeout)
        #expect(error.description.contains("'s-slow'"))
        #expect(error.description.contains("may exist"))
    }

    @Test func creatingTheSameStatementAgainAdoptsIt() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        let first = try client.create(NewStatement(name: "s-again", sql: SQL.streamingSelect), deadline: .generous)
        let second = try client.create(NewStatement(name: "s-again", sql: SQL.streamingSelect), deadline: .generous)
        #expect(second.metadata.uid == first.metadata.uid)
        #expect(try emulator.requests().map { "\($0["method"] ?? "") \($0["status"] ?? "")" } == ["POST 201", "POST 409", "GET 200"])
    }

    @Test func aNameUsedByOtherSQLIsAClearConflict() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-taken", sql: SQL.streamingSelect), deadline: .generous)
        let error = try #require(throws: ConfluentError.self) {
            try client.create(NewStatement(name: "s-taken", sql: SQL.otherStreamingSelect), deadline: .generous)
        }
        #expect(error.kind == .nameConflict)
        #expect(error.status == 409)
        #expect(error.statement == "s-taken")
        #expect(error.description.contains("'s-taken'"))
        #expect(error.description.contains("already used by another statement with different SQL"))
        #expect(error.description.contains("Statement 's-taken' already exists"))
        #expect(error.requestId != nil)
        #expect(try emulator.count("POST", "/statements$") == 2)
        #expect(try emulator.statements().count == 1)
    }
}
