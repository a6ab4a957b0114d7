@testable import Confluent
import HTTP
import Testing

@Suite struct FlinkEndpointTests {
    @Test func theDefaultHostIsBuiltFromRegionAndLowerCasedCloud() throws {
        let endpoint = try FlinkEndpoint.resolve(override: nil, region: "us-east-1", cloud: "AWS")
        #expect(endpoint.description == "https://flink.us-east-1.aws.confluent.cloud")
    }

    @Test(arguments: ["us-east-1.evil.com/", "", "-us", "us-", "us east", "eu_west", "a.b", "x@y", "\n"])
    func aRegionThatIsNotOneHostLabelIsRefusedByItsKey(region: String) throws {
        let error = try #require(throws: ConfluentError.self) {
            try FlinkEndpoint.resolve(override: nil, region: region, cloud: "aws")
        }
        #expect(error.kind == .invalidConfiguration)
        #expect(error.key == "flink.region")
        #expect(error.description.contains("'flink.region'"))
    }

    @Test func aBadCloudIsNamedByTheKeyTheCallerGives() throws {
        let error = try #require(throws: ConfluentError.self) {
            try FlinkEndpoint.resolve(override: nil, region: "us-east-1", cloud: "aws.example.com", cloudKey: "CLOUD")
        }
        #expect(error.key == "CLOUD")
    }

    @Test func anOverrideWinsOverRegionAndCloud() throws {
        let endpoint = try FlinkEndpoint.resolve(
            override: (key: "flink.endpoint", url: "https://flink.pr1jy6.us-east-2.aws.confluent.cloud/"),
            region: "not a label", cloud: "")
        #expect(endpoint == HTTPEndpoint(scheme: .https, host: "flink.pr1jy6.us-east-2.aws.confluent.cloud"))
    }

    @Test(arguments: ["http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:8443"])
    func plainHTTPIsAllowedForLoopbackOnly(url: String) throws {
        let endpoint = try FlinkEndpoint.resolve(override: (key: "CCAF_FLINK_ENDPOINT", url: url), region: "", cloud: "")
        #expect(endpoint.scheme == .http)
    }

    /// `127.attacker.example` found by fuzzing: it once passed for a loopback address.
    @Test(arguments: ["http://flink.example.com", "http://127.attacker.example", "http://127.0.0.1.nip.io:8080"])
    func plainHTTPToAnotherHostIsRefusedSayingWhy(url: String) throws {
        let error = try #require(throws: ConfluentError.self) {
            try FlinkEndpoint.resolve(override: (key: "CCAF_FLINK_ENDPOINT", url: url), region: "", cloud: "")
        }
        #expect(error.kind == .invalidConfiguration)
        #expect(error.key == "CCAF_FLINK_ENDPOINT")
        #expect(error.description.contains("only https"))
        #expect(error.description.contains("Authorization"))
    }

    @Test(arguments: ["flink.example.com", "ftp://flink.example.com", "https://flink.example.com/sql/v1", "https://user@host", "https://host:99999",
                     "https://evil.example@\u{FE0F}flink.us-east-1.aws.confluent.cloud"])
    func anOverrideThatIsNotABaseURLIsRefused(url: String) throws {
        let error = try #require(throws: ConfluentError.self) {
            try FlinkEndpoint.resolve(override: (key: "flink.endpoint", url: url), region: "us-east-1", cloud: "aws")
        }
        #expect(error.kind == .invalidConfiguration)
        #expect(error.description.contains("'flink.endpoint'"))
    }
}
