import COpenSSL
import Text

/// SHA-256 over OpenSSL's libcrypto.
public enum SHA256 {
    public static let byteCount = 32
    static let blockSize = 64

    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finish()
    }

    /// The digest of the text's UTF-8 bytes.
    public static func hash(_ text: String) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(text)
        return hasher.finish()
    }

    /// A digest in progress, fed in parts. It is a plain value: a copy carries the state on
    /// independently, which is how an HMAC key keeps its two padded states ready.
    public struct Hasher: Sendable {
        private var context = SHA256_CTX()

        public init() {
            SHA256_Init(&context)
        }

        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            if bytes.count > 0 { SHA256_Update(&context, bytes.baseAddress, bytes.count) }
        }

        public mutating func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { update($0) }
        }

        public mutating func update(_ text: String) {
            var text = text
            text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
        }

        /// Writes the digest of everything given so far to the first 32 bytes of `output`.
        public consuming func finish(into output: UnsafeMutableRawBufferPointer) {
            precondition(output.count >= SHA256.byteCount, "a SHA-256 digest needs 32 bytes")
            SHA256_Final(output.baseAddress?.assumingMemoryBound(to: UInt8.self), &context)
        }

        public consuming func finish() -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: SHA256.byteCount) { buffer, count in
                finish(into: UnsafeMutableRawBufferPointer(buffer))
                count = SHA256.byteCount
            }
        }

        /// Writes the digest in lower-case hexadecimal, as SigV4 wants it.
        public consuming func finish(writingHexTo text: inout ByteWriter) {
            withUnsafeTemporaryAllocation(byteCount: SHA256.byteCount, alignment: 1) { digest in
                finish(into: digest)
                text.writeHex(of: UnsafeRawBufferPointer(digest))
            }
        }
    }
}

/// HMAC-SHA256 (RFC 2104) over the SHA-256 above.
public enum HMACSHA256 {
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Key(key).authenticationCode(message)
    }

    /// The code of the text's UTF-8 bytes.
    public static func authenticationCode(key: [UInt8], message: String) -> [UInt8] {
        authenticationCode(key: key, message: Array(message.utf8))
    }

    /// A key made ready once: its inner and outer padded blocks already hashed, so that each
    /// message costs two blocks fewer and no key handling.
    public struct Key: Sendable {
        private let inner: SHA256.Hasher
        private let outer: SHA256.Hasher

        public init(_ key: [UInt8]) {
            var block = key.count > SHA256.blockSize ? SHA256.hash(key) : key
            block.append(contentsOf: repeatElement(0, count: SHA256.blockSize - block.count))
            var inner = SHA256.Hasher(), outer = SHA256.Hasher()
            inner.update(block.map { $0 ^ 0x36 })
            outer.update(block.map { $0 ^ 0x5c })
            self.inner = inner
            self.outer = outer
        }

        public func authenticationCode(_ message: [UInt8]) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: SHA256.byteCount) { buffer, count in
                message.withUnsafeBytes { authenticate($0, into: UnsafeMutableRawBufferPointer(buffer)) }
                count = SHA256.byteCount
            }
        }

        /// Writes the code of `message` in lower-case hexadecimal.
        public func authenticate(_ message: UnsafeBufferPointer<UInt8>, writingHexTo text: inout ByteWriter) {
            withUnsafeTemporaryAllocation(byteCount: SHA256.byteCount, alignment: 1) { code in
                authenticate(UnsafeRawBufferPointer(message), into: code)
                text.writeHex(of: UnsafeRawBufferPointer(code))
            }
        }

        private func authenticate(_ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
            var innerHash = inner
            innerHash.update(message)
            innerHash.finish(into: output)
            var outerHash = outer
            outerHash.update(UnsafeRawBufferPointer(rebasing: output[..<SHA256.byteCount]))
            outerHash.finish(into: output)
        }
    }
}
