import HTTP
import JSON
import Logging
import Timing

/// Reading, listing, stopping, resuming and deleting statements, and reading their exceptions.
extension StatementsClient {
    /// The statement of that name, or `nil` when there is none (404).
    public func get(_ name: String, deadline: Deadline) throws(ConfluentError) -> Statement? {
        try read(name, deadline: deadline, call: .read(name))?.statement
    }

    /// Every statement matching `labelSelector` (`key=value[,key=value]`; `nil`: all), in the
    /// order the API lists them, following `metadata.next` page by page.
    public func list(labelSelector: String? = nil, deadline: Deadline) throws(ConfluentError) -> [Statement] {
        var statements: [Statement] = []
        var pageToken: String?
        var seenTokens: Set<String> = []
        repeat {
            var query = [(name: "page_size", value: String(listPageSize))]
            if let labelSelector { query.append((name: "label_selector", value: labelSelector)) }
            if let pageToken { query.append((name: "page_token", value: pageToken)) }
            let response = try sendRepeatable("GET", statementsPath, query: query, deadline: deadline, call: .list)
            guard response.isSuccess else { throw .response(response, .list) }
            let page = try decode(StatementPage.self, from: response, call: .list, expected: "a StatementList")
            statements += page.data ?? []
            pageToken = page.nextPageToken
            if let pageToken, !seenTokens.insert(pageToken).inserted {
                throw ConfluentError(
                    kind: .api, message: "Listing statements failed: Confluent returned the page token '\(pageToken)' twice",
                    status: response.status, requestId: response.headers["X-Request-Id"],
                    advice: "Stopped paging to avoid an endless loop; try again later")
            }
        } while pageToken != nil
        return statements
    }

    /// Asks Confluent to stop the statement: GET, then PUT the statement as read with
    /// `spec.stopped = true` and its `resource_version`. A 409 (someone changed it in between)
    /// is answered by reading it again and retrying. The phase moves to STOPPING, then STOPPED,
    /// afterwards; this does not wait for it.
    ///
    /// - Returns: `true` when this call requested the stop (also when the answer to its PUT was
    ///   lost and reading back showed the stop); `false` when there was nothing to stop (no such
    ///   statement, already stopped or being stopped, completed, failed, being deleted).
    @discardableResult
    public func stop(_ name: String, deadline: Deadline) throws(ConfluentError) -> Bool {
        try setStopped(true, name, deadline: deadline, call: .stop(name))
    }

    /// Asks Confluent to resume a STOPPED statement (INSERT INTO, EXECUTE STATEMENT SET, CREATE
    /// TABLE AS) from its offsets: GET, then PUT with `spec.stopped = false`, as for `stop`.
    ///
    /// - Returns: `true` when this call requested the resume; `false` when it was not stopped.
    /// - Throws: `.invalidRequest` when there is no such statement or it is in a phase that cannot
    ///   be resumed (failed, completed, being deleted).
    @discardableResult
    public func resume(_ name: String, deadline: Deadline) throws(ConfluentError) -> Bool {
        try setStopped(false, name, deadline: deadline, call: .resume(name))
    }

