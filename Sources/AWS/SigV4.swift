import Digests
import HTTP
import Locking
import Text
import Timing
#if canImport(Glibc)
import Glibc
#endif

/// AWS Signature Version 4 for any request, following botocore's `SigV4Auth` for services
/// other than S3 (paths are normalised and encoded once more; the payload hash is not sent).
/// The canonical request is built as bytes, and the signing key is derived once per day,
/// region and service, as the AWS SDKs do.
public struct SigV4Signer: Sendable {
    public let service: String
    public let region: String

    /// Headers that proxies may change on the way, so they are never signed (botocore's list),
    /// grouped by length: most names are then ruled out without comparing a byte.
    static let unsignedHeaders: [[[UInt8]]] = {
        let names = [
            "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
            "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
        ]
        var byLength = [[[UInt8]]](repeating: [], count: names.map(\.utf8.count).max()! + 1)
        for name in names { byLength[name.utf8.count].append(Array(name.utf8)) }
        return byLength
    }()

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
        request.headers.reserveCapacity(request.headers.fields.count + 4)
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

    /// Computes the signature of a request whose headers are already final. Every part is
    /// written as bytes, because a client signs every attempt of every call.
    public func signature(for request: HTTPRequest, credentials: AWSCredentials, time: SigningTime) -> Signature {
        var canonical = ByteWriter(capacity: 1024)
        canonical.write(request.method)
        canonical.write(newline)
        canonical.write(Self.canonicalURI(request.path))
        canonical.write(newline)
        canonical.write(Self.canonicalQuery(request.query))
        canonical.write(newline)
        let signedHeaders = Self.writeCanonicalHeaders(request.headers, to: &canonical)
        canonical.write(newline)
        var payloadHash = SHA256.Hasher()
        payloadHash.update(request.body)
        payloadHash.finish(writingHexTo: &canonical)

        var stringToSign = ByteWriter(capacity: 160)
        stringToSign.write("AWS4-HMAC-SHA256\n")
        stringToSign.write(time.timestamp)
        stringToSign.write(newline)
        let scopeStart = stringToSign.count
        stringToSign.write(time.date)
        stringToSign.write(slash)
        stringToSign.write(region)
        stringToSign.write(slash)
        stringToSign.write(service)
        stringToSign.write("/aws4_request")
        let scope = scopeStart..<stringToSign.count
        stringToSign.write(newline)
        var canonicalHash = SHA256.Hasher()
        canonical.withBytes { canonicalHash.update(UnsafeRawBufferPointer($0)) }
        canonicalHash.finish(writingHexTo: &stringToSign)

        var authorization = ByteWriter(capacity: 256)
        authorization.write("AWS4-HMAC-SHA256 Credential=")
        authorization.write(credentials.accessKeyId)
        authorization.write(slash)
        stringToSign.withBytes(in: scope) { authorization.write($0) }
        authorization.write(", SignedHeaders=")
        canonical.withBytes(in: signedHeaders) { authorization.write($0) }
        authorization.write(", Signature=")
        let key = SigningKeyCache.shared.key(secret: credentials.secretAccessKey.value, date: time.date, region: region, service: service)
        stringToSign.withBytes { key.authenticate($0, writingHexTo: &authorization) }
        return Signature(canonicalRequest: canonical.text, stringToSign: stringToSign.text, authorization: authorization.text)
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

    /// Writes the canonical headers (lower-cased names in byte order, each `name:value\n`, values
    /// with whitespace runs folded to one space, repeated headers comma-joined in the order they
    /// appear), a newline, and the signed header list (`host;x-amz-date`), whose range it returns.
    ///
    /// Every name and value is first written into one buffer, then sorted as ranges of it, so a
    /// request's headers cost two allocations, not two per header.
    static func writeCanonicalHeaders(_ headers: HTTPHeaders, to out: inout ByteWriter) -> Range<Int> {
        var text = ByteWriter(capacity: 512)
        var fields: [(name: Range<Int>, value: Range<Int>)] = []
        fields.reserveCapacity(headers.fields.count)
        for field in headers {
            let nameStart = text.count
            text.writeLowercased(field.name)
            let valueStart = text.count
            writeFoldedWhitespace(field.value, to: &text)
            fields.append((nameStart..<valueStart, valueStart..<text.count))
        }
        return text.withBytes { text in
            func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: text[range]) }
            fields.removeAll { field in isUnsigned(bytes(field.name)) }
            // Stable, so that the values of a repeated name keep their order.
            insertionSort(&fields) { compare(bytes($0.name), bytes($1.name)) < 0 }
            func isRepeated(_ index: Int) -> Bool { index > 0 && compare(bytes(fields[index - 1].name), bytes(fields[index].name)) == 0 }
            for (index, field) in fields.enumerated() {
                if isRepeated(index) {
                    out.removeLast()  // the newline: a repeated name continues its line
                    out.write(UInt8(ascii: ","))
                } else {
                    out.write(bytes(field.name))
                    out.write(UInt8(ascii: ":"))
                }
                out.write(bytes(field.value))
                out.write(newline)
            }
            out.write(newline)
            let signedStart = out.count
            for (index, field) in fields.enumerated() where !isRepeated(index) {
                if index > 0 { out.write(UInt8(ascii: ";")) }
                out.write(bytes(field.name))
            }
            return signedStart..<out.count
        }
    }

    private static func isUnsigned(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        name.count < unsignedHeaders.count
            && unsignedHeaders[name.count].contains { unsigned in unsigned.withUnsafeBufferPointer { compare($0, name) == 0 } }
    }

    private static func insertionSort<Element>(_ elements: inout [Element], by precedes: (Element, Element) -> Bool) {
        for sorted in elements.indices.dropFirst() {
            var index = sorted
            while index > 0, precedes(elements[index], elements[index - 1]) {
                elements.swapAt(index, index - 1)
                index -= 1
            }
        }
    }

    /// Byte order, as `memcmp` gives it, with a prefix before the longer text.
    private static func compare(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int32 {
        let common = min(lhs.count, rhs.count)
        let order = common == 0 ? 0 : memcmp(lhs.baseAddress!, rhs.baseAddress!, common)
        return order != 0 ? order : Int32((lhs.count - rhs.count).signum())
    }

    /// Writes the value trimmed, with every run of whitespace inside it folded to one space, as
    /// botocore's `' '.join(value.split())` does. Values are nearly always folded already (a
    /// session token is a kilobyte of base64), so those are copied whole.
    private static func writeFoldedWhitespace(_ value: String, to out: inout ByteWriter) {
        var value = value
        value.withUTF8 { bytes in
            if isFolded(bytes) {
                out.write(bytes)
                return
            }
            var pendingSpace = false
            var wroteAny = false
            for byte in bytes {
                if isWhitespace(byte) {
                    pendingSpace = wroteAny
                } else {
                    if pendingSpace { out.write(0x20) }
                    pendingSpace = false
                    out.write(byte)
                    wroteAny = true
                }
            }
        }
    }

    private static func isFolded(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return true }
        guard first != 0x20, last != 0x20 else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            if byte <= 0x20, isWhitespace(byte), byte != 0x20 || previous == 0x20 { return false }
            previous = byte
        }
        return true
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
}

