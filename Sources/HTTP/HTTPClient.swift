import CCurl
import Timing

/// A failure to get any HTTP response at all. An HTTP error status is not an `HTTPError`: it is
/// a response, and the caller decides what it means.
public struct HTTPError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The connection could not be made (refused, unreachable, DNS, TLS handshake).
        case connectionFailed
        /// The request's timeout passed before the response was complete.
        case timedOut
        /// The peer closed or reset the connection, or sent something that is not HTTP.
        case connectionLost
        /// The response body passed the client's size limit.
        case responseTooLarge
        /// Anything else libcurl reported.
        case other
    }

    public let kind: Kind
    public let method: String
    public let endpoint: String
    public let detail: String

    public var description: String { "\(method) \(endpoint): \(detail)" }
}

/// A blocking HTTP/1.1 client over one reused libcurl easy handle, so connections are kept
/// alive between requests. Not thread-safe: give each thread its own client.
public final class HTTPClient {
    /// Bodies larger than this are refused, so a misbehaving peer cannot exhaust memory.
    public static let defaultMaximumResponseSize = 16 * 1024 * 1024

    private let handle: UnsafeMutableRawPointer
    private let userAgent: String
    private let maximumResponseSize: Int

    public init(userAgent: String, maximumResponseSize: Int = HTTPClient.defaultMaximumResponseSize) {
        CurlLibrary.initializeOnce()
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        self.handle = handle
        self.userAgent = userAgent
        self.maximumResponseSize = maximumResponseSize
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    public func send(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        // reset() forgets the previous request's options but keeps live connections.
        curl_easy_reset(handle)
        let sink = ResponseSink(limit: maximumResponseSize)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for line in headerLines(for: request) {
            headerList = curl_slist_append(headerList, line)
        }

        let code: CURLcode = request.body.withUnsafeBytes { body in
            setOption(CURLOPT_URL, request.url)
            setOption(CURLOPT_NOSIGNAL, 1)
            setOption(CURLOPT_TCP_NODELAY, 1)
            setOption(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
            setOption(CURLOPT_PROTOCOLS_STR, "http,https")
            setOption(CURLOPT_SSL_VERIFYPEER, 1)
            setOption(CURLOPT_SSL_VERIFYHOST, 2)
            setOption(CURLOPT_FOLLOWLOCATION, 0)
            setOption(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.wholeMilliseconds)
            setOption(CURLOPT_TIMEOUT_MS, request.timeout.map { max(1, $0.wholeMilliseconds) } ?? 0)
            if request.endpoint.isLoopback { setOption(CURLOPT_PROXY, "") }
            if request.requiresFreshConnection { setOption(CURLOPT_FRESH_CONNECT, 1) }
            ccurl_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList)
            ccurl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, receiveBody)
            ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer)
            ccurl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, receiveHeader)
            ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, sinkPointer)
            switch request.method {
            case "GET":
                setOption(CURLOPT_HTTPGET, 1)
            case "HEAD":
                setOption(CURLOPT_NOBODY, 1)
            default:
                setOption(CURLOPT_CUSTOMREQUEST, request.method)
                if !request.body.isEmpty || request.method != "DELETE" {
                    ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                    // A zero-length body still needs a non-null pointer, or libcurl reads from stdin.
                    ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, body.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start))
                }
            }
            return curl_easy_perform(handle)
        }

        guard code == CURLE_OK else {
            throw HTTPError(
                kind: sink.overflowed ? .responseTooLarge : Self.kind(of: code),
                method: request.method, endpoint: request.endpoint.description,
                detail: sink.overflowed ? "the response body is larger than \(maximumResponseSize) bytes"
                    : "\(String(cString: curl_easy_strerror(code))) (curl error \(code.rawValue))")
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    /// The caller's headers plus the ones libcurl would otherwise add or change on its own.
    private func headerLines(for request: HTTPRequest) -> [String] {
        var headers = request.headers
        // An empty value tells libcurl not to send its default: no 100-continue round trip,
        // no `Accept: */*` that a signature would not cover.
        if headers["Expect"] == nil { headers.add("Expect", "") }
        if headers["Accept"] == nil { headers.add("Accept", "") }
        if headers["Transfer-Encoding"] == nil { headers.add("Transfer-Encoding", "") }
        if headers["User-Agent"] == nil { headers.add("User-Agent", userAgent) }
        if request.method != "GET", request.method != "HEAD", headers["Content-Type"] == nil {
            headers.add("Content-Type", "")
        }
        return headers.map { field in field.value.isEmpty ? "\(field.name):" : "\(field.name): \(field.value)" }
    }

    @discardableResult
    private func setOption(_ option: CURLoption, _ value: Int) -> CURLcode {
        ccurl_setopt_long(handle, option, value)
    }

    @discardableResult
    private func setOption(_ option: CURLoption, _ value: String) -> CURLcode {
        // libcurl copies string options (since 7.17), so the temporary C string may go.
        ccurl_setopt_string(handle, option, value)
    }

    private static func kind(of code: CURLcode) -> HTTPError.Kind {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY,
             CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            return .connectionFailed
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE,
             CURLE_WEIRD_SERVER_REPLY:
            return .connectionLost
        default:
            return .other
        }
    }
}


/// Collects one response; libcurl calls into it from `curl_easy_perform` on the same thread.
private final class ResponseSink {
    let limit: Int
    var body: [UInt8] = []
    var headers = HTTPHeaders()
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    func append(body chunk: UnsafeRawBufferPointer) -> Bool {
        guard body.count + chunk.count <= limit else {
            overflowed = true
            return false
        }
        body.append(contentsOf: chunk)
        return true
    }
}

private let receiveBody: ccurl_data_callback = { data, size, count, context in
    let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard let data else { return length }
    return sink.append(body: UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private let receiveHeader: ccurl_data_callback = { data, size, count, context in
    let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard let data else { return length }
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    sink.headers.append(headerLine: line)
    return length
}

enum CurlLibrary {
    /// curl_global_init is not thread-safe; a lazily initialised global runs it exactly once.
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    static func initializeOnce() {
        precondition(initialized, "curl_global_init failed")
    }
}