    /// The GET-then-PUT of `spec.stopped` behind `stop` and `resume`.
    private func setStopped(_ stopped: Bool, _ name: String, deadline: Deadline, call: APICall) throws(ConfluentError) -> Bool {
        let verb = stopped ? "stop" : "resume"
        // A PUT answered by a 5xx or not at all may have taken effect.
        var mayHaveChanged = false
        return try retrying(before: deadline) { _ throws(ConfluentError) in
            guard let current = try read(name, deadline: deadline, call: call) else {
                if stopped {
                    logger.info("No statement to stop", metadata: ["statement": "\(name)"])
                    return .finished(false)
                }
                throw ConfluentError(kind: .invalidRequest, message: "\(call.description) failed: there is no such statement",
                                     statement: name, advice: "Check the statement name")
            }
            let phase = current.statement.phase
            let isStopped = current.statement.spec.stopped == true
            if !stopped, phase != .stopped, phase.isTerminal || phase == .deleting || phase == .failing {
                throw ConfluentError(kind: .invalidRequest, message: "\(call.description) failed: a statement in phase \(phase) cannot be resumed",
                                     statement: name, phase: phase, advice: "Only a STOPPED statement can be resumed")
            }
            if stopped ? (isStopped || phase.isTerminal || phase == .deleting) : (!isStopped && phase != .stopped) {
                logger.info("Statement needs no \(verb)", metadata: ["statement": "\(name)", "phase": "\(phase)", "stopped": "\(isStopped)"])
                return .finished(mayHaveChanged && isStopped == stopped)
            }
            var update = current.json
            var spec = update["spec"] ?? .object([:])
            spec["stopped"] = .bool(stopped)
            update["spec"] = spec
            update["status"] = nil
            switch try exchange("PUT", statementPath(name), body: Self.encode(update), deadline: deadline, call: call) {
            case .success(let response) where response.isSuccess:
                logger.info("Statement \(verb) requested", metadata: [
                    "statement": "\(name)", "phase": "\(phase)", "confluentRequestId": "\(response.headers["X-Request-Id"] ?? "-")",
                ])
                return .finished(true)
            case .success(let response) where response.status == 404 && stopped:
                logger.info("Statement deleted before it could be stopped", metadata: ["statement": "\(name)"])
                return .finished(false)
            case .success(let response) where response.status == 409 || Self.isRetryable(status: response.status):
                // 409: a stale resource_version. 429/5xx: not done, or done without saying so.
                // Either way the next round reads the statement again before another PUT.
                mayHaveChanged = mayHaveChanged || response.status >= 500
                return .failed(.response(response, call), requestedDelay: Self.retryAfter(response))
            case .success(let response):
                throw .response(response, call)
            case .failure(let error):
                let failure = ConfluentError.transport(error, call, deadlinePassed: deadline.hasPassed)
                if failure.kind == .timeout { throw failure }
                mayHaveChanged = mayHaveChanged || error.kind != .connectionFailed
                return .failed(failure)
            }
        }
    }

    /// Deletes the statement (its state is lost: stop, not delete, a statement whose offsets a
    /// successor carries over). A statement that does not exist counts as deleted. The phase
    /// passes through DELETING; GET answers 404 once it is gone.
    public func delete(_ name: String, deadline: Deadline) throws(ConfluentError) {
        let response = try sendRepeatable("DELETE", statementPath(name), deadline: deadline, call: .delete(name))
        guard response.isSuccess || response.status == 404 else { throw .response(response, .delete(name)) }
        logger.info("Statement deleted", metadata: [
            "statement": "\(name)", "existed": "\(response.status != 404)",
            "confluentRequestId": "\(response.headers["X-Request-Id"] ?? "-")",
        ])
    }

    /// The statement's most recent exceptions (up to 10), newest first as the API gives them;
    /// none when the statement does not exist.
    public func exceptions(_ name: String, deadline: Deadline) throws(ConfluentError) -> [StatementException] {
        let call = APICall.exceptions(name)
        let response = try sendRepeatable("GET", statementPath(name) + "/exceptions", deadline: deadline, call: call)
        if response.status == 404 { return [] }
        guard response.isSuccess else { throw .response(response, call) }
        return try decode(ExceptionList.self, from: response, call: call, expected: "a StatementExceptionList").data ?? []
    }

    /// A statement as read, with its JSON for sending it back whole (a PUT).
    struct ReadStatement {
        let statement: Statement
        let json: JSONValue
    }

    func read(_ name: String, deadline: Deadline, call: APICall) throws(ConfluentError) -> ReadStatement? {
        let response = try sendRepeatable("GET", statementPath(name), deadline: deadline, call: call)
        if response.status == 404 { return nil }
        guard response.isSuccess else { throw .response(response, call) }
        let statement = try decode(Statement.self, from: response, call: call, expected: "a Statement")
        let json = try decode(JSONValue.self, from: response, call: call, expected: "a Statement")
        return ReadStatement(statement: statement, json: json)
    }

    /// The `page_token` query value of a `metadata.next` URL; `nil` when there is no next page.
    /// Only the token is taken: the URL itself is never followed, so the credentials cannot
    /// be sent to a host other than the configured endpoint.
    static func pageToken(in next: String?) -> String? {
        guard let next, let queryStart = next.firstIndex(of: "?") else { return nil }
        let query = next[next.index(after: queryStart)...].prefix { $0 != "#" }
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if pair.count == 2, pair[0] == "page_token" {
                let token = PercentEncoding.decode(pair[1])
                return token.isEmpty ? nil : token
            }
        }
        return nil
    }

    /// OAS `sql.v1.StatementList`.
    package struct StatementPage: Decodable {
        let metadata: ListMetadata?
        package let data: [Statement]?

        package var nextPageToken: String? { StatementsClient.pageToken(in: metadata?.next) }

        struct ListMetadata: Decodable { let next: String? }
    }

    /// OAS `sql.v1.StatementExceptionList`.
    package struct ExceptionList: Decodable {
        package let data: [StatementException]?
    }
}
