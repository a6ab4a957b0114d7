import Dispatch
import Locking
#if canImport(Glibc)
import Glibc
import Text
#endif

/// An HTTP/1.1 server on a loopback port that answers every request with the same bytes, set
/// before each fuzz input: the peer the real clients (libcurl, header parsing, retries, error
/// bodies) talk to in the `client-responses` target. One connection at a time, closed after
/// each answer. Requests are read whole (head and `Content-Length` body) before answering, so
/// that closing never resets a connection the client is still writing to.
final class LoopbackPeer: Sendable {
    static let shared = LoopbackPeer()

    let port: Int
    private let listener: Int32
    private let answer = Locked<[UInt8]>([])
    private let requests = Locked<[[UInt8]]>([])

    private init() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket() failed")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        precondition(bound, "could not listen on a loopback port")
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        DispatchQueue(label: "fuzz-loopback-peer").async { [self] in
            while true {
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else { continue }
                serve(connection)
                close(connection)
            }
        }
    }

    /// The bytes every following request is answered with (a whole HTTP response).
    func answer(with response: [UInt8]) {
        answer.withLock { $0 = response }
        requests.withLock { $0.removeAll() }
    }

    /// The requests received since the last `answer(with:)`, head and body.
    var received: [[UInt8]] { requests.withLock { $0 } }

    private func serve(_ connection: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var expected: Int?
        while expected.map({ request.count < $0 }) ?? true {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            request += buffer[0..<count]
            if expected == nil, let end = Self.headEnd(request) {
                expected = end + Self.contentLength(request[0..<end])
            }
        }
        requests.withLock { $0.append(request) }
        let response = answer.withLock { $0 }
        var sent = 0
        while sent < response.count {
            let count = response.withUnsafeBytes { send(connection, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            sent += count
        }
        shutdown(connection, Int32(SHUT_WR))
    }

    /// The index just past the `\r\n\r\n` that ends the request head.
    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 0x0D && bytes[index + 1] == 0x0A && bytes[index + 2] == 0x0D && bytes[index + 3] == 0x0A {
            return index + 4
        }
        return nil
    }

    private static func contentLength(_ head: ArraySlice<UInt8>) -> Int {
        let text = String(decoding: head, as: UTF8.self).lowercased()
        for line in text.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            return Int(line.dropFirst("content-length:".count).trimmingPrefix(" ")) ?? 0
        }
        return 0
    }

    /// A response from fuzz input: the status (200–599), header lines sent as they are except
    /// those that frame the message (which the peer sets itself), and the body.
    static func response(status: Int, headerLines: [ArraySlice<UInt8>], body: [UInt8]) -> [UInt8] {
        var out = Array("HTTP/1.1 \(status) Fuzzed\r\n".utf8)
        for line in headerLines {
            let name = String(decoding: line.prefix { $0 != UInt8(ascii: ":") }, as: UTF8.self).trimmed(" \t").lowercased()
            guard !["content-length", "transfer-encoding", "connection"].contains(name) else { continue }
            out += line.filter { $0 != 0x0D && $0 != 0x0A }
            out += [0x0D, 0x0A]
        }
        out += Array("Content-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8)
        return out + body
    }
}
