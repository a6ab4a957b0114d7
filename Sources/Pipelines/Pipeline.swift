/// What a deploy should leave running: a named pipeline and its statements, in deployment order.
/// It comes from a definition (``PipelineDefinition``) or from a ``BuiltinPipeline``; the
/// deployer treats both alike.
public struct Pipeline: Sendable, Equatable {
    /// `^[a-z][a-z0-9-]*$`, at most ``maximumNameLength`` characters: it becomes part of statement names.
    public let name: String
    public let statements: [PipelineStatement]

    public static let maximumNameLength = 30
    public static let maximumStatements = 50

    public init(name: String, statements: [PipelineStatement]) {
        self.name = name
        self.statements = statements
    }
}

/// One statement of a pipeline, as it will be submitted.
public struct PipelineStatement: Sendable, Equatable {
    /// Bounded statements (CREATE, ALTER, DROP, …) must reach COMPLETED before the next one is
    /// submitted; streaming ones (INSERT INTO, EXECUTE STATEMENT SET, CREATE TABLE … AS) keep running.
    public enum Kind: String, Sendable, Equatable {
        case bounded, streaming
    }

    /// `^[a-z][a-z0-9-]*$`, at most ``maximumIdLength`` characters, unique in its pipeline: the
    /// statement's identity across deploys.
    public let id: String
    /// One statement, without leading `SET` lines or a trailing `;`.
    public let sql: String
    public let kind: Kind
    /// The statement's own properties (from `SET` lines and `properties`), without the ones the
    /// deployer owns (catalog, database, carry-over, dry run).
    public let properties: [String: String]
    /// `nil`: the settings secret's.
    public let computePoolId: String?
    /// `nil`: the settings secret's.
    public let principal: String?
    /// Names of statements deployed by other tools that this one takes over.
    public let adopt: [String]
    /// Start fresh (reprocessing the sources) when Confluent refuses to carry offsets over.
    public let allowReprocess: Bool

    public static let maximumIdLength = 24

    public init(id: String, sql: String, kind: Kind, properties: [String: String] = [:], computePoolId: String? = nil,
                principal: String? = nil, adopt: [String] = [], allowReprocess: Bool = false) {
        self.id = id
        self.sql = sql
        self.kind = kind
        self.properties = properties
        self.computePoolId = computePoolId
        self.principal = principal
        self.adopt = adopt
        self.allowReprocess = allowReprocess
    }
}
