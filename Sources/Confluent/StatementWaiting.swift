import Logging
import Timing

/// The phase a deployer waits for: DDL completes, a streaming INSERT keeps running, a stop
/// takes effect.
public enum StatementTarget: Sendable, Equatable {
    /// RUNNING; COMPLETED also counts for a bounded statement (it ran and finished).
    case running
    case completed
    /// STOPPED, from STOPPING (or a phase on its way there).
    case stopped

    var phase: Phase {
        switch self {
        case .running: .running
        case .completed: .completed
        case .stopped: .stopped
        }
    }
}

extension StatementsClient {
    /// Polling of a statement's phase: 100 ms growing ×1.5 up to 5 s, ±25 % jitter.
    public static let defaultPolling = Backoff(initial: .milliseconds(100), multiplier: 1.5, maximum: .seconds(5), jitter: .proportional(0.25))

    /// Polls the statement until it reaches `target`, and returns it as last read.
    ///
    /// - Throws: `.statementFailed` when it cannot get there: FAILED or FAILING (with
    ///   `status.detail` and its newest exceptions), DEGRADED, PENDING on an exhausted compute
    ///   pool, stopped, being deleted or gone, or COMPLETED while not bounded when RUNNING was
    ///   wanted. `.timeout` at the deadline, naming the last phase seen (the statement is left
    ///   in place). Phases this client does not know are waited through.
    public func waitUntil(
        _ name: String, target: StatementTarget, deadline: Deadline, polling: Backoff = StatementsClient.defaultPolling
    ) throws(ConfluentError) -> Statement {
        let statements = try waitUntilAll([name], target: target, deadline: deadline, polling: polling)
        return statements[0]
    }

    /// Polls several statements until each reaches `target`: one round reads every statement
    /// still on its way, so their waits overlap and N statements take about as long as the
    /// slowest. Returns them in the order given, as last read; throws as ``waitUntil(_:target:deadline:polling:)``
    /// does for the first one that cannot get there.
    public func waitUntilAll(
        _ names: [String], target: StatementTarget, deadline: Deadline, polling: Backoff = StatementsClient.defaultPolling
    ) throws(ConfluentError) -> [Statement] {
        var last: [String: Statement] = [:]
        var waiting = names.reduce(into: [String]()) { unique, name in if !unique.contains(name) { unique.append(name) } }
        var poll = 0
        while true {
            var stillWaiting: [String] = []
            for name in waiting {
                guard !deadline.hasPassed else { throw Self.waitTimedOut(name, target: target, last: last[name]) }
                let statement: Statement?
                do {
                    statement = try get(name, deadline: deadline)
                } catch where error.kind == .timeout {
                    throw Self.waitTimedOut(name, target: target, last: last[name])
                }
                guard let statement else {
                    throw ConfluentError(
                        kind: .statementFailed, message: "Statement '\(name)' did not become \(target.phase): it no longer exists",
                        statement: name, phase: last[name]?.phase, advice: "Something deleted it; deploy again")
                }
                if statement.phase != last[name]?.phase {
                    logger.info("Statement phase", metadata: ["statement": "\(name)", "phase": "\(statement.phase)"])
                }
                last[name] = statement
                switch Self.progress(of: statement, toward: target) {
                case .reached:
                    break
                case .waiting:
                    stillWaiting.append(name)
                case .failed(let reason):
                    throw failure(of: statement, target: target, reason: reason, deadline: deadline)
                }
            }
            waiting = stillWaiting
            if waiting.isEmpty { return names.compactMap { last[$0] } }
            poll += 1
            sleep(for: min(polling.delay(beforeRetry: poll), deadline.remaining))
        }
    }

    enum Progress: Equatable {
        case reached
        case waiting
        /// It cannot reach the target; the reason completes "did not become RUNNING: …".
        case failed(String)
    }

    /// Where the statement stands with respect to `target`, judged from one reading.
    static func progress(of statement: Statement, toward target: StatementTarget) -> Progress {
        let phase = statement.phase
        switch phase {
        case target.phase:
            return .reached
        case _ where target == .stopped:
            switch phase {
            case .stopping: return .waiting
            case .pending where statement.spec.stopped == true, .running where statement.spec.stopped == true,
                 .degraded where statement.spec.stopped == true:
                return .waiting  // a stop was asked for and is on its way
            default: return .failed("it is \(phase)" + (statement.spec.stopped == true ? "" : " and no stop was asked for"))
            }
        case .completed where statement.status?.traits?.isBounded == true && target != .stopped:
            return .reached  // a bounded statement waited on for RUNNING ran and finished
        case .completed:
            return .failed("it is COMPLETED although it is not a bounded statement, so it no longer runs")
        case .failed, .failing, .degraded, .stopping, .stopped, .deleting:
            return .failed("it is \(phase)")
        case .pending where statement.isWaitingForExhaustedPool:
            let pool = statement.spec.computePoolId.map { "compute pool '\($0)'" } ?? "its compute pool"
            return .failed("it is PENDING because \(pool) is exhausted (no CFUs left)")
        default:
            return .waiting  // PENDING, RUNNING on the way to COMPLETED, or a phase added after this client
        }
    }

    /// `.statementFailed` with Confluent's reasons: `status.detail` and, for a failed or
    /// degraded statement, its newest exceptions.
    private func failure(of statement: Statement, target: StatementTarget, reason: String, deadline: Deadline) -> ConfluentError {
        let name = statement.name
        var details = statement.status?.detail.map { [$0] } ?? []
        let advice: String
        switch statement.phase {
        case .failed, .failing, .degraded:
            do {
                details += try exceptions(name, deadline: deadline).prefix(3).map { exception in
                    "exception \(exception.name ?? "(unnamed)"): \(exception.message ?? "(no message)")"
                }
            } catch {
                details.append("its exceptions could not be read: \(error)")
            }
            advice = "Fix the cause above and deploy again. The statement is left in place for inspection "
                + "(confluent flink statement describe \(name)); delete it when no longer needed"
        case .pending:
            advice = "Raise the compute pool's maximum CFUs or stop other statements on it, then deploy again. "
                + "The statement is left PENDING in place and starts when the pool has room"
        default:
            advice = "Something stopped or deleted it, or it finished; deploy again"
        }
        logger.error("Statement cannot reach its phase", metadata: [
            "statement": "\(name)", "phase": "\(statement.phase)", "target": "\(target.phase)",
        ])
        return ConfluentError(
            kind: .statementFailed, message: "Statement '\(name)' did not become \(target.phase): \(reason)",
            statement: name, details: details, phase: statement.phase, advice: advice)
    }

    private static func waitTimedOut(_ name: String, target: StatementTarget, last: Statement?) -> ConfluentError {
        let lastPhase = last.map { "its last phase was \($0.phase)" } ?? "its phase could not be read"
        return ConfluentError(
            kind: .timeout,
            message: "Statement '\(name)' did not become \(target.phase) before the deadline: \(lastPhase)",
            statement: name, details: last?.status?.detail.map { [$0] } ?? [], phase: last?.phase,
            advice: "It is left in place and may still get there: check it (confluent flink statement describe "
                + "\(name)) and deploy again, or allow more time")
    }
}
