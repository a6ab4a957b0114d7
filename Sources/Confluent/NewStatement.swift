/// What `StatementsClient.create` submits. The name is the idempotency key: a create that may
/// or may not have happened is settled by reading the statement of that name back.
public struct NewStatement: Sendable, Equatable {
    /// Lower-case DNS-subdomain style, at most 100 characters: see `isValidName(_:)`.
    public var name: String
    public var sql: String
    /// `nil`: the environment's default compute pool.
    public var computePoolId: String?
    /// `sa-…`, `u-…`; `nil`: the caller.
    public var principal: String?
    public var properties: [String: String]
    public var labels: [String: String]

    public init(name: String, sql: String, computePoolId: String? = nil, principal: String? = nil,
                properties: [String: String] = [:], labels: [String: String] = [:]) {
        self.name = name
        self.sql = sql
        self.computePoolId = computePoolId
        self.principal = principal
        self.properties = properties
        self.labels = labels
    }

    public static let maximumNameLength = 100
    public static let nameRule = "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit "
        + "(each '.'-separated part too), at most \(maximumNameLength) characters"

    /// The OAS rule `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`, ≤ 100 characters.
    public static func isValidName(_ name: String) -> Bool {
        guard name.utf8.count <= maximumNameLength else { return false }
        let parts = name.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.allSatisfy { part in
            func alphanumeric(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x61...0x7a).contains(byte) }
            guard let first = part.first, let last = part.last else { return false }
            return alphanumeric(first) && alphanumeric(last) && part.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// The POST body (OAS createSqlv1Statement): `spec.stopped` is always false, since the API
    /// cannot provision a stopped statement; pool and principal only when given.
    struct Body: Encodable {
        let name: String
        let metadata: Metadata
        let spec: Spec

        struct Metadata: Encodable { let labels: [String: String] }

        struct Spec: Encodable {
            let statement: String
            let properties: [String: String]
            let computePoolId: String?
            let principal: String?
            let stopped = false

            enum CodingKeys: String, CodingKey {
                case statement, properties, computePoolId = "compute_pool_id", principal, stopped
            }
        }
    }

    var body: Body {
        Body(name: name, metadata: .init(labels: labels),
             spec: .init(statement: sql, properties: properties, computePoolId: computePoolId, principal: principal))
    }
}
