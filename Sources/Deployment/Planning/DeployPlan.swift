import Pipelines

/// A statement of the pipeline as this deploy wants it, with the hash that tells its versions apart.
public struct DesiredStatement: Sendable, Equatable {
    public let statement: PipelineStatement
    public let sqlHash: String

    public init(_ statement: PipelineStatement) {
        self.statement = statement
        self.sqlHash = StatementLabels.sqlHash(statement.sql, properties: statement.properties)
    }

    public var id: String { statement.id }
}

/// What a deploy will do, decided from values alone by ``DeployPlanner``: one step per statement
/// of the pipeline in its order, then the statements no longer defined, to stop.
public struct DeployPlan: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// Bounded: this SQL already ran to COMPLETED; nothing is submitted.
        case skip(LiveStatement)
        /// Bounded: this SQL is running now (another deploy submitted it): wait for it to complete.
        case join(LiveStatement)
        /// Bounded: submit it and wait for COMPLETED.
        case execute
        /// Streaming: this SQL already runs (or is about to); nothing is submitted.
        case unchanged(LiveStatement)
        /// Streaming: this SQL was stopped (or is stopping); resume it once it is STOPPED, and it
        /// goes on from its own offsets.
        case resume(LiveStatement)
        /// Streaming: a new version starts from the offsets of `predecessor`, which is then stopped.
        case replace(predecessor: LiveStatement)
        /// Streaming: nothing to carry over; a new statement.
        case create
        /// Streaming: offsets were expected and are not there (an `adopt`ed statement is gone), and
        /// `allow_reprocess` lets it start from the sources' start offsets; `reason` says why.
        case startFresh(reason: String)
        /// A deploy must not go on: `reason` says why and what to do.
        case refuse(reason: String)
    }

    public struct Entry: Sendable, Equatable {
        public let statement: DesiredStatement
        public let step: Step
        /// Other live versions of the same statement, stopped once this one is in place, so two
        /// versions never write at once.
        public let retire: [LiveStatement]
    }

    /// A bounded statement alone, or a run of consecutive streaming ones whose waits overlap.
    public enum Stage: Sendable, Equatable {
        case bounded(Entry)
        case streaming([Entry])
    }

    public let entries: [Entry]

    /// The reasons a deploy would be refused, by statement id, in order.
    public var refusals: [(id: String, reason: String)] {
        entries.compactMap { entry in
            if case .refuse(let reason) = entry.step { return (entry.statement.id, reason) }
            return nil
        }
    }

    /// Live statements of the pipeline whose id is no longer defined: stopped once the rest runs.
    public let removed: [LiveStatement]

    /// The entries in the order they are carried out: each bounded statement completes before
    /// the next stage starts; consecutive streaming statements are submitted together.
    public var stages: [Stage] {
        var stages: [Stage] = []
        for entry in entries {
            if entry.statement.statement.kind == .bounded {
                stages.append(.bounded(entry))
            } else if case .streaming(let run)? = stages.last {
                stages[stages.count - 1] = .streaming(run + [entry])
            } else {
                stages.append(.streaming([entry]))
            }
        }
        return stages
    }
}
