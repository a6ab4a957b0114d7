import Crypto
import JSON

/// What an invocation did, as the function's response: `{"statusCode": 200, "body": "<JSON>"}`.
public struct DeployResult: Sendable, Equatable {
    public enum Action: String, Sendable {
        case created, unchanged, replaced, stopped, planned
    }

    public struct StatementOutcome: Sendable, Equatable {
        public enum Kind: String, Sendable { case ddl, insert }

        public let name: String
        public let kind: Kind
        public let phase: String
        public let sqlSHA256: String

        public init(name: String, kind: Kind, phase: String, sql: String) {
            self.init(name: name, kind: kind, phase: phase, sqlSHA256: StatementLabels.sqlHash(sql))
        }

        public init(name: String, kind: Kind, phase: String, sqlSHA256: String) {
            self.name = name
            self.kind = kind
            self.phase = phase
            self.sqlSHA256 = sqlSHA256
        }
    }

    public let message: String
    public let action: Action
    public let pipeline: String
    public let statements: [StatementOutcome]
    /// The statements' SQL, for `planned` only.
    public let sql: [String]?

    public var bodyJSON: String {
        var members: [(String, String)] = [
            ("message", JSONText.string(message)),
            ("action", JSONText.string(action.rawValue)),
            ("pipeline", JSONText.string(pipeline)),
            ("statements", "[" + statements.map { statement in
                JSONText.object([
                    ("name", JSONText.string(statement.name)), ("kind", JSONText.string(statement.kind.rawValue)),
                    ("phase", JSONText.string(statement.phase)), ("sql_sha256", JSONText.string(statement.sqlSHA256)),
                ])
            }.joined(separator: ",") + "]"),
        ]
        if let sql { members.append(("sql", "[" + sql.map(JSONText.string).joined(separator: ",") + "]")) }
        return JSONText.object(members)
    }

    /// The Lambda response the original returned: status code and the body as a JSON string.
    public var responseJSON: String {
        JSONText.object([("statusCode", "200"), ("body", JSONText.string(bodyJSON))])
    }
}

/// The labels that let a redeploy find the pipeline's statements and tell whether their SQL changed.
public enum StatementLabels {
    public static let pipeline = "user.confluent.io/pipeline"
    public static let sqlSHA256 = "user.confluent.io/sql-sha256"
    public static let kind = "user.confluent.io/statement-kind"
    /// The catalog and database deployed into, hashed to fit a label value: two deployments of
    /// the pipeline into different databases of one environment must not see each other.
    public static let target = "user.confluent.io/target"

    public static func targetHash(catalog: String, database: String) -> String {
        String(SHA256.hash("\(catalog)\u{0}\(database)").hexEncoded.prefix(32))
    }

    /// The first 32 hex digits of the SHA-256 of the statement text.
    public static func sqlHash(_ sql: String) -> String {
        String(SHA256.hash(sql).hexEncoded.prefix(32))
    }
}
