import Text

/// The scheme, host and port that requests are sent to, parsed from a base URL such as
/// `https://secretsmanager.us-east-1.amazonaws.com` or `http://127.0.0.1:4566`.
public struct HTTPEndpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case http, https }

    public let scheme: Scheme
    /// Host name or IP address; an IPv6 address keeps its brackets (`[::1]`).
    public let host: String
    public let port: Int?

    public struct InvalidURL: Error, CustomStringConvertible {
        public let url: String
        public let reason: String
        public var description: String { "invalid endpoint URL '\(url)': \(reason)" }
    }

    public init(scheme: Scheme, host: String, port: Int? = nil) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Accepts `scheme://host[:port]` with an optional trailing `/`; anything else is refused
    /// rather than guessed at, because these strings come from configuration. The host is a DNS
    /// name or IPv4 address in ASCII (`A-Z a-z 0-9 . - _`) or a bracketed IPv6 address; checking
    /// bytes rather than characters means a combining mark cannot hide a `/` or an `@`.
    public init(parsing url: String) throws(InvalidURL) {
        guard let separator = url.firstRange(ofScalars: "://"), let scheme = Scheme(rawValue: url[..<separator.lowerBound].lowercased()) else {
            throw InvalidURL(url: url, reason: "it must start with http:// or https://")
        }
        var authority = Array(url[separator.upperBound...].utf8)
        if authority.last == UInt8(ascii: "/") { authority.removeLast() }
        guard !authority.isEmpty else { throw InvalidURL(url: url, reason: "it has no host") }
        var host = authority[...]
        var port: Int?
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")), !authority[colon...].contains(UInt8(ascii: "]")) {
            host = authority[..<colon]
            let digits = authority[(colon + 1)...]
            guard (1...5).contains(digits.count), digits.allSatisfy(Self.isDigit),
                  let value = Int(String(decoding: digits, as: UTF8.self)), (1...65535).contains(value) else {
                throw InvalidURL(url: url, reason: "the port must be a number from 1 to 65535")
            }
            port = value
        }
        guard !host.isEmpty else { throw InvalidURL(url: url, reason: "it has no host") }
        guard Self.isHostName(host) || Self.isBracketedIPv6(host) else {
            throw InvalidURL(
                url: url, reason: "only scheme://host[:port] is allowed (no path, query, user or spaces), with a host of "
                    + "ASCII letters, digits, '.', '-' and '_', or an IPv6 address in brackets")
        }
        self.init(scheme: scheme, host: String(decoding: host, as: UTF8.self), port: port)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    private static func isHostName(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { byte in
            isDigit(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    private static func isBracketedIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count > 2, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else { return false }
        return bytes.dropFirst().dropLast().allSatisfy { byte in
            isDigit(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
                || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
        }
    }

    /// The `Host` header value: the port appears only when it is not the scheme's default.
    public var hostHeader: String {
        guard let port, port != (scheme == .https ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    /// True for addresses that never go through a proxy (the Runtime API, local emulators):
    /// `localhost`, `[::1]` and the IPv4 addresses 127.x.y.z written out in full, so that a
    /// name such as `127.example.com` is not taken for one.
    public var isLoopback: Bool {
        if host == "localhost" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { octet in (1...3).contains(octet.utf8.count) && octet.utf8.allSatisfy(Self.isDigit) && Int(octet)! <= 255 }
    }

    public var description: String { "\(scheme.rawValue)://\(hostHeader)" }
}

/// Header fields in the order they were added; names compare case-insensitively.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(String, String)] = []) {
        for (name, value) in fields { add(name, value) }
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// Replaces every field of that name with one field.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    /// Takes one line of a response head as libcurl hands it over, terminator included: a
    /// status line (a new one follows `100 Continue`) starts a new block, `name: value` adds a field.
    package mutating func append(headerLine line: String) {
        if line.utf8.starts(with: "HTTP/".utf8) {
            self = HTTPHeaders()
        } else if let colon = line.unicodeScalars.firstIndex(of: ":") {
            add(String(line.unicodeScalars[..<colon]).trimmed(" \t"),
                String(line.unicodeScalars[line.unicodeScalars.index(after: colon)...]).trimmed())
        }
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { Self.sameName($0.name, name) }
    }

    /// The first value of the named field.
    public subscript(name: String) -> String? {
        fields.first { Self.sameName($0.name, name) }?.value
    }

    /// Header names are ASCII and case-insensitive; compared byte by byte, without allocating.
    static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        func lowercased(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }
        return lhs.utf8.count == rhs.utf8.count && lhs.utf8.elementsEqual(rhs.utf8) { lowercased($0) == lowercased($1) }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0 == $1 }
    }
}

public struct HTTPRequest: Sendable {
    public var method: String
    public var endpoint: HTTPEndpoint
    /// The path as it goes on the wire, already percent-encoded (`/` for the root).
    public var path: String
    /// Query parameters, not yet encoded: they are encoded with RFC 3986 unreserved characters left alone.
    public var query: [(name: String, value: String)]
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Time allowed to set up the TCP (and TLS) connection.
    public var connectTimeout: Duration
    /// Time allowed for the whole exchange; `nil` waits for ever (the Runtime API's long poll).
    public var timeout: Duration?
    /// Send on a new connection. libcurl silently sends a request again when a kept-alive
    /// connection turns out to be dead; a request that must go out exactly once (a create whose
    /// lost answer is reconciled by the caller) opts out of reuse so that never happens.
    public var requiresFreshConnection = false

    public init(
        method: String, endpoint: HTTPEndpoint, path: String = "/", query: [(name: String, value: String)] = [],
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        connectTimeout: Duration = .seconds(3), timeout: Duration? = .seconds(30)
    ) {
        self.method = method
        self.endpoint = endpoint
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// Path and encoded query, as in the request line.
    public var target: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(PercentEncoding.encode($0.name))=\(PercentEncoding.encode($0.value))" }.joined(separator: "&")
    }

    public var url: String { endpoint.description + target }
}

public struct HTTPResponse: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: [UInt8]

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// RFC 3986 percent-encoding with only the unreserved characters left as they are, the rule
/// both SigV4 and query strings use.
public enum PercentEncoding {
    public static func encode(_ text: some StringProtocol, keeping extra: Set<UInt8> = []) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || extra.contains(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(Hex.digit(byte >> 4, uppercase: true))
                out.append(Hex.digit(byte & 0x0f, uppercase: true))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` escapes; a malformed escape is kept literally.
    public static func decode(_ text: some StringProtocol) -> String {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = Hex.value(ofDigit: bytes[index + 1]), let low = Hex.value(ofDigit: bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
             UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}

extension HTTPEndpoint {
    /// Splits a full URL such as `http://127.0.0.1:8080/2021-04-23/credentials` into its
    /// endpoint and its path (with any query), for the few URLs that configuration gives whole.
    public static func split(url: String) throws(InvalidURL) -> (HTTPEndpoint, path: String) {
        guard let separator = url.firstRange(ofScalars: "://") else { throw InvalidURL(url: url, reason: "it must start with http:// or https://") }
        let rest = url[separator.upperBound...]
        let pathStart = rest.unicodeScalars.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let endpoint = try HTTPEndpoint(parsing: String(url.unicodeScalars[..<pathStart]))
        let path = String(rest.unicodeScalars[pathStart...])
        return (endpoint, path.isEmpty ? "/" : (path.unicodeScalars.first == "?" ? "/" + path : path))
    }
}
