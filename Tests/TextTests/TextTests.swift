import Testing
import Text

@Suite struct TrimmingTests {
    @Test func trimsScalarsNotCharacters() {
        #expect("2\n".trimmed() == "2")
        #expect("\r x \r\n".trimmed() == "x")
        #expect("\u{20}\u{301}x".trimmed() == "\u{301}x")
    }

    @Test func trimsOnlyTheGivenScalars() {
        #expect(" \tkey \t".trimmed(" \t") == "key")
        #expect("\nkey\n".trimmed(" \t") == "\nkey\n")
    }
}

@Suite struct HexTests {
    @Test func encodesBytesInLowerCase() {
        #expect([0x00, 0x0f, 0xa5, 0xff].hexEncoded == "000fa5ff")
        #expect([UInt8]().hexEncoded == "")
    }

    @Test func digitsOfEveryNibble() {
        #expect((0...15).map { Hex.digit(UInt8($0)) } == Array("0123456789abcdef".utf8))
        #expect((0...15).map { Hex.digit(UInt8($0), uppercase: true) } == Array("0123456789ABCDEF".utf8))
    }

    @Test func readsDigitsOfEitherCaseAndNothingElse() {
        let digits = Array("0123456789abcdef".utf8), upper = Array("ABCDEF".utf8)
        for byte in UInt8.min...UInt8.max {
            let expected = digits.firstIndex(of: byte).map(UInt8.init) ?? upper.firstIndex(of: byte).map { UInt8($0 + 10) }
            #expect(Hex.value(ofDigit: byte) == expected, "byte \(byte)")
        }
    }

    @Test func padsEscapesToFourDigitsAtLeast() {
        #expect(Hex.padded(0x85, uppercase: true) == "0085")
        #expect(Hex.padded(0x1f, uppercase: false) == "001f")
        #expect(Hex.padded(0xfeff, uppercase: true) == "FEFF")
        #expect(Hex.padded(0x1f680, uppercase: true) == "1F680")
    }
}

@Suite struct Base64Tests {
    /// RFC 4648, section 10.
    static let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]

    @Test(arguments: vectors)
    func encodesAndDecodesTheRFCVectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func everyByteValueRoundTrips() {
        let bytes = (0...255).map(UInt8.init) + [0xFB, 0xFF]
        let encoded = Base64.encode(bytes)
        #expect(encoded.contains("+") && encoded.contains("/"))
        #expect(Base64.decode(encoded) == bytes)
    }

    @Test(arguments: ["Zg", "Zg=", "Z===", "====", "Zm9v====", "Zg==Zg==", "Zm=v", "=Zm9", " Zg==", "Zm9v\n", "Zm9-", "Zm9_", "Zm9vY", "Zg==\u{0}", "Zm9vé"])
    func refusesWhatIsNotBase64(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func acceptsNonZeroBitsUnderThePaddingAsFoundationDoes() {
        #expect(Base64.decode("Zh==") == [0x66])
        #expect(Base64.decode("Zm9vYmF=") == Array("fooba".utf8))
    }
}

@Suite struct ByteWriterTests {
    @Test func writesPiecesInOrderAndGrowsPastItsCapacity() {
        var writer = ByteWriter(capacity: 1)
        let long = String(repeating: "abcdefgh", count: 40)
        writer.write("GET")
        writer.write(UInt8(ascii: " "))
        writer.write(long)
        [UInt8](repeating: 0xab, count: 100).withUnsafeBytes { writer.writeHex(of: $0) }
        #expect(writer.count == 3 + 1 + 320 + 200)
        #expect(writer.text == "GET " + long + String(repeating: "ab", count: 100))
    }

    @Test func writesHexOfEveryByteValue() {
        var writer = ByteWriter(capacity: 16)
        let bytes = (0...255).map { UInt8($0) }
        bytes.withUnsafeBytes { writer.writeHex(of: $0) }
        #expect(writer.text == bytes.hexEncoded)
        #expect(writer.text.hasPrefix("000102") && writer.text.hasSuffix("fdfeff"))
    }

    @Test func lowercasesOnlyASCIILetters() {
        var writer = ByteWriter(capacity: 4)
        writer.write("Keep:")
        writer.writeLowercased("X-Amz-Date_Ä@[`{")
        #expect(writer.text == "Keep:x-amz-date_Ä@[`{")
    }

    @Test func takesBackTheLastByteAndShowsRanges() {
        var writer = ByteWriter(capacity: 8)
        writer.write("a:b\n")
        writer.removeLast()
        writer.write(",c")
        #expect(writer.text == "a:b,c")
        #expect(writer.withBytes(in: 2..<5) { String(decoding: $0, as: UTF8.self) } == "b,c")
        #expect(writer.withBytes(in: 0..<0) { $0.count } == 0)
    }
}

@Suite struct ScalarSearchTests {
    @Test(arguments: [
        ("http://host", "://", 4..<7), ("a:b://c://d", "://", 3..<6), ("<Code>x</Code>", "</Code>", 7..<14),
        ("abc", "abc", 0..<3), ("abc", "", 0..<0), ("", "", 0..<0), ("aab", "ab", 1..<3),
    ])
    func findsTheFirstOccurrence(text: String, wanted: String, scalarOffsets: Range<Int>) throws {
        let range = try #require(text.firstRange(ofScalars: wanted))
        let scalars = text.unicodeScalars
        #expect(scalars.distance(from: scalars.startIndex, to: range.lowerBound) == scalarOffsets.lowerBound)
        #expect(scalars.distance(from: scalars.startIndex, to: range.upperBound) == scalarOffsets.upperBound)
    }

    @Test(arguments: [("abc", "abd"), ("ab", "abc"), ("", "a"), ("Signature Expired", "Signature expired")])
    func findsNothingWhenAbsent(text: String, wanted: String) {
        #expect(text.firstRange(ofScalars: wanted) == nil)
    }

    @Test func searchesASubstringWithinItsBounds() {
        let text = "<a>1</a><a>2</a>"
        let first = text.firstRange(ofScalars: "</a>")!
        let rest = text[first.upperBound...]
        #expect(String(text[rest.firstRange(ofScalars: "<a>")!.upperBound...]) == "2</a>")
    }

    @Test func matchesScalarsNotCharacters() {
        // "e" then a combining acute accent is one Character but two scalars.
        #expect("cafe\u{301}".firstRange(ofScalars: "e") != nil)
        #expect("x👍🏽y".firstRange(ofScalars: "🏽y") != nil)
    }
}
