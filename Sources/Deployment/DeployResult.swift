import JSON

/// What an invocation did, as the function's response: `{"statusCode": 200, "body": "<JSON>"}`
/// (pipelines.md §5).
public struct DeployResult: Sendable, Equatable {
    public enum Action: String, Sendable {
        case created, unchanged, replaced, resumed, updated, stopped, planned
    }

    public struct StatementOutcome: Sendable, Equatable {
        public enum Action: String, Sendable {
            /// A new streaming statement, with nothing to carry over.
            case created
            /// Nothing submitted: the same SQL runs (streaming) or ran (bounded).
            case unchanged
            /// A stopped streaming statement resumed from its own offsets.
            case resumed
            /// A new streaming statement that took over the offsets of the previous version.
            case replaced
            /// A bounded statement submitted and run to COMPLETED.
            case executed
            /// Stopped: a teardown, or no longer in the pipeline.
            case stopped
        }

        public let id: String
        public let name: String
        public let kind: StatementKind
        public let phase: String
        public let action: Action
        public let sqlSHA256: String
        /// Confluent's `status.warnings` and the deployer's own (a fresh start, say).
        public let warnings: [String]

        public init(id: String, name: String, kind: StatementKind, phase: String, action: Action, sqlSHA256: String, warnings: [String] = []) {
            self.id = id
            self.name = name
            self.kind = kind
            self.phase = phase
            self.action = action
            self.sqlSHA256 = sqlSHA256
            self.warnings = warnings
        }
    }

    /// One statement of a dry run's plan: the action a deploy would take and why.
    public struct PlanLine: Sendable, Equatable {
        public let id: String
        /// `create`, `unchanged`, `resume`, `replace (carry-over from X)`, `execute`,
        /// `stop (no longer defined)`, `refused: …`.
        public let action: String
        public let reason: String

        public init(id: String, action: String, reason: String) {
            self.id = id
            self.action = action
            self.reason = reason
        }

        public var isRefused: Bool { action.hasPrefix("refused") }
    }

    public let message: String
    public let action: Action
    public let pipeline: String
    public let statements: [StatementOutcome]
    /// The statements' SQL, for `planned` only.
    public let sql: [String]?
    /// What a deploy would do, for `planned` only.
    public let plan: [PlanLine]?

    public init(message: String, action: Action, pipeline: String, statements: [StatementOutcome], sql: [String]? = nil, plan: [PlanLine]? = nil) {
        self.message = message
        self.action = action
        self.pipeline = pipeline
        self.statements = statements
        self.sql = sql
        self.plan = plan
    }

    /// The top-level action of a deploy: `unchanged` when nothing changed, else the action the
    /// streaming statements share (`created`, `replaced`, `resumed`), else `updated`.
    public static func deployAction(of outcomes: [StatementOutcome]) -> Action {
        if outcomes.allSatisfy({ $0.action == .unchanged }) { return .unchanged }
        let streaming = Set(outcomes.filter { $0.kind == .insert && $0.action != .stopped }.map(\.action))
        if streaming.count == 1, let shared = streaming.first, [.created, .replaced, .resumed].contains(shared) {
            return Action(rawValue: shared.rawValue) ?? .updated
        }
        return .updated
    }

    public var bodyJSON: String {
        var members: [(String, String)] = [
            ("message", JSONText.string(message)),
            ("action", JSONText.string(action.rawValue)),
            ("pipeline", JSONText.string(pipeline)),
            ("statements", "[" + statements.map { statement in
                var fields = [
                    ("id", JSONText.string(statement.id)), ("name", JSONText.string(statement.name)),
                    ("kind", JSONText.string(statement.kind.rawValue)), ("phase", JSONText.string(statement.phase)),
                    ("action", JSONText.string(statement.action.rawValue)), ("sql_sha256", JSONText.string(statement.sqlSHA256)),
                ]
                if !statement.warnings.isEmpty {
                    fields.append(("warnings", "[" + statement.warnings.map(JSONText.string).joined(separator: ",") + "]"))
                }
                return JSONText.object(fields)
            }.joined(separator: ",") + "]"),
        ]
        if let plan {
            members.append(("plan", "[" + plan.map { line in
                JSONText.object([("id", JSONText.string(line.id)), ("action", JSONText.string(line.action)), ("reason", JSONText.string(line.reason))])
            }.joined(separator: ",") + "]"))
        }
        if let sql { members.append(("sql", "[" + sql.map(JSONText.string).joined(separator: ",") + "]")) }
        return JSONText.object(members)
    }

    /// The Lambda response the original returned: status code and the body as a JSON string.
    public var responseJSON: String {
        JSONText.object([("statusCode", "200"), ("body", JSONText.string(bodyJSON))])
    }
}
