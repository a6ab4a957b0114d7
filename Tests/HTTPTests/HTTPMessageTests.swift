import HTTP
import Testing

@Suite struct HTTPEndpointTests {
    @Test(arguments: [
        ("https://secretsmanager.us-east-1.amazonaws.com", "https", "secretsmanager.us-east-1.amazonaws.com", nil as Int?, "secretsmanager.us-east-1.amazonaws.com"),
        ("http://127.0.0.1:4566/", "http", "127.0.0.1", 4566, "127.0.0.1:4566"),
        ("HTTPS://flink.us-east-1.aws.confluent.cloud:443", "https", "flink.us-east-1.aws.confluent.cloud", 443, "flink.us-east-1.aws.confluent.cloud"),
        ("http://[::1]:9001", "http", "[::1]", 9001, "[::1]:9001"),
        ("http://localhost", "http", "localhost", nil, "localhost"),
    ])
    func parsesBaseURLs(url: String, scheme: String, host: String, port: Int?, hostHeader: String) throws {
        let endpoint = try HTTPEndpoint(parsing: url)
        #expect(endpoint.scheme.rawValue == scheme)
        #expect(endpoint.host == host)
        #expect(endpoint.port == port)
        #expect(endpoint.hostHeader == hostHeader)
    }

    @Test(arguments: [
        ("ftp://host", "it must start with http:// or https://"),
        ("host:80", "it must start with http:// or https://"),
        ("https://", "it has no host"),
        ("https://host/path", "only scheme://host[:port] is allowed"),
        ("https://user@host", "only scheme://host[:port] is allowed"),
        ("https://host:99999", "the port must be a number from 1 to 65535"),
        ("https://host:abc", "the port must be a number from 1 to 65535"),
        ("https://ho st", "only scheme://host[:port] is allowed"),
        ("https://host:+80", "the port must be a number from 1 to 65535"),
        // Found by fuzzing: a combining mark or variation selector made `/` and `@` part of
        // one larger character, which the character-wise check let through into the host.
        ("https://evil.example@\u{FE0F}flink.us-east-1.aws.confluent.cloud", "only scheme://host[:port] is allowed"),
        ("https://host/\u{301}path", "only scheme://host[:port] is allowed"),
        ("https://hos\u{0}t", "only scheme://host[:port] is allowed"),
        ("https://bücher.example", "only scheme://host[:port] is allowed"),
        ("https://[::1", "only scheme://host[:port] is allowed"),
        ("https://[fe80::1%25eth0]", "only scheme://host[:port] is allowed"),
    ])
    func refusesAnythingElseSayingWhy(url: String, reason: String) {
        let error = #expect(throws: HTTPEndpoint.InvalidURL.self) { try HTTPEndpoint(parsing: url) }
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func knowsLoopbackAddresses() throws {
        #expect(try HTTPEndpoint(parsing: "http://127.0.0.1:9001").isLoopback)
        #expect(try HTTPEndpoint(parsing: "http://localhost:1").isLoopback)
        #expect(try HTTPEndpoint(parsing: "http://[::1]:1").isLoopback)
        #expect(try !HTTPEndpoint(parsing: "https://ssm.us-east-1.amazonaws.com").isLoopback)
        #expect(try HTTPEndpoint(parsing: "http://127.255.0.1").isLoopback)
    }

    /// Found by fuzzing: any host starting with `127.` was taken for loopback, so plain http
    /// (and no proxy) was allowed to a DNS name such as `127.attacker.example`.
    @Test(arguments: ["127.attacker.example", "127.0.0.1.nip.io", "127.0.0.256", "127.0.0", "127..0.1", "127.0.0.01x", "localhost.example", "[::2]"])
    func takesOnlyLoopbackLiteralsForLoopback(host: String) throws {
        #expect(try !HTTPEndpoint(parsing: "http://\(host)").isLoopback)
    }

    @Test func splitsAFullURLIntoEndpointAndPath() throws {
        let (endpoint, path) = try HTTPEndpoint.split(url: "http://169.254.170.2/v2/credentials/abc?x=1")
        #expect(endpoint.hostHeader == "169.254.170.2")
        #expect(path == "/v2/credentials/abc?x=1")
        #expect(try HTTPEndpoint.split(url: "http://host:8080").path == "/")
        #expect(try HTTPEndpoint.split(url: "http://host?\u{301}x").path == "/?\u{301}x")
        #expect(throws: HTTPEndpoint.InvalidURL.self) { try HTTPEndpoint.split(url: "http://user@\u{301}host/x") }
    }
}

@Suite struct HTTPHeadersTests {
    @Test func namesCompareWithoutRegardToCase() {
        var headers = HTTPHeaders([("Content-Type", "a"), ("X-Amz-Date", "1")])
        #expect(headers["content-type"] == "a")
        headers.set("x-amz-date", "2")
        #expect(headers.fields.map(\.name) == ["Content-Type", "x-amz-date"])
        headers.remove("CONTENT-TYPE")
        #expect(headers["Content-Type"] == nil)
        #expect(headers["x-amz-dat"] == nil)
    }

    @Test func readsResponseHeadLinesAsLibcurlHandsThemOver() {
        var headers = HTTPHeaders()
        for line in ["HTTP/1.1 100 Continue\r\n", "X-Early: 1\r\n", "\r\n", "HTTP/1.1 200 OK\r\n",
                     "Retry-After: 2\n", "Lambda-Runtime-Aws-Request-Id:\tabc \r", "X-Colon: a:b\r\n", "no colon\r\n", "\r\n"] {
            headers.append(headerLine: line)
        }
        // A bare LF or CR ends a line too: it must not stay in the value.
        #expect(headers.fields.map { "\($0.name)=\($0.value)" } == ["Retry-After=2", "Lambda-Runtime-Aws-Request-Id=abc", "X-Colon=a:b"])
    }
}

@Suite struct PercentEncodingTests {
    @Test func leavesOnlyUnreservedCharacters() {
        #expect(PercentEncoding.encode("a-z_A.Z~0 9/é+=&") == "a-z_A.Z~0%209%2F%C3%A9%2B%3D%26")
        #expect(PercentEncoding.encode("a/b c", keeping: [UInt8(ascii: "/")]) == "a/b%20c")
    }

    @Test func decodesEscapesAndKeepsMalformedOnes() {
        #expect(PercentEncoding.decode("%E1%88%B4=x%2") == "ሴ=x%2")
        #expect(PercentEncoding.decode("100%") == "100%")
        // Signs are not digits, though UInt8(_:radix:) would take them.
        #expect(PercentEncoding.decode("%+f%-0%4g%4") == "%+f%-0%4g%4")
    }
}
