/// A Flink SQL statement as the API returns it (OAS `sql.v1.Statement`). Only the fields a
/// deployer uses are modelled; unknown fields are ignored when decoding, and every field the
/// server may leave out is optional, so a newer API version still decodes.
public struct Statement: Codable, Sendable, Equatable {
    public var name: String
    public var organizationId: String?
    public var environmentId: String?
    public var metadata: Metadata
    public var spec: Spec
    /// Read-only, set by Confluent; absent only from a malformed or future answer.
    public var status: Status?

    public struct Metadata: Codable, Sendable, Equatable {
        /// Opaque; a PUT must carry the version it read (optimistic concurrency).
        public var resourceVersion: String?
        public var labels: [String: String]?
        /// RFC 3339 with fractional seconds, e.g. `2026-08-21T10:00:00.123456Z`; kept as text.
        public var createdAt: String?
        public var uid: String?
        /// The statement's own URL.
        public var selfURL: String?

        public init(resourceVersion: String? = nil, labels: [String: String]? = nil, createdAt: String? = nil,
                    uid: String? = nil, selfURL: String? = nil) {
            self.resourceVersion = resourceVersion
            self.labels = labels
            self.createdAt = createdAt
            self.uid = uid
            self.selfURL = selfURL
        }

        enum CodingKeys: String, CodingKey {
            case resourceVersion = "resource_version", labels, createdAt = "created_at", uid, selfURL = "self"
        }
    }

    public struct Spec: Codable, Sendable, Equatable {
        /// The SQL text; immutable once created.
        public var statement: String?
        public var properties: [String: String]?
        public var computePoolId: String?
        public var principal: String?
        public var stopped: Bool?

        public init(statement: String? = nil, properties: [String: String]? = nil, computePoolId: String? = nil,
                    principal: String? = nil, stopped: Bool? = nil) {
            self.statement = statement
            self.properties = properties
            self.computePoolId = computePoolId
            self.principal = principal
            self.stopped = stopped
        }

        enum CodingKeys: String, CodingKey {
            case statement, properties, computePoolId = "compute_pool_id", principal, stopped
        }
    }

    public struct Status: Codable, Sendable, Equatable {
        public var phase: Phase
        /// Human text; the failure reason when FAILED.
        public var detail: String?
        /// Absent until the statement has been planned (not on the first PENDING answer).
        public var traits: Traits?
        public var scalingStatus: ScalingStatus?
        /// What Confluent wants the statement's owner to know, though it runs.
        public var warnings: [Warning]?

        public init(phase: Phase, detail: String? = nil, traits: Traits? = nil, scalingStatus: ScalingStatus? = nil, warnings: [Warning]? = nil) {
            self.phase = phase
            self.detail = detail
            self.traits = traits
            self.scalingStatus = scalingStatus
            self.warnings = warnings
        }

        /// A missing phase decodes as an empty, unknown phase rather than failing the whole read.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            phase = try container.decodeIfPresent(Phase.self, forKey: .phase) ?? Phase(rawValue: "")
            detail = try container.decodeIfPresent(String.self, forKey: .detail)
            traits = try container.decodeIfPresent(Traits.self, forKey: .traits)
            scalingStatus = try container.decodeIfPresent(ScalingStatus.self, forKey: .scalingStatus)
            warnings = try container.decodeIfPresent([Warning].self, forKey: .warnings)
        }

