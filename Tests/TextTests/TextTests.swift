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

    @Test func padsEscapesToFourDigitsAtLeast() {
        #expect(Hex.padded(0x85, uppercase: true) == "0085")
        #expect(Hex.padded(0x1f, uppercase: false) == "001f")
        #expect(Hex.padded(0xfeff, uppercase: true) == "FEFF")
        #expect(Hex.padded(0x1f680, uppercase: true) == "1F680")
    }
}
