import COpenSSL

/// SHA-256 and HMAC-SHA256 over OpenSSL's libcrypto.
///
/// The digest implementation is fetched once: OpenSSL 3 otherwise looks it up in its provider
/// registry on every call, which costs more than hashing a short request.
public enum SHA256 {
    public static let byteCount = 32
    static let blockSize = 64

    nonisolated(unsafe) private static let digest: OpaquePointer = {
        guard let md = EVP_MD_fetch(nil, "SHA2-256", nil) else {
            fatalError("libcrypto has no SHA2-256 implementation")
        }
        return md
    }()

    /// The SHA-256 digest of `bytes`.
    public static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        digest { update($0, bytes) }
    }

    /// The SHA-256 digest of `first` followed by `second`, without concatenating them.
    public static func hash<First: Collection<UInt8>, Second: Collection<UInt8>>(_ first: First, _ second: Second) -> [UInt8] {
        digest {
            update($0, first)
            update($0, second)
        }
    }

    private static func digest(_ feed: (OpaquePointer) -> Void) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { fatalError("libcrypto is out of memory") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex2(context, digest, nil) == 1 else { fatalError("EVP_DigestInit_ex2 failed") }
        feed(context)
        var output = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &output, &length) == 1, Int(length) == byteCount else {
            fatalError("EVP_DigestFinal_ex failed")
        }
        return output
    }

    private static func update<Bytes: Collection<UInt8>>(_ context: OpaquePointer, _ bytes: Bytes) {
        let done = bytes.withContiguousStorageIfAvailable { buffer in
            EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
        }
        if done == nil {
            let copy = Array(bytes)
            _ = copy.withUnsafeBufferPointer { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        }
    }
}

/// HMAC-SHA256 (RFC 2104) over the SHA-256 above.
public enum HMACSHA256 {
    public static func authenticationCode<Key: Collection<UInt8>, Message: Collection<UInt8>>(
        key: Key, message: Message
    ) -> [UInt8] {
        var block = key.count > SHA256.blockSize ? SHA256.hash(key) : Array(key)
        block.append(contentsOf: repeatElement(0, count: SHA256.blockSize - block.count))
        let innerPad = block.map { $0 ^ 0x36 }
        let outerPad = block.map { $0 ^ 0x5c }
        return SHA256.hash(outerPad, SHA256.hash(innerPad, message))
    }
}

extension Collection<UInt8> {
    /// Lower-case hexadecimal, as SigV4 and logs want it.
    public var hexEncoded: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