private let newline = UInt8(ascii: "\n")
private let slash = UInt8(ascii: "/")

/// The most recent signing key (an HMAC chain over the date, region and service), ready to
/// authenticate, so that a signature costs one HMAC instead of five. Keys change daily, so one
/// entry per service is enough.
final class SigningKeyCache: Sendable {
    static let shared = SigningKeyCache()

    private struct Entry {
        let secret: String
        let date: String
        let region: String
        let key: HMACSHA256.Key
    }

    private let entries = Locked<[String: Entry]>([:])

    func key(secret: String, date: String, region: String, service: String) -> HMACSHA256.Key {
        if let entry = entries.withLock({ $0[service] }), entry.secret == secret, entry.date == date, entry.region == region {
            return entry.key
        }
        var chain = HMACSHA256.authenticationCode(key: Array("AWS4\(secret)".utf8), message: date)
        for part in [region, service, "aws4_request"] {
            chain = HMACSHA256.authenticationCode(key: chain, message: part)
        }
        let key = HMACSHA256.Key(chain)
        entries.withLock { $0[service] = Entry(secret: secret, date: date, region: region, key: key) }
        return key
    }
}

/// The two renderings of the signing time: `20150830T123600Z` and `20150830`.
public struct SigningTime: Sendable {
    public let timestamp: String
    public let date: String

    public init(epochSeconds: Int64) {
        let time = UTCTime(epochMilliseconds: epochSeconds * 1000)
        timestamp = time.compactTimestamp
        date = time.compactDate
    }
}