        enum CodingKeys: String, CodingKey {
            case phase, detail, traits, scalingStatus = "scaling_status", warnings
        }
    }

    /// OAS `sql.v1.StatementWarning`: every field optional here, so a partial one still decodes.
    public struct Warning: Codable, Sendable, Equatable, CustomStringConvertible {
        /// LOW, MODERATE or CRITICAL.
        public var severity: String?
        public var reason: String?
        public var message: String?
        public var createdAt: String?

        public init(severity: String? = nil, reason: String? = nil, message: String? = nil, createdAt: String? = nil) {
            self.severity = severity
            self.reason = reason
            self.message = message
            self.createdAt = createdAt
        }

        /// `MODERATE MISSING_WINDOW_START_END: the message`.
        public var description: String {
            [severity, reason.map { "\($0):" }, message].compactMap { $0 }.joined(separator: " ")
        }

        enum CodingKeys: String, CodingKey {
            case severity, reason, message, createdAt = "created_at"
        }
    }

    public struct Traits: Codable, Sendable, Equatable {
        /// `CREATE_TABLE`, `INSERT_INTO`, `SELECT`, …
        public var sqlKind: String?
        public var isBounded: Bool?
        public var schema: Schema?

        public init(sqlKind: String? = nil, isBounded: Bool? = nil, schema: Schema? = nil) {
            self.sqlKind = sqlKind
            self.isBounded = isBounded
            self.schema = schema
        }

        enum CodingKeys: String, CodingKey {
            case sqlKind = "sql_kind", isBounded = "is_bounded", schema
        }
    }

    public struct Schema: Codable, Sendable, Equatable {
        public var columns: [Column]?

        public init(columns: [Column]? = nil) { self.columns = columns }
    }

    /// One entry of `schema.columns` (OAS `ColumnDetails`); ``Schema/tableColumns()`` gives the builder's columns.
    public struct Column: Codable, Sendable, Equatable {
        public var name: String
        /// Nested to any depth; see ``Statement/DataType``.
        public var type: DataType

        public init(name: String, type: DataType) {
            self.name = name
            self.type = type
        }
    }

    public struct ScalingStatus: Codable, Sendable, Equatable {
        /// `OK`, `PENDING_SCALE_DOWN`, `PENDING_SCALE_UP`, `POOL_EXHAUSTED`, or a newer value.
        public var scalingState: String?

        public init(scalingState: String? = nil) { self.scalingState = scalingState }

        enum CodingKeys: String, CodingKey { case scalingState = "scaling_state" }
    }

    public init(name: String, organizationId: String? = nil, environmentId: String? = nil,
                metadata: Metadata = Metadata(), spec: Spec = Spec(), status: Status? = nil) {
        self.name = name
        self.organizationId = organizationId
        self.environmentId = environmentId
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Missing `metadata` or `spec` objects decode as empty ones.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        organizationId = try container.decodeIfPresent(String.self, forKey: .organizationId)
        environmentId = try container.decodeIfPresent(String.self, forKey: .environmentId)
        metadata = try container.decodeIfPresent(Metadata.self, forKey: .metadata) ?? Metadata()
        spec = try container.decodeIfPresent(Spec.self, forKey: .spec) ?? Spec()
        status = try container.decodeIfPresent(Status.self, forKey: .status)
    }

    enum CodingKeys: String, CodingKey {
        case name, organizationId = "organization_id", environmentId = "environment_id", metadata, spec, status
    }

    /// `status.phase`; an empty, unknown phase when there is no status.
    public var phase: Phase { status?.phase ?? Phase(rawValue: "") }

    /// True when the compute pool has no capacity left for it (`scaling_status.scaling_state`).
    public var isWaitingForExhaustedPool: Bool {
        phase == .pending && status?.scalingStatus?.scalingState == "POOL_EXHAUSTED"
    }
}

/// A statement's lifecycle phase. The API declares it an extensible enum, so any text decodes:
/// code compares with the known constants and treats anything else as "not decided yet".
public struct Phase: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue.isEmpty ? "(no phase)" : rawValue }

    public static let pending = Phase(rawValue: "PENDING")
    public static let running = Phase(rawValue: "RUNNING")
    public static let completed = Phase(rawValue: "COMPLETED")
    public static let deleting = Phase(rawValue: "DELETING")
    public static let failing = Phase(rawValue: "FAILING")
    public static let failed = Phase(rawValue: "FAILED")
    public static let stopping = Phase(rawValue: "STOPPING")
    public static let stopped = Phase(rawValue: "STOPPED")
    public static let degraded = Phase(rawValue: "DEGRADED")

    /// COMPLETED, FAILED and STOPPED: the statement will not change by itself any more.
    public var isTerminal: Bool { self == .completed || self == .failed || self == .stopped }
}

/// One entry of `GET /statements/{name}/exceptions` (OAS `sql.v1.StatementException`).
public struct StatementException: Codable, Sendable, Equatable {
    /// The exception class, e.g. `org.apache.flink.table.api.ValidationException`.
    public var name: String?
    public var message: String?
    /// RFC 3339, kept as text.
    public var timestamp: String?

    public init(name: String? = nil, message: String? = nil, timestamp: String? = nil) {
        self.name = name
        self.message = message
        self.timestamp = timestamp
    }
}
