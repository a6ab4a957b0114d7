import HTTP

/// Where the Flink statements API of one region is: `https://flink.{region}.{cloud}.confluent.cloud`,
/// or an explicit base URL for private networking and local emulators.
public enum FlinkEndpoint {
    /// The region and cloud become part of a host name, so they must be one DNS label each:
    /// this stops a bad secret value from steering the API key to another host.
    static let labelRule = "letters, digits and inner '-' only (^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$)"

    /// The base URL of the statements API.
    ///
    /// - Parameters:
    ///   - override: an explicit base URL and the configuration key it came from (the app passes
    ///     `CCAF_FLINK_ENDPOINT`, else the secret's `flink.endpoint`); it wins when present.
    ///   - region: the Flink region (`us-east-1`), from `regionKey`.
    ///   - cloud: the cloud provider (`AWS`, `aws`), from `cloudKey`; lower-cased in the host name.
    /// - Throws: `.invalidConfiguration` naming the key of the bad value (never a secret).
    public static func resolve(
        override: (key: String, url: String)?, region: String, cloud: String,
        regionKey: String = "flink.region", cloudKey: String = "flink.cloud"
    ) throws(ConfluentError) -> HTTPEndpoint {
        if let override {
            return try parse(override.url, key: override.key)
        }
        for (key, value) in [(regionKey, region), (cloudKey, cloud)] where !isHostLabel(value) {
            throw .invalidConfiguration(key: key, problem: "'\(value)' is not a host name label: use \(labelRule)")
        }
        return HTTPEndpoint(scheme: .https, host: "flink.\(region).\(cloud.lowercased()).confluent.cloud")
    }

    /// An explicit base URL: `https://host[:port]`; plain `http` only for a loopback host.
    static func parse(_ url: String, key: String) throws(ConfluentError) -> HTTPEndpoint {
        let endpoint: HTTPEndpoint
        do {
            endpoint = try HTTPEndpoint(parsing: url)
        } catch {
            throw .invalidConfiguration(key: key, problem: error.description)
        }
        guard endpoint.scheme == .https || endpoint.isLoopback else {
            throw .invalidConfiguration(
                key: key,
                problem: "'\(endpoint)' uses plain http: the API key and secret travel in every request's "
                    + "Authorization header, so only https is allowed (http only for a loopback emulator)")
        }
        return endpoint
    }

    /// True for one DNS label: the rule the region and cloud must meet.
    public static func isHostLabel(_ value: String) -> Bool {
        func alphanumeric(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
        }
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
        return alphanumeric(first) && alphanumeric(last) && bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
}
