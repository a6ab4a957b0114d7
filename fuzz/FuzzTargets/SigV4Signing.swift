import AWS
import Digests
import HTTP
import Text

/// Target `sigv4`: an arbitrary request through `SigV4Signer.sign`. The input is text lines:
/// the method, the path, the query (`name=value` pairs joined by `&`, not encoded), then
/// `Name: value` header lines up to an empty line, then the body. Whether a session token is
/// used, and the signing time (2015–2035), are derived from the input.
///
/// Properties: no crash; signing the same request twice gives the same canonical request and
/// Authorization; signing the signed request again (a retry) changes nothing; the Authorization
/// has SigV4's form; the canonical request has its form (method, a normalised and encoded path,
/// the query encoded and sorted with nothing lost, one `name:value` line per signed header in
/// byte order with whitespace folded, the signed header list, the body's SHA-256); the signature
/// does not depend on the order of the query, the case of header names, the whitespace around
/// and inside header values or the presence of headers SigV4 leaves unsigned, and it does
/// change when a signed header's value or a query value changes.
public func fuzzSigV4(_ data: UnsafeRawBufferPointer) {
    let target = FuzzTarget.sigV4
    let bytes = data.byteArray
    var rest = bytes[...]
    func nextLine() -> String? {
        guard !rest.isEmpty else { return nil }
        let end = rest.firstIndex(of: 0x0A) ?? rest.endIndex
        var line = rest[rest.startIndex..<end]
        rest = end == rest.endIndex ? rest[end...] : rest[(end + 1)...]
        if line.last == 0x0D { line = line.dropLast() }
        return String(decoding: line, as: UTF8.self)
    }
    let method = nextLine() ?? "GET"
    var path = nextLine() ?? "/"
    if !path.hasPrefix("/") { path = "/" + path }  // HTTPRequest paths start at the root
    let queryText = nextLine() ?? ""
    let query: [(name: String, value: String)] = queryText.isEmpty ? [] : queryText.split(separator: "&", omittingEmptySubsequences: false).map { pair in
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }
    let head = HeadAndBody(rest)
    let hash = fnv1a(bytes)
    let credentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: hash & 1 == 1 ? "FwoGZXIvYXdzEJr//////////wEaDFuzzSessionToken" : nil)
    let epochSeconds = Int64(1_420_070_400) + Int64((hash >> 1) % (20 * 366 * 86_400))
    let request = HTTPRequest(
        method: method, endpoint: HTTPEndpoint(scheme: .https, host: "service.us-east-1.amazonaws.com"),
        path: path, query: query, headers: HTTPHeaders(head.fields.map { ($0.name, $0.value) }), body: head.body)
    let signer = SigV4Signer(service: "service", region: "us-east-1")

    func sign(_ request: HTTPRequest) -> (HTTPRequest, SigV4Signer.Signature) {
        var copy = request
        let signature = signer.sign(&copy, credentials: credentials, epochSeconds: epochSeconds)
        return (copy, signature)
    }

    let (signed, signature) = sign(request)
    let (_, twice) = sign(request)
    require(twice.authorization == signature.authorization && twice.canonicalRequest == signature.canonicalRequest, target,
            "signing the same request twice gives two signatures:\n\(shown(signature.canonicalRequest))\n\(shown(twice.canonicalRequest))")
    let (resigned, again) = sign(signed)
    require(again.authorization == signature.authorization, target,
            "signing the signed request again changes its signature:\n\(shown(signature.canonicalRequest))\n\(shown(again.canonicalRequest))")
    require(headerSet(resigned.headers) == headerSet(signed.headers), target, "signing the signed request again changes its headers")
    for name in ["Authorization", "X-Amz-Date", "Host"] {
        require(signed.headers.filter { sameHeaderName($0.name, name) }.count == 1 || (name == "Host" && request.headers[name] != nil),
                target, "the signed request has \(signed.headers.filter { sameHeaderName($0.name, name) }.count) \(name) headers")
    }
    require(signed.headers["Authorization"] == signature.authorization, target, "the Authorization header is not the signature")
    if let token = credentials.sessionToken {
        require(signed.headers["X-Amz-Security-Token"] == token.value, target, "the session token header is missing")
    }

    checkAuthorization(signature.authorization, date: String(signed.headers["X-Amz-Date"]?.prefix(8) ?? ""), as: target)
    checkCanonicalRequest(signature.canonicalRequest, of: signed, as: target)

    // What must not change the signature.
    var reordered = request
    reordered.query.reverse()
    require(sign(reordered).1.authorization == signature.authorization, target, "the order of the query changes the signature")
    var recased = request
    recased.headers = HTTPHeaders(request.headers.map { (swapCase($0.name), $0.value) })
    require(sign(recased).1.authorization == signature.authorization, target, "the case of header names changes the signature")
    var padded = request
    padded.headers = HTTPHeaders(request.headers.map { ($0.name, " \t" + $0.value.replacing(" ", with: "  ") + " ") })
    require(sign(padded).1.authorization == signature.authorization, target, "whitespace in header values changes the signature")
    var unsigned = request
    unsigned.headers.add("User-Agent", "fuzz/1.0 (extra)")
    unsigned.headers.add("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")
    require(sign(unsigned).1.authorization == signature.authorization, target, "an unsigned header changes the signature")

    // What must change it.
    // (X-Amz-Date, and X-Amz-Security-Token with a session token, are set by `sign` itself.)
    let setBySigning = ["X-Amz-Date"] + (credentials.sessionToken == nil ? [] : ["X-Amz-Security-Token"])
    if let index = request.headers.fields.firstIndex(where: { field in
        !isUnsigned(field.name) && !setBySigning.contains { sameHeaderName(field.name, $0) }
    }) {
        var changed = request
        let field = request.headers.fields[index]
        changed.headers = HTTPHeaders(request.headers.fields.enumerated().map { $0.offset == index ? (field.name, field.value + "x") : ($0.element.name, $0.element.value) })
        require(sign(changed).1.authorization != signature.authorization, target, "the value of the signed header \(shown(field.name)) is not covered")
    }
    if !request.query.isEmpty {
        var changed = request
        changed.query[0].value += "x"
        require(sign(changed).1.authorization != signature.authorization, target, "a query value is not covered")
    }
}

