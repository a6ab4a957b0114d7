import Confluent
import Testing

/// Reading, listing, deleting and exceptions against the emulator.
@Suite struct ReadTests {
    @Test func aGetIsRetriedOn503() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-1", sql: SQL.streamingSelect), deadline: .generous)
        try emulator.call("fail_next", "GET", "/statements/s-1$", 503, kwargs: ["times": 2])
        let statement = try #require(try client.get("s-1", deadline: .generous))
        #expect(statement.name == "s-1")
        #expect(try emulator.count("GET", "/statements/s-1$") == 3)
    }

    @Test func aGetThatKeepsFailingReportsTheLastAnswerAndTheAttempts() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("fail_next", "GET", "/statements/s-1$", 502, kwargs: ["times": 10])
        let error = try #require(throws: ConfluentError.self) {
            try emulator.client(maxAttempts: 3).get("s-1", deadline: .generous)
        }
        #expect(error.kind == .api)
        #expect(error.status == 502)
        #expect(error.description.contains("Reading statement 's-1' failed: HTTP 502 from Confluent (3 attempts): Injected 502 Bad Gateway."))
        #expect(try emulator.count("GET", "/statements/s-1$") == 3)
    }

    @Test func aMissingStatementIsNil() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        #expect(try emulator.client().get("nothing-here", deadline: .generous) == nil)
    }

    @Test func aSlowAnswerIsCutByTheDeadline() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("slow_next", "GET", "/statements/s-1$", 3)
        let started = ContinuousClock.now
        let error = try #require(throws: ConfluentError.self) {
            try emulator.client().get("s-1", deadline: .after(.milliseconds(400)))
        }
        #expect(ContinuousClock.now - started < .milliseconds(1500))
        #expect(error.kind == .timeout)
        #expect(error.description.contains("the deadline passed before Confluent answered"))
    }

    @Test func listingByLabelFollowsEveryPage() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client(listPageSize: 2)
        let label = "user.confluent.io/pipeline"
        for index in 1...7 {
            _ = try client.create(NewStatement(
                name: "s-\(index)", sql: SQL.streamingSelect, labels: [label: index.isMultiple(of: 3) ? "other" : "flights"]),
                deadline: .generous)
        }
        let listed = try client.list(labelSelector: "\(label)=flights", deadline: .generous)
        #expect(listed.map(\.name) == ["s-1", "s-2", "s-4", "s-5", "s-7"])
        #expect(try emulator.count("GET", "/statements$") == 3)
        let queries = try emulator.requests().compactMap { $0["query"] as? [String: String] }.filter { !$0.isEmpty }
        #expect(queries.allSatisfy { $0["page_size"] == "2" && $0["label_selector"] == "\(label)=flights" })
        #expect(try client.list(deadline: .generous).count == 7)
    }

    @Test func aRepeatedPageTokenStopsTheListing() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let page: [String: Any] = [
            "metadata": ["next": "\(emulator.baseURL)\(emulator.statementsPath)?page_size=100&page_token=same"], "data": [],
        ]
        try emulator.call("fail_next", "GET", "/statements$", 200, kwargs: ["body": page, "times": 3])
        let error = try #require(throws: ConfluentError.self) { try emulator.client().list(deadline: .generous) }
        #expect(error.kind == .api)
        #expect(error.description.contains("page token 'same' twice"))
        #expect(try emulator.count("GET", "/statements$") == 2)
    }

    @Test func aDeletedStatementIsGoneAndDeletingAgainIsFine() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-del", sql: SQL.streamingSelect), deadline: .generous)
        try client.delete("s-del", deadline: .generous)
        let gone = try eventually { try client.get("s-del", deadline: .generous) == nil ? true : nil }
        #expect(gone == true)
        try client.delete("s-del", deadline: .generous)
        #expect(try emulator.count("DELETE", "/statements/s-del$") == 2)
    }

    @Test func aDeleteIsRetriedOn429() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-del", sql: SQL.streamingSelect), deadline: .generous)
        try emulator.call("fail_next", "DELETE", "/statements/s-del$", 429)
        try client.delete("s-del", deadline: .generous)
        #expect(try emulator.count("DELETE", "/statements/s-del$") == 2)
    }

    @Test func exceptionsComeNewestFirst() throws {
        let emulator = try EmulatorPeer()
        defer { emulator.stop() }
        try emulator.call("fail_statement_when_created", "^s-exc$", "It broke.", kwargs: [
            "exceptions": ["newest problem", ["org.apache.kafka.common.KafkaException", "older problem"]],
        ])
        let client = try emulator.client()
        _ = try client.create(NewStatement(name: "s-exc", sql: SQL.streamingSelect), deadline: .generous)
        let exceptions = try eventually {
            let found = try client.exceptions("s-exc", deadline: .generous)
            return found.isEmpty ? nil : found
        }
        #expect(exceptions?.map(\.message) == ["newest problem", "older problem"])
        #expect(exceptions?.map(\.name) == ["java.lang.RuntimeException", "org.apache.kafka.common.KafkaException"])
        #expect(exceptions?.first?.timestamp?.contains(".") == true)
        #expect(try client.exceptions("no-such", deadline: .generous).isEmpty)
    }
}
