import Digests
import Pipelines
import Text

/// The labels that let a deploy find a pipeline's statements again and tell whether they changed.
public enum StatementLabels {
    public static let pipeline = "user.confluent.io/pipeline"
    /// The catalog and database deployed into, hashed to fit a label value: two deployments of
    /// a pipeline into different databases of one environment must not see each other.
    public static let target = "user.confluent.io/target"
    /// The statement's id in its pipeline: its identity across versions.
    public static let statementId = "user.confluent.io/statement-id"
    /// `ddl` or `insert`. The first version labelled only this, and its statement ids are these kinds.
    public static let kind = "user.confluent.io/statement-kind"
    public static let sqlSHA256 = "user.confluent.io/sql-sha256"

    public static func targetHash(catalog: String, database: String) -> String {
        String(SHA256.hash("\(catalog)\u{0}\(database)").hexEncoded.prefix(32))
    }

    /// The first 32 hex digits of the SHA-256 of the statement text and its properties (sorted,
    /// after a NUL, as `key=value` lines), so a changed property is a changed statement. Without
    /// properties it is the hash of the text alone, as the first version labelled its statements.
    public static func sqlHash(_ sql: String, properties: [String: String] = [:]) -> String {
        let text = properties.isEmpty ? sql : sql + "\u{0}" + properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        return String(SHA256.hash(text).hexEncoded.prefix(32))
    }

    /// The label selector of a pipeline's statements in one target, and no other's.
    public static func selector(pipeline: String, targetHash: String) -> String {
        "\(Self.pipeline)=\(pipeline),\(target)=\(targetHash)"
    }
}

/// What the result calls a statement: `ddl` for bounded statements, `insert` for streaming ones.
public enum StatementKind: String, Sendable, Equatable {
    case ddl, insert

    public init(_ kind: PipelineStatement.Kind) {
        self = kind == .bounded ? .ddl : .insert
    }
}

/// Statement names. A pipeline statement's name is derived from what it is — pipeline, target,
/// statement id and SQL hash — as a name-based UUID (RFC 9562 version 8, from SHA-256), so two
/// deploys of the same definition at the same moment both ask for the same name: Confluent
/// creates it once, and the second deploy finds it and takes it as its own. `generation`
/// moves to the next name when one is already taken by an older statement (a stopped or failed
/// version of the same SQL, or one being deleted).
enum StatementName {
    /// `<pipeline>-<statement id>-<uuid>`: lower-case, at most 30 + 24 + 38 = 92 characters,
    /// valid for the statements API.
    static func derived(pipeline: String, targetHash: String, statementId: String, sqlHash: String, generation: Int) -> String {
        let digest = SHA256.hash(["ccaf-deploy", pipeline, targetHash, statementId, sqlHash, String(generation)].joined(separator: "\u{0}"))
        return "\(pipeline)-\(statementId)-\(uuidVersion8(digest))"
    }

    /// A random lower-case UUID (version 4), for statements nothing should converge on (dry runs).
    static func suffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return uuid((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }, version: 4)
    }

    /// The first 16 bytes of `digest` as a version 8 UUID.
    static func uuidVersion8(_ digest: [UInt8]) -> String {
        uuid(Array(digest.prefix(16)), version: 8)
    }

    /// 16 bytes with the version and the variant (10) bits set, as lower-case text.
    private static func uuid(_ sixteenBytes: [UInt8], version: UInt8) -> String {
        var bytes = sixteenBytes
        bytes[6] = (bytes[6] & 0x0F) | version << 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.hexEncoded
        let cuts = [8, 12, 16, 20]
        var groups: [Substring] = []
        var start = hex.startIndex
        for cut in cuts {
            let end = hex.index(hex.startIndex, offsetBy: cut)
            groups.append(hex[start..<end])
            start = end
        }
        groups.append(hex[start...])
        return groups.joined(separator: "-")
    }
}
