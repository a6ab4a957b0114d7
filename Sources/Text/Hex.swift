/// Hexadecimal digits: the one table behind SigV4's lower-case digests, percent-encoding's `%XX`
/// and the `\uXXXX` / `U+XXXX` escapes of JSON, `.properties` files and error messages.
public enum Hex {
    public static let lowercaseDigits: [UInt8] = Array("0123456789abcdef".utf8)
    public static let uppercaseDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// `value` in hexadecimal, padded with zeros to at least `width` digits (`0085`, `1F680`).
    public static func padded(_ value: UInt32, width: Int = 4, uppercase: Bool) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Array<UInt8> {
    /// Lower-case hexadecimal, as SigV4 and logs want it.
    public var hexEncoded: String {
        String(unsafeUninitializedCapacity: count * 2) { buffer in
            var index = 0
            for byte in self {
                buffer[index] = Hex.lowercaseDigits[Int(byte >> 4)]
                buffer[index + 1] = Hex.lowercaseDigits[Int(byte & 0x0f)]
                index += 2
            }
            return index
        }
    }
}
