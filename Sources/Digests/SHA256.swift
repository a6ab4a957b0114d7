import COpenSSL

/// SHA-256 and HMAC-SHA256 over OpenSSL's libcrypto.
///
/// The digest implementation is fetched once: OpenSSL 3 otherwise looks it up in its provider
/// registry on every call, which costs more than hashing a short request. The entry points take
/// concrete types (bytes or a string's UTF-8) so they compile to direct calls, not generic ones.
public enum SHA256 {
    public static let byteCount = 32
    static let blockSize = 64

    nonisolated(unsafe) private static let digest: OpaquePointer = {
        guard let md = EVP_MD_fetch(nil, "SHA2-256", nil) else {
            fatalError("libcrypto has no SHA2-256 implementation")
        }
        return md
    }()

    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash(parts: [$0]) }
    }

    /// The digest of the text's UTF-8 bytes.
    public static func hash(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { hash(parts: [UnsafeRawBufferPointer($0)]) }
    }

    /// The digest of `first` followed by `second`, without concatenating them.
    public static func hash(_ first: [UInt8], _ second: [UInt8]) -> [UInt8] {
        first.withUnsafeBytes { head in second.withUnsafeBytes { tail in hash(parts: [head, tail]) } }
    }

    static func hash(parts: [UnsafeRawBufferPointer]) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { fatalError("libcrypto is out of memory") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex2(context, digest, nil) == 1 else { fatalError("EVP_DigestInit_ex2 failed") }
        for part in parts where part.count > 0 {
            EVP_DigestUpdate(context, part.baseAddress, part.count)
        }
        var output = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &output, &length) == 1, Int(length) == byteCount else {
            fatalError("EVP_DigestFinal_ex failed")
        }
        return output
    }
}

/// HMAC-SHA256 (RFC 2104) over the SHA-256 above.
public enum HMACSHA256 {
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > SHA256.blockSize ? SHA256.hash(key) : key
        block.append(contentsOf: repeatElement(0, count: SHA256.blockSize - block.count))
        let innerPad = block.map { $0 ^ 0x36 }
        let outerPad = block.map { $0 ^ 0x5c }
        return SHA256.hash(outerPad, SHA256.hash(innerPad, message))
    }

    /// The code of the text's UTF-8 bytes.
    public static func authenticationCode(key: [UInt8], message: String) -> [UInt8] {
        authenticationCode(key: key, message: Array(message.utf8))
    }
}
