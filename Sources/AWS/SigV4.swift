import Digests
import HTTP
import Locking
#if canImport(Glibc)
import Glibc
import Timing
import Text
#endif

/// AWS Signature Version 4 for any request, following botocore's `SigV4Auth` for services
/// other than S3 (paths are normalised and encoded once more; the payload hash is not sent).
/// The canonical request is built as bytes, and the signing key is derived once per day,
/// region and service, as the AWS SDKs do.
public struct SigV4Signer: Sendable {
    public let service: String
    public let region: String

    /// Headers that proxies may change on the way, so they are never signed (botocore's list).
    static let unsignedHeaders: [[UInt8]] = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
    ].map { Array($0.utf8) }

    public init(service: String, region: String) {
        self.service = service
        self.region = region
    }

    /// The intermediate results, exposed for tests against the official suite.
    public struct Signature: Sendable {
        public let canonicalRequest: String
        public let stringToSign: String
        public let authorization: String
    }

    /// Signs `request` in place: sets `X-Amz-Date`, `X-Amz-Security-Token` when there is a
    /// session token, a `Host` header when there is none, and replaces any earlier `Authorization`,
    /// so the same request can be signed again before each retry.
    @discardableResult
    public func sign(_ request: inout HTTPRequest, credentials: AWSCredentials, epochSeconds: Int64) -> Signature {
        let time = SigningTime(epochSeconds: epochSeconds)
        request.headers.remove("Authorization")
        request.headers.set("X-Amz-Date", time.timestamp)
        if let token = credentials.sessionToken {
            request.headers.set("X-Amz-Security-Token", token.value)
        }
        if request.headers["Host"] == nil {
            request.headers.add("Host", request.endpoint.hostHeader)
        }
        let signature = signature(for: request, credentials: credentials, time: time)
        request.headers.add("Authorization", signature.authorization)
        return signature
    }

    /// Computes the signature of a request whose headers are already final.
    public func signature(for request: HTTPRequest, credentials: AWSCredentials, time: SigningTime) -> Signature {
        var canonical: [UInt8] = []
        canonical.reserveCapacity(512)
        canonical += request.method.utf8
        canonical.append(newline)
        canonical += Self.canonicalURI(request.path).utf8
        canonical.append(newline)
        canonical += Self.canonicalQuery(request.query).utf8
        canonical.append(newline)
        let signedHeaders = Self.appendCanonicalHeaders(request.headers, to: &canonical)
        canonical.append(newline)
        canonical += signedHeaders
        canonical.append(newline)
        canonical += SHA256.hash(request.body).hexEncoded.utf8

        let scope = "\(time.date)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(time.timestamp)\n\(scope)\n\(SHA256.hash(canonical).hexEncoded)"
        let key = SigningKeyCache.shared.key(secret: credentials.secretAccessKey.value, date: time.date, region: region, service: service)
        let signature = HMACSHA256.authenticationCode(key: key, message: stringToSign).hexEncoded
        let signedHeaderList = String(decoding: signedHeaders, as: UTF8.self)
        return Signature(
            canonicalRequest: String(decoding: canonical, as: UTF8.self), stringToSign: stringToSign,
            authorization: "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaderList), Signature=\(signature)")
    }

    /// RFC 3986 dot-segment removal plus collapsing of empty segments (AWS requires both), a kept
    /// trailing slash, then percent-encoding of everything but unreserved characters and `/`.
    static func canonicalURI(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        if path == "/" { return path }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        var normalized = path.hasPrefix("/") ? "/" : ""
        normalized += segments.joined(separator: "/")
        if path.hasSuffix("/"), !segments.isEmpty { normalized += "/" }
        return PercentEncoding.encode(normalized, keeping: [UInt8(ascii: "/")])
    }

    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        guard !query.isEmpty else { return "" }
        return query.map { (PercentEncoding.encode($0.name), PercentEncoding.encode($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Appends the canonical headers (lower-cased names in byte order, each `name:value\n`, values
    /// with whitespace runs folded to one space, repeated headers comma-joined in the order they
    /// appear) and returns the signed header list (`host;x-amz-date`).
    static func appendCanonicalHeaders(_ headers: HTTPHeaders, to out: inout [UInt8]) -> [UInt8] {
        var byName: [(name: [UInt8], values: [[UInt8]])] = []
        for field in headers {
            var name = Array(field.name.utf8)
            for index in name.indices where (0x41...0x5A).contains(name[index]) { name[index] += 0x20 }
            guard !unsignedHeaders.contains(name) else { continue }
            let value = foldedWhitespace(field.value)
            if let index = byName.firstIndex(where: { $0.name == name }) {
                byName[index].values.append(value)
            } else {
                byName.append((name, [value]))
            }
        }
        byName.sort { $0.name.lexicographicallyPrecedes($1.name) }
        var signed: [UInt8] = []
        for (index, header) in byName.enumerated() {
            out += header.name
            out.append(UInt8(ascii: ":"))
            for (position, value) in header.values.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                out += value
            }
            out.append(newline)
            if index > 0 { signed.append(UInt8(ascii: ";")) }
            signed += header.name
        }
        return signed
    }

    /// Trims the value and folds every run of whitespace inside it to one space, as botocore's
    /// `' '.join(value.split())` does.
    private static func foldedWhitespace(_ value: String) -> [UInt8] {
        var value = value
        return value.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var pendingSpace = false
            for byte in bytes {
                if byte == 0x20 || (0x09...0x0D).contains(byte) {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(0x20) }
                    pendingSpace = false
                    out.append(byte)
                }
            }
            return out
        }
    }
}

private let newline = UInt8(ascii: "\n")

/// The most recent signing key (an HMAC chain over the date, region and service), so that a
/// signature costs one HMAC instead of five. Keys change daily, so one entry per service is enough.
final class SigningKeyCache: Sendable {
    static let shared = SigningKeyCache()

    private struct Entry {
        let secret: String
        let date: String
        let region: String
        let key: [UInt8]
    }

    private let entries = Locked<[String: Entry]>([:])

    func key(secret: String, date: String, region: String, service: String) -> [UInt8] {
        if let entry = entries.withLock({ $0[service] }), entry.secret == secret, entry.date == date, entry.region == region {
            return entry.key
        }
        var key = HMACSHA256.authenticationCode(key: Array("AWS4\(secret)".utf8), message: date)
        for part in [region, service, "aws4_request"] {
            key = HMACSHA256.authenticationCode(key: key, message: part)
        }
        entries.withLock { $0[service] = Entry(secret: secret, date: date, region: region, key: key) }
        return key
    }
}

/// The two renderings of the signing time: `20150830T123600Z` and `20150830`.
public struct SigningTime: Sendable {
    public let timestamp: String
    public var date: String { String(timestamp.prefix(8)) }

    public init(epochSeconds: Int64) {
        timestamp = UTCTime(epochMilliseconds: epochSeconds * 1000).compactTimestamp
    }
}