private let unsignedNames: Set<String> = [
    "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
    "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
]

/// The header fields regardless of their order (re-signing moves `X-Amz-Date` to the end).
private func headerSet(_ headers: HTTPHeaders) -> [String] {
    headers.map { asciiLowercased($0.name) + "\u{0}" + $0.value }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}

private func isUnsigned(_ name: String) -> Bool { unsignedNames.contains(asciiLowercased(name)) }

private func asciiLowercased(_ text: String) -> String {
    String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
}

private func swapCase(_ text: String) -> String {
    String(decoding: text.utf8.map { byte in
        (0x41...0x5A).contains(byte) ? byte + 0x20 : (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
    }, as: UTF8.self)
}

private func sameHeaderName(_ lhs: String, _ rhs: String) -> Bool { asciiLowercased(lhs).utf8.elementsEqual(asciiLowercased(rhs).utf8) }

private func isHex(_ byte: UInt8, upper: Bool) -> Bool {
    (0x30...0x39).contains(byte) || (upper ? (0x41...0x46).contains(byte) : (0x61...0x66).contains(byte))
}

/// Only unreserved characters, `extra`, and `%XX` escapes with upper-case hex digits.
private func isEncoded(_ text: some StringProtocol, keeping extra: Set<UInt8> = []) -> Bool {
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "%") {
            guard index + 2 < bytes.count, isHex(bytes[index + 1], upper: true), isHex(bytes[index + 2], upper: true) else { return false }
            index += 3
            continue
        }
        let unreserved = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~")
        guard unreserved || extra.contains(byte) else { return false }
        index += 1
    }
    return true
}

private func checkAuthorization(_ authorization: String, date: String, as target: FuzzTarget) {
    let prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\(date)/us-east-1/service/aws4_request, SignedHeaders="
    let bytes = Array(authorization.utf8), marker = Array(", Signature=".utf8)
    guard date.utf8.count == 8, date.utf8.allSatisfy({ (0x30...0x39).contains($0) }), startsWith(authorization, prefix),
          bytes.count >= marker.count + 64, Array(bytes[(bytes.count - 64 - marker.count)..<(bytes.count - 64)]) == marker else {
        violated(target, "the Authorization \(shown(authorization)) is not SigV4's")
    }
    let signature = bytes.suffix(64)
    require(signature.allSatisfy { isHex($0, upper: false) }, target,
            "the signature \(shown(authorization)) does not end in 64 lower-case hex digits")
}

