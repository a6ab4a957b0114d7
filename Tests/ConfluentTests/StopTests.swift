import Confluent
import Testing

/// Stopping statements by GET then PUT with the version read.
@Suite struct StopTests {
    /// A running streaming statement named `name`.
    private func running(_ name: String, _ client: StatementsClient) throws {
        _ = try client.create(NewStatement(
            name: name, sql: SQL.streamingSelect, computePoolId: "lfcp-1", principal: "sa-1",
            properties: ["sql.current-catalog": "env-test01"], labels: ["user.confluent.io/pipeline": "flights"]),
            deadline: .generous)
        _ = try client.waitUntil(name, target: .running, deadline: .generous)
    }

    private func phase(_ name: String, _ client: StatementsClient, becomes phase: Phase) throws -> Bool {
        try eventually { try client.get(name, deadline: .generous)?.phase == phase ? true : nil } ?? false
    }

    @Test func aStaleVersionIsReadAgainAndTheStopSucceeds() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        try running("s-stop", client)
        try emulator.call("fail_next", "PUT", "/statements/s-stop$", 409)
        #expect(try client.stop("s-stop", deadline: .generous))
        #expect(try phase("s-stop", client, becomes: .stopped))
        #expect(try emulator.count("PUT", "/statements/s-stop$") == 2)
        #expect(try emulator.count("GET", "/statements/s-stop$") >= 2)

        let put = try #require(try emulator.bodies("PUT", pathSuffix: "/statements/s-stop").last)
        let spec = try #require(put["spec"] as? [String: Any])
        #expect(spec["stopped"] as? Bool == true)
        #expect(spec["statement"] as? String == SQL.streamingSelect)
        #expect(spec["compute_pool_id"] as? String == "lfcp-1")
        #expect(spec["principal"] as? String == "sa-1")
        #expect(spec["properties"] as? [String: String] == ["sql.current-catalog": "env-test01"])
        let metadata = try #require(put["metadata"] as? [String: Any])
        #expect(metadata["resource_version"] is String)
        #expect(metadata["labels"] as? [String: String] == ["user.confluent.io/pipeline": "flights"])
        #expect(put["name"] as? String == "s-stop")
        #expect(put["status"] == nil)
    }

    @Test func aStopWhoseAnswerWasLostIsConfirmedByReadingBack() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        try running("s-stop", client)
        // The PUT is performed but answered 500: the retry reads the statement again, sees the
        // stop, and sends no second PUT.
        try emulator.call("fail_next", "PUT", "/statements/s-stop$", 500, kwargs: ["perform": true])
        #expect(try client.stop("s-stop", deadline: .generous))
        #expect(try emulator.count("PUT", "/statements/s-stop$") == 1)
        #expect(try phase("s-stop", client, becomes: .stopped))
    }

    @Test func thereIsNothingToStopWhenStoppedCompletedOrMissing() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        try running("s-stop", client)
        #expect(try client.stop("s-stop", deadline: .generous))
        #expect(try client.stop("s-stop", deadline: .generous) == false)
        _ = try client.create(NewStatement(name: "s-ddl", sql: SQL.sinkTable), deadline: .generous)
        _ = try client.waitUntil("s-ddl", target: .completed, deadline: .generous)
        #expect(try client.stop("s-ddl", deadline: .generous) == false)
        #expect(try client.stop("no-such", deadline: .generous) == false)
        #expect(try emulator.count("PUT", ".") == 1)
    }

    @Test func aStatementDeletedBetweenReadAndUpdateNeedsNoStop() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        try running("s-stop", client)
        try emulator.call("fail_next", "PUT", "/statements/s-stop$", 404)
        #expect(try client.stop("s-stop", deadline: .generous) == false)
        #expect(try emulator.count("PUT", "/statements/s-stop$") == 1)
    }

    @Test func conflictsWithoutEndFailAfterTheLastAttempt() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client(maxAttempts: 3)
        try running("s-stop", client)
        try emulator.call("fail_next", "PUT", "/statements/s-stop$", 409, kwargs: ["times": 10])
        let error = try #require(throws: ConfluentError.self) { try client.stop("s-stop", deadline: .generous) }
        #expect(error.kind == .api)
        #expect(error.status == 409)
        #expect(error.description.hasPrefix("Stopping statement 's-stop' failed: HTTP 409 from Confluent (3 attempts)"))
        #expect(try emulator.count("PUT", "/statements/s-stop$") == 3)
    }

    @Test func aStoppedInsertIsResumedAndRunsAgain() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        let request = { (name: String, sql: String) in
            NewStatement(name: name, sql: sql, computePoolId: "lfcp-1", principal: "sa-1", properties: [:], labels: [:])
        }
        _ = try client.create(request("s-table", SQL.sinkTable), deadline: .generous)
        _ = try client.waitUntil("s-table", target: .completed, deadline: .generous)
        _ = try client.create(request("s-insert", SQL.insert), deadline: .generous)
        _ = try client.waitUntil("s-insert", target: .running, deadline: .generous)

        #expect(try !client.resume("s-insert", deadline: .generous), "a running statement needs no resume")
        #expect(try client.stop("s-insert", deadline: .generous))
        #expect(try phase("s-insert", client, becomes: .stopped))
        try emulator.call("fail_next", "PUT", "/statements/s-insert$", 409)
        #expect(try client.resume("s-insert", deadline: .generous))
        #expect(try phase("s-insert", client, becomes: .running))
        let put = try #require(try emulator.bodies("PUT", pathSuffix: "/statements/s-insert").last)
        #expect((put["spec"] as? [String: Any])?["stopped"] as? Bool == false)
    }

    @Test func onlyAStoppedStatementCanBeResumed() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        let missing = #expect(throws: ConfluentError.self) { try client.resume("s-missing", deadline: .generous) }
        #expect(missing?.kind == .invalidRequest)
        #expect(missing?.description.contains("there is no such statement") == true)
        try emulator.call("fail_statement_when_created", "s-failed", kwargs: ["detail": "broken"])
        _ = try client.create(NewStatement(name: "s-failed", sql: SQL.streamingSelect, computePoolId: "lfcp-1", principal: "sa-1",
                                           properties: [:], labels: [:]), deadline: .generous)
        #expect(try phase("s-failed", client, becomes: .failed))
        let failed = #expect(throws: ConfluentError.self) { try client.resume("s-failed", deadline: .generous) }
        #expect(failed?.description.contains("cannot be resumed") == true)
    }
}
