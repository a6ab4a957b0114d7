import HTTP
import JSON
import Logging
import Timing

/// Creating a statement exactly once, with its name as the idempotency key.
extension StatementsClient {
    /// Submits a statement and returns it as Confluent stored it (usually PENDING).
    ///
    /// - 429 means "not processed": the same body (same name) is sent again after `Retry-After`
    ///   or a backoff.
    /// - A POST that may have taken effect without our knowing (a timeout, a lost connection,
    ///   a 5xx) or that met an existing name (409) is settled by reading the name back: a
    ///   statement with the same SQL is ours and is adopted (whatever its phase: waiting on it
    ///   reports a failure); one with other SQL is a `.nameConflict`, and so is a 409 for a name
    ///   that reads back as absent (a statement being deleted); none at all after a 5xx or a
    ///   lost answer proves the POST created nothing, so it may be sent again.
    /// - 400, 401, 403, 404, 422 fail at once; a name the API would refuse is refused here,
    ///   before anything is sent.
    public func create(_ new: NewStatement, deadline: Deadline) throws(ConfluentError) -> Statement {
        let call = APICall.create(new.name)
        guard NewStatement.isValidName(new.name) else {
            throw ConfluentError(
                kind: .invalidRequest, message: "\(call.description) was refused before sending: the name is not valid",
                statement: new.name, advice: "Statement names use \(NewStatement.nameRule)")
        }
        let body = Self.encode(new.body)
        return try retrying(before: deadline) { _ throws(ConfluentError) in
            // A fresh connection: a lost answer must reach the reconciliation below, never
            // libcurl's own silent re-send.
            switch try exchange("POST", statementsPath, body: body, freshConnection: true, deadline: deadline, call: call) {
            case .success(let response) where response.isSuccess:
                if let statement = try? JSONValue.decode(Statement.self, from: response.body) {
                    logger.info("Statement created", metadata: [
                        "statement": "\(statement.name)", "phase": "\(statement.phase)",
                        "confluentRequestId": "\(response.headers["X-Request-Id"] ?? "-")",
                    ])
                    return .finished(statement)
                }
                if let adopted = try reconcile(new, after: response, deadline: deadline) { return .finished(adopted) }
                throw .malformed(response, call, expected: "the created statement")
            case .success(let response) where response.status == 429:
                return .failed(.response(response, call), requestedDelay: Self.retryAfter(response))
            case .success(let response) where response.status == 409 || (500...599).contains(response.status):
                if let adopted = try reconcile(new, after: response, deadline: deadline) { return .finished(adopted) }
                return .failed(.response(response, call), requestedDelay: Self.retryAfter(response))
            case .success(let response):
                throw .response(response, call)
            case .failure(let error):
                let failure = ConfluentError.transport(error, call, deadlinePassed: deadline.hasPassed)
                if error.kind != .connectionFailed {  // the request may have reached Confluent
                    guard failure.kind != .timeout else { throw Self.undecided(new.name) }
                    if let adopted = try reconcile(new, after: nil, deadline: deadline) { return .finished(adopted) }
                }
                return .failed(failure)
            }
        }
    }

    /// Reads the name back after an answer that leaves open whether the POST created it.
    /// Returns our statement, or `nil` when there is none; throws `.nameConflict` when the name
    /// holds other SQL.
    private func reconcile(_ new: NewStatement, after response: HTTPResponse?, deadline: Deadline) throws(ConfluentError) -> Statement? {
        let cause = response.map { "HTTP \($0.status)" } ?? "no answer"
        logger.warning("Statement create unsettled; reading the name back", metadata: [
            "statement": "\(new.name)", "cause": "\(cause)", "confluentRequestId": "\(response?.headers["X-Request-Id"] ?? "-")",
        ])
        let existing: Statement?
        do {
            existing = try read(new.name, deadline: deadline, call: .create(new.name))?.statement
        } catch where error.kind == .timeout {
            throw Self.undecided(new.name)
        }
        guard let existing else {
            guard response?.status == 409 else { return nil }
            // Taken, yet not readable: a statement being deleted still holds its name.
            throw ConfluentError(
                kind: .nameConflict,
                message: "Creating statement '\(new.name)' failed: the name is taken (HTTP 409) by a statement that cannot be read, such as one being deleted",
                statement: new.name, status: 409, details: response.map(FailureBody.details(of:)) ?? [],
                requestId: response?.headers["X-Request-Id"], advice: "Give the new statement another name, or wait until the old one is gone")
        }
        guard existing.spec.statement == new.sql else {
            throw ConfluentError(
                kind: .nameConflict,
                message: "Creating statement '\(new.name)' failed: the name is already used by another statement "
                    + "with different SQL (phase \(existing.phase), created \(existing.metadata.createdAt ?? "at an unknown time"))",
                statement: new.name, status: response?.status, details: response.map(FailureBody.details(of:)) ?? [],
                requestId: response?.headers["X-Request-Id"], phase: existing.phase,
                advice: "Names are unique in an environment: give the new statement another name, or delete the "
                    + "existing one if it is no longer wanted")
        }
        logger.notice("Adopted the existing statement of the same name and SQL", metadata: [
            "statement": "\(new.name)", "phase": "\(existing.phase)", "cause": "\(cause)",
        ])
        return existing
    }

    /// The deadline passed while it was unknown whether the statement was created.
    private static func undecided(_ name: String) -> ConfluentError {
        ConfluentError(
            kind: .timeout,
            message: "Creating statement '\(name)' failed: the deadline passed before it was known whether it was created",
            statement: name, advice: "It may exist: look for '\(name)' before creating it again, or allow more time")
    }
}
