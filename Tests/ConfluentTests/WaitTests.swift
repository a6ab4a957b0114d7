import Confluent
import Testing
import Timing

/// Waiting for RUNNING or COMPLETED, and every way a statement can fail to get there.
@Suite struct WaitTests {
    @Test func aFailedStatementReportsItsDetailAndNewestExceptions() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("fail_statement_when_created", "^s-doomed$", "The 'kafka.partitions' option is not supported.", kwargs: [
            "exceptions": ["newest: partitions", "second", "third", "fourth and oldest"],
        ])
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-doomed", sql: SQL.streamingSelect), deadline: .generous)
        let error = try #require(throws: ConfluentError.self) {
            try client.waitUntil("s-doomed", target: .running, deadline: .generous)
        }
        #expect(error.kind == .statementFailed)
        #expect(error.phase == .failed)
        #expect(error.statement == "s-doomed")
        #expect(error.details == [
            "The 'kafka.partitions' option is not supported.", "exception java.lang.RuntimeException: newest: partitions",
            "exception java.lang.RuntimeException: second", "exception java.lang.RuntimeException: third",
        ])
        #expect(error.description.hasPrefix("Statement 's-doomed' did not become RUNNING: it is FAILED: The 'kafka.partitions'"))
    }

    @Test func aStatementOnAMissingTableFailsWithFlinksWords() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-insert", sql: SQL.insert), deadline: .generous)
        let error = try #require(throws: ConfluentError.self) {
            try client.waitUntil("s-insert", target: .running, deadline: .generous)
        }
        #expect(error.kind == .statementFailed)
        #expect(error.description.contains("Table (or view) 'flight_avro' does not exist"))
        #expect(error.description.contains("exception org.apache.flink.table.api.ValidationException"))
    }

    @Test func aDegradedStatementIsAFailure() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("degrade", "^s-slow$", "Reduced performance: 3 of 4 tasks restarting.")
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-slow", sql: SQL.streamingSelect), deadline: .generous)
        let error = try #require(throws: ConfluentError.self) {
            try client.waitUntil("s-slow", target: .running, deadline: .generous)
        }
        #expect(error.kind == .statementFailed)
        #expect(error.phase == .degraded)
        #expect(error.description.contains("it is DEGRADED: Reduced performance: 3 of 4 tasks restarting."))
    }

    @Test func anExhaustedComputePoolIsAFailureNamingThePool() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("exhaust_pool", "^s-wait$")
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-wait", sql: SQL.streamingSelect, computePoolId: "lfcp-small"), deadline: .generous)
        let error = try #require(throws: ConfluentError.self) {
            try client.waitUntil("s-wait", target: .running, deadline: .generous)
        }
        #expect(error.kind == .statementFailed)
        #expect(error.phase == .pending)
        #expect(error.description.contains("compute pool 'lfcp-small' is exhausted"))
        #expect(error.description.contains("CFU limit"))
        #expect(try emulator.count("GET", "/exceptions$") == 0)
    }

    @Test func theDeadlineEndsTheWaitNamingTheLastPhase() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("set_phase_delays", kwargs: ["pending": 30])
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-pending", sql: SQL.streamingSelect), deadline: .generous)
        let started = ContinuousClock.now
        let error = try #require(throws: ConfluentError.self) {
            try client.waitUntil("s-pending", target: .running, deadline: .after(.milliseconds(700)))
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(error.kind == .timeout)
        #expect(error.phase == .pending)
        #expect(error.description.hasPrefix("Statement 's-pending' did not become RUNNING before the deadline: its last phase was PENDING"))
        #expect(error.description.contains("left in place"))
        #expect(try emulator.count("GET", "/statements/s-pending$") >= 3)
    }

    @Test func unknownPhasesAreWaitedThrough() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-new", sql: SQL.streamingSelect), deadline: .generous)
        let unknown: [String: Any] = ["name": "s-new", "status": ["phase": "REBALANCING"], "future_field": [1, 2]]
        try emulator.call("fail_next", "GET", "/statements/s-new$", 200, kwargs: ["body": unknown, "times": 2])
        let statement = try client.waitUntil("s-new", target: .running, deadline: .generous)
        #expect(statement.phase == .running)
        #expect(try emulator.count("GET", "/statements/s-new$") >= 3)
    }

    @Test func aBoundedStatementThatAlreadyCompletedCountsAsRunning() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("set_phase_delays", kwargs: ["pending": 0.05, "completing": 0])
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-ddl", sql: SQL.sinkTable), deadline: .generous)
        sleep(for: .milliseconds(200))
        let statement = try client.waitUntil("s-ddl", target: .running, deadline: .generous)
        #expect(statement.phase == .completed)
        #expect(statement.status?.traits?.isBounded == true)
    }

    @Test func aStatementStoppedWhileWaitedOnIsAFailure() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("set_phase_delays", kwargs: ["pending": 30])
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-stopped", sql: SQL.streamingSelect), deadline: .generous)
        #expect(try client.stop("s-stopped", deadline: .generous))
        let error = try #require(throws: ConfluentError.self) {
            try client.waitUntil("s-stopped", target: .running, deadline: .generous)
        }
        #expect(error.kind == .statementFailed)
        #expect(error.phase == .stopping || error.phase == .stopped)
    }

    @Test func aStatementDeletedWhileWaitedOnIsAFailure() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("set_phase_delays", kwargs: ["pending": 30, "deleting": 0])
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-gone", sql: SQL.streamingSelect), deadline: .generous)
        try client.delete("s-gone", deadline: .generous)
        let error = try #require(throws: ConfluentError.self) {
            try client.waitUntil("s-gone", target: .running, deadline: .generous)
        }
        #expect(error.kind == .statementFailed)
        #expect(error.description.contains("no longer exists"))
    }
}
