/// Decides what a deploy does to each statement (pipelines.md §4), from the pipeline and the
/// statements already deployed for it in the target: a pure function of values.
public enum DeployPlanner {
    /// - Parameters:
    ///   - desired: the pipeline's statements, in order.
    ///   - live: every statement labelled with the pipeline and target, in any order.
    ///   - adopted: the statements named in `adopt` lists that exist, by name.
    public static func plan(_ desired: [DesiredStatement], live: [LiveStatement], adopted: [String: LiveStatement] = [:]) -> DeployPlan {
        let histories = Dictionary(grouping: live.sorted(by: LiveStatement.newestFirst)) { $0.statementId ?? "" }
        let entries = desired.map { statement in
            let history = histories[statement.id] ?? []
            return statement.statement.kind == .bounded
                ? boundedEntry(statement, history: history)
                : streamingEntry(statement, history: history, adopted: statement.statement.adopt.compactMap { adopted[$0] })
        }
        let defined = Set(desired.map(\.id))
        let removed = live.filter { $0.isLive && !defined.contains($0.statementId ?? "") }.sorted(by: LiveStatement.newestFirst)
        return DeployPlan(entries: entries, removed: removed)
    }

    /// A teardown stops every live statement of the pipeline in the target, newest first.
    public static func teardown(live: [LiveStatement]) -> [LiveStatement] {
        live.filter(\.isLive).sorted(by: LiveStatement.newestFirst)
    }

    /// A COMPLETED version with the same SQL ran already; one under way (a deploy at the same
    /// moment submitted it) is waited for; anything else runs it again.
    private static func boundedEntry(_ statement: DesiredStatement, history: [LiveStatement]) -> DeployPlan.Entry {
        let sameSQL = history.filter { $0.sqlHash == statement.sqlHash }
        if let done = sameSQL.first(where: { $0.phase == .completed }) {
            return DeployPlan.Entry(statement: statement, step: .skip(done), retire: [])
        }
        if let underWay = sameSQL.first(where: \.isLive) {
            return DeployPlan.Entry(statement: statement, step: .join(underWay), retire: [])
        }
        return DeployPlan.Entry(statement: statement, step: .execute, retire: [])
    }

    /// The first rule that matches, in the contract's order: unchanged, resume, replace, create.
    /// `adopted` are statements of other tools this one takes over: predecessors like its own
    /// older versions, and stopped once it is in place.
    private static func streamingEntry(_ statement: DesiredStatement, history: [LiveStatement], adopted: [LiveStatement]) -> DeployPlan.Entry {
        let live = (history + adopted).filter(\.isLive)
        func entry(_ step: DeployPlan.Step, keeping kept: LiveStatement?) -> DeployPlan.Entry {
            DeployPlan.Entry(statement: statement, step: step, retire: live.filter { $0.name != kept?.name })
        }
        let sameSQL = history.filter { $0.isLive && $0.sqlHash == statement.sqlHash }
        // The newest RUNNING one, else the newest PENDING one.
        if let current = sameSQL.first(where: { $0.phase == .running }) ?? sameSQL.first {
            return entry(.unchanged(current), keeping: current)
        }
        if let newest = history.first(where: \.holdsOffsets), newest.phase == .stopped || newest.phase == .stopping,
           newest.sqlHash == statement.sqlHash {
            return entry(.resume(newest), keeping: newest)
        }
        // The predecessor is stopped as part of the hand-over, so it is not retired separately.
        if let predecessor = (history + adopted).filter(\.holdsOffsets).sorted(by: LiveStatement.newestFirst).first {
            return entry(.replace(predecessor: predecessor), keeping: predecessor)
        }
        let wanted = statement.statement.adopt
        guard !wanted.isEmpty else { return entry(.create, keeping: nil) }
        let found = adopted.map { "\($0.name) is \($0.phase)" }
        let why = "it should take over \(wanted.joined(separator: ", ")), but "
            + (found.isEmpty ? "Confluent has no statement of \(wanted.count == 1 ? "that name" : "those names")" : found.joined(separator: ", "))
            + ", so there are no offsets to carry over"
        if statement.statement.allowReprocess {
            return entry(.startFresh(reason: why), keeping: nil)
        }
        return entry(.refuse(reason: why + "; starting afresh would read the sources again from their start offsets: set allow_reprocess to do that, or fix adopt"), keeping: nil)
    }
}
