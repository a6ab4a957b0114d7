import Confluent

/// A deployed statement as the planner sees it: which statement of the pipeline it is a
/// version of, with which SQL, and where it stands.
public struct LiveStatement: Sendable, Equatable {
    public let name: String
    /// The pipeline statement it is a version of; `nil` when it carries no id.
    public let statementId: String?
    public let sqlHash: String?
    public let kind: StatementKind
    public let phase: Phase
    /// RFC 3339 UTC, as Confluent writes it, so text order is time order.
    public let createdAt: String

    public init(name: String, statementId: String?, sqlHash: String?, kind: StatementKind = .insert, phase: Phase, createdAt: String) {
        self.name = name
        self.statementId = statementId
        self.sqlHash = sqlHash
        self.kind = kind
        self.phase = phase
        self.createdAt = createdAt
    }

    /// Reads the labels this tool puts on its statements. A statement of the first version has no
    /// statement id; its kind label (`ddl`, `insert`) stands in, which the flight consolidator's ids match.
    public init(_ statement: Statement) {
        let labels = statement.metadata.labels ?? [:]
        self.init(
            name: statement.name, statementId: labels[StatementLabels.statementId] ?? labels[StatementLabels.kind],
            sqlHash: labels[StatementLabels.sqlSHA256], kind: StatementKind(rawValue: labels[StatementLabels.kind] ?? "") ?? .insert,
            phase: statement.phase, createdAt: statement.metadata.createdAt ?? "")
    }

    /// RUNNING or PENDING: it reads (or is about to read) its sources.
    var isLive: Bool { phase == .running || phase == .pending }

    /// It holds offsets a new version can carry over, or a resume can go on from.
    var holdsOffsets: Bool { isLive || phase == .stopped || phase == .stopping }

    /// Newest first; among equals, by name, so the order never depends on the listing's.
    static func newestFirst(_ lhs: LiveStatement, _ rhs: LiveStatement) -> Bool {
        lhs.createdAt != rhs.createdAt ? lhs.createdAt > rhs.createdAt : lhs.name > rhs.name
    }
}
