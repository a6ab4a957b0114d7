import Digests
import Testing
import Text

@Suite struct SHA256Tests {
    // FIPS 180-2 examples.
    @Test func hashesTheEmptyString() {
        #expect(SHA256.hash("").hexEncoded == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func hashesAbc() {
        #expect(SHA256.hash("abc").hexEncoded == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hashesPartsAsIfConcatenated() {
        let whole = SHA256.hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        var parts = SHA256.Hasher()
        parts.update(Array("abcdbcdecdefdefgefgh".utf8))
        parts.update("fghighijhijkijkljklmklmnlmnomnopnopq")
        #expect(whole == parts.finish())
        #expect(whole.hexEncoded == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func aCopiedHasherGoesOnIndependently() {
        var common = SHA256.Hasher()
        common.update("abcdbcdecdefdefgefgh")
        var whole = common
        whole.update("fghighijhijkijkljklmklmnlmnomnopnopq")
        var other = common
        other.update("x")
        #expect(whole.finish().hexEncoded == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(other.finish() == SHA256.hash("abcdbcdecdefdefgefghx"))
        #expect(common.finish() == SHA256.hash("abcdbcdecdefdefgefgh"))
    }

    @Test func writesTheDigestInHex() {
        var writer = ByteWriter(capacity: 4)
        var hasher = SHA256.Hasher()
        hasher.update("abc")
        hasher.finish(writingHexTo: &writer)
        #expect(writer.text == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hashesAMillionAs() {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hash(million).hexEncoded == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct HMACSHA256Tests {
    // RFC 4231 test cases 1, 2, 6 and 7 (6 and 7 use a key longer than the block size).
    @Test(arguments: [
        (String(repeating: "0b", count: 20), Array("Hi There".utf8).hexEncoded,
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8).hexEncoded, Array("what do ya want for nothing?".utf8).hexEncoded,
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8).hexEncoded,
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (String(repeating: "aa", count: 131),
         Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8).hexEncoded,
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func matchesRFC4231(keyHex: String, messageHex: String, expected: String) {
        let code = HMACSHA256.authenticationCode(key: bytes(hex: keyHex), message: bytes(hex: messageHex))
        #expect(code.hexEncoded == expected)
    }

    @Test func aPreparedKeyAuthenticatesManyMessagesAlike() {
        let key = HMACSHA256.Key(Array("Jefe".utf8))
        let message = Array("what do ya want for nothing?".utf8)
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        #expect(key.authenticationCode(message).hexEncoded == expected)
        #expect(key.authenticationCode(message).hexEncoded == expected)
        var writer = ByteWriter(capacity: 8)
        message.withUnsafeBufferPointer { key.authenticate($0, writingHexTo: &writer) }
        #expect(writer.text == expected)
        #expect(key.authenticationCode([]) == HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: []))
    }

    private func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }
}
