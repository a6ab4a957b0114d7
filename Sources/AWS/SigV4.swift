import Crypto
import HTTP
#if canImport(Glibc)
import Glibc
#endif

/// AWS Signature Version 4 for any request, following botocore's `SigV4Auth` for services
/// other than S3 (paths are normalised and encoded once more; the payload hash is not sent).
public struct SigV4Signer: Sendable {
    public let service: String
    public let region: String

    /// Headers that proxies may change on the way, so they are never signed (botocore's list).
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
    ]

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
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        let canonicalRequest = [
            request.method,
            Self.canonicalURI(request.path),
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            SHA256.hash(request.body).hexEncoded,
        ].joined(separator: "\n")
        let scope = "\(time.date)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(time.timestamp)\n\(scope)\n\(SHA256.hash(canonicalRequest.utf8).hexEncoded)"
        let key = signingKey(secret: credentials.secretAccessKey.value, date: time.date)
        let signature = HMACSHA256.authenticationCode(key: key, message: stringToSign.utf8).hexEncoded
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, authorization: authorization)
    }

    private func signingKey(secret: String, date: String) -> [UInt8] {
        var key = HMACSHA256.authenticationCode(key: Array("AWS4\(secret)".utf8), message: date.utf8)
        for part in [region, service, "aws4_request"] {
            key = HMACSHA256.authenticationCode(key: key, message: part.utf8)
        }
        return key
    }

    /// RFC 3986 dot-segment removal plus collapsing of empty segments (AWS requires both), a kept
    /// trailing slash, then percent-encoding of everything but unreserved characters and `/`.
    static func canonicalURI(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
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
        query.map { (PercentEncoding.encode($0.name), PercentEncoding.encode($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lower-cased names in byte order; values with whitespace runs folded to one space;
    /// repeated headers joined by commas in the order they appear.
    static func canonicalHeaders(_ headers: HTTPHeaders) -> (canonical: String, signed: String) {
        var values: [String: [String]] = [:]
        for field in headers {
            let name = field.name.lowercased()
            guard !unsignedHeaders.contains(name) else { continue }
            values[name, default: []].append(field.value.split(whereSeparator: isFoldableWhitespace).joined(separator: " "))
        }
        let names = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let canonical = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    private static func isFoldableWhitespace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r"
            || character == "\u{0B}" || character == "\u{0C}" || character == "\r\n"
    }
}

/// The two renderings of the signing time: `20150830T123600Z` and `20150830`.
public struct SigningTime: Sendable {
    public let timestamp: String
    public var date: String { String(timestamp.prefix(8)) }

    public init(epochSeconds: Int64) {
        var seconds = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        timestamp = pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2) + "Z"
    }
}
