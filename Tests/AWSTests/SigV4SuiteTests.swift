@testable import AWS
import Foundation
import HTTP
import Testing

/// Runs AWS's official SigV4 test suite (shipped in botocore's source distribution, fetched by
/// `scripts/fetch-test-data`, never committed) through our signer. All 34 cases run, including
/// the 4 that botocore skips: its harness parses requests with Python's HTTP parser (which
/// rejects the space in `get-space`) and keeps query parameters in a dict (which loses the
/// repeated keys of the three `get-vanilla-query-order-*` cases); our parser has neither limit.
@Suite struct SigV4SuiteTests {
    static let accessKey = "AKIDEXAMPLE"
    static let secretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let signingTime: Int64 = 1_440_938_160  // 2015-08-30T12:36:00Z

    @Test func theWholeSuiteIsPresent() throws {
        let cases = SigV4Suite.cases()
        #expect(cases.count == 34, "expected the suite's 34 cases in \(SigV4Suite.directory); run scripts/fetch-test-data")
    }

    @Test(arguments: SigV4Suite.cases())
    func matchesTheOfficialVectors(_ testCase: SigV4Suite.Case) throws {
        var request = try testCase.request()
        let token = testCase.sessionToken
        let credentials = AWSCredentials(accessKeyId: Self.accessKey, secretAccessKey: Self.secretKey, sessionToken: token)
        let signer = SigV4Signer(service: "service", region: "us-east-1")
        let signature = signer.sign(&request, credentials: credentials, epochSeconds: Self.signingTime)

        #expect(signature.canonicalRequest == testCase.expected("creq"))
        #expect(signature.stringToSign == testCase.expected("sts"))
        #expect(signature.authorization == testCase.expected("authz"))
    }

    /// `post-sts-header-after`: the token is added once the request is signed, and stays unsigned.
    @Test func aTokenAddedAfterSigningIsNotSigned() throws {
        let testCase = try #require(SigV4Suite.cases().first { $0.name == "post-sts-token/post-sts-header-after" })
        var request = try testCase.request()
        let credentials = AWSCredentials(accessKeyId: Self.accessKey, secretAccessKey: Self.secretKey)
        SigV4Signer(service: "service", region: "us-east-1").sign(&request, credentials: credentials, epochSeconds: Self.signingTime)
        let signedRequest = try SigV4Suite.parse(testCase.expected("sreq"))
        let token = try #require(signedRequest.headers["X-Amz-Security-Token"])
        request.headers.add("X-Amz-Security-Token", token)
        #expect(request.headers["Authorization"] == signedRequest.headers["Authorization"])
    }

    /// Signers share one signing-key cache; used at once with two secrets, each signature stays its own.
    @Test func concurrentSigningWithTwoSecretsGivesEachItsOwnSignature() async throws {
        let testCase = try #require(SigV4Suite.cases().first { $0.name == "get-vanilla" })
        let secrets = [Self.secretKey, "another/secret+KEY"]
        func authorization(_ secret: String) throws -> String {
            var request = try testCase.request()
            let credentials = AWSCredentials(accessKeyId: Self.accessKey, secretAccessKey: secret)
            return SigV4Signer(service: "service", region: "us-east-1")
                .sign(&request, credentials: credentials, epochSeconds: Self.signingTime).authorization
        }
        let expected = try secrets.map(authorization)
        #expect(expected[0] == testCase.expected("authz") && expected[1] != expected[0])

        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    try (0..<200).count { round in
                        let which = (task + round) % 2
                        return try authorization(secrets[which]) != expected[which]
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}

enum SigV4Suite {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let folder: String

        var testDescription: String { name }

        func expected(_ suffix: String) -> String {
            let file = "\(folder)/\(name.split(separator: "/").last!).\(suffix)"
            return String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self)
        }

        func request() throws -> HTTPRequest { try SigV4Suite.parse(expected("req")) }

        /// The suite records a case's session token only in its canonical request (botocore's
        /// harness reads it from there too); `get-vanilla-with-session-token` has it nowhere else.
        var sessionToken: String? {
            expected("creq").split(separator: "\n").first { $0.hasPrefix("x-amz-security-token:") }
                .map { String($0.dropFirst("x-amz-security-token:".count)) }
        }
    }

    struct MalformedRequest: Error {}

    static var directory: String {
        if let configured = ProcessInfo.processInfo.environment["SIGV4_TESTSUITE_DIR"] { return configured }
        let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appending(path: ".build/testdata/aws4_testsuite").path
    }

    /// Every folder holding a `.req` file, named by its path below the suite's root.
    static func cases() -> [Case] {
        guard let entries = FileManager.default.enumerator(atPath: directory) else { return [] }
        return entries.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".req") }
            .map { relative in
                let folder = String(relative.split(separator: "/").dropLast().joined(separator: "/"))
                return Case(name: folder, folder: "\(directory)/\(folder)")
            }
            .sorted { $0.name < $1.name }
    }

    /// Parses a raw request: the request line's target is everything between the method and the
    /// final ` HTTP/1.1`; an indented line continues the previous header; the body follows a blank line.
    static func parse(_ raw: String) throws -> HTTPRequest {
        let lines = raw.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let requestLine = lines.first, let firstSpace = requestLine.firstIndex(of: " "),
              let version = requestLine.range(of: " HTTP/", options: .backwards) else { throw MalformedRequest() }
        let method = String(requestLine[..<firstSpace])
        let target = requestLine[requestLine.index(after: firstSpace)..<version.lowerBound]
        var headers = HTTPHeaders()
        var index = 1
        while index < lines.count, !lines[index].isEmpty {
            let line = lines[index]
            if line.first == " " || line.first == "\t", let last = headers.fields.last {
                headers.remove(last.name)
                var fields = headers.fields
                fields.append((last.name, last.value + "\n" + line))
                headers = HTTPHeaders(fields)
            } else if let colon = line.firstIndex(of: ":") {
                headers.add(String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " }))
            }
            index += 1
        }
        let body = index + 1 < lines.count ? lines[(index + 1)...].joined(separator: "\n") : ""
        let pathAndQuery = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query: [(name: String, value: String)] = pathAndQuery.count > 1
            ? pathAndQuery[1].split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (PercentEncoding.decode(parts[0]), parts.count > 1 ? PercentEncoding.decode(parts[1]) : "")
            }
            : []
        let host = headers["Host"] ?? "example.amazonaws.com"
        return HTTPRequest(
            method: method, endpoint: HTTPEndpoint(scheme: .https, host: host), path: String(pathAndQuery[0]),
            query: query, headers: headers, body: Array(body.utf8))
    }
}
