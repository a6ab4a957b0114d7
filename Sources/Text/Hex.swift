/// Hexadecimal digits: the one rule behind SigV4's lower-case digests, percent-encoding's `%XX`
/// and the `\uXXXX` / `U+XXXX` escapes of JSON, `.properties` files and error messages.
public enum Hex {
    /// The ASCII digit of a value from 0 to 15.
    @inline(__always)
    public static func digit(_ nibble: UInt8, uppercase: Bool = false) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : (uppercase ? UInt8(ascii: "A") : UInt8(ascii: "a")) + nibble - 10
    }

    /// The value of an ASCII hexadecimal digit of either case, or nil for any other byte.
    public static func value(ofDigit byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `value` in hexadecimal, padded with zeros to at least `width` digits (`0085`, `1F680`).
    public static func padded(_ value: UInt32, width: Int = 4, uppercase: Bool) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Array<UInt8> {
    /// Lower-case hexadecimal, as SigV4 and logs want it.
    public var hexEncoded: String {
        var text = ByteWriter(capacity: count * 2)
        withUnsafeBytes { text.writeHex(of: $0) }
        return text.text
    }
}