private func checkCanonicalRequest(_ canonical: String, of request: HTTPRequest, as target: FuzzTarget) {
    let lines = canonical.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    func fail(_ problem: String) -> Never { violated(target, "\(problem) in the canonical request\n\(shown(canonical, limit: 2000))") }

    // The headers SigV4 signs: lower-cased names in byte order, values folded, repeats joined.
    var expected: [(name: [UInt8], value: [UInt8])] = []
    for field in request.headers where !isUnsigned(field.name) {
        let name = Array(asciiLowercased(field.name).utf8)
        let value = foldWhitespace(Array(field.value.utf8))
        if let index = expected.firstIndex(where: { $0.name == name }) {
            expected[index].value += [UInt8(ascii: ",")] + value
        } else {
            expected.append((name, value))
        }
    }
    expected.sort { $0.name.lexicographicallyPrecedes($1.name) }

    guard lines.count == 6 + expected.count else { fail("\(lines.count) lines for \(expected.count) signed headers") }
    guard lines[0] == request.method else { fail("the method is not \(shown(request.method))") }

    let uri = lines[1]
    guard isEncoded(uri, keeping: [UInt8(ascii: "/")]), startsWith(uri, "/") else { fail("the path \(shown(uri)) is not encoded") }
    let decoded = PercentEncoding.decode(uri)
    let segments = decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
    guard !segments.dropLast().contains(where: \.isEmpty), !segments.contains(where: { $0 == "." || $0 == ".." }) else {
        fail("the path \(shown(uri)) is not normalised")
    }
    // Normalising is idempotent: the normalised path, as a request path, gives the same line.
    var normalised = request
    normalised.path = String(decoded)
    normalised.headers.remove("Authorization")
    let renormalised = SigV4Signer(service: "service", region: "us-east-1").signature(
        for: normalised, credentials: AWSCredentials(accessKeyId: "A", secretAccessKey: "S"), time: SigningTime(epochSeconds: 0))
    guard renormalised.canonicalRequest.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).dropFirst().first
            .map({ String(decoding: $0, as: UTF8.self) }) == uri else {
        fail("normalising the path \(shown(decoded)) again gives another path")
    }

    let query = lines[2]
    let pairs = query.isEmpty ? [] : query.split(separator: "&", omittingEmptySubsequences: false).map(String.init)
    guard pairs.count == request.query.count else { fail("\(pairs.count) query pairs for \(request.query.count)") }
    var readBack: [[UInt8]] = []
    for pair in pairs {
        let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2, isEncoded(parts[0]), isEncoded(parts[1]) else { fail("the query pair \(shown(pair)) is not encoded") }
        readBack.append(Array(PercentEncoding.decode(parts[0]).utf8) + [0] + Array(PercentEncoding.decode(parts[1]).utf8))
    }
    guard zip(pairs, pairs.dropFirst()).allSatisfy({ !pairOrder($1, $0) }) else { fail("the query is not sorted") }
    let original = request.query.map { Array($0.name.utf8) + [0] + Array($0.value.utf8) }
    guard readBack.sorted(by: { $0.lexicographicallyPrecedes($1) }) == original.sorted(by: { $0.lexicographicallyPrecedes($1) }) else {
        fail("the query does not hold the request's parameters")
    }

    for (offset, header) in expected.enumerated() {
        guard Array(lines[3 + offset].utf8) == header.name + [UInt8(ascii: ":")] + header.value else {
            fail("line \(4 + offset) is not the header \(shown(String(decoding: header.name, as: UTF8.self)))")
        }
    }
    guard lines[3 + expected.count].isEmpty else { fail("no empty line after the headers") }
    let signedList = expected.map { String(decoding: $0.name, as: UTF8.self) }.joined(separator: ";")
    guard lines[4 + expected.count] == signedList else { fail("the signed header list is not \(shown(signedList))") }
    guard lines[5 + expected.count] == SHA256.hash(request.body).hexEncoded else { fail("the payload hash is not the body's") }
}

/// SigV4's rule for header values: trimmed, inner runs of whitespace (space, HT, LF, VT, FF,
/// CR) folded to one space.
private func foldWhitespace(_ value: [UInt8]) -> [UInt8] {
    value.split(whereSeparator: { $0 == 0x20 || (0x09...0x0D).contains($0) }).map(Array.init).joined(separator: [0x20]).map { $0 }
}

/// The order of encoded query pairs: by name, then by value, byte by byte.
private func pairOrder(_ lhs: String, _ rhs: String) -> Bool {
    let l = lhs.split(separator: "=", omittingEmptySubsequences: false), r = rhs.split(separator: "=", omittingEmptySubsequences: false)
    if l[0] != r[0] { return l[0].utf8.lexicographicallyPrecedes(r[0].utf8) }
    return l[1].utf8.lexicographicallyPrecedes(r[1].utf8)
}
