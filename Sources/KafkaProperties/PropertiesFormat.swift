import Text

/// Writes properties the way `java.util.Properties.store` does, so `Properties.load` reads back
/// exactly the same keys and values: `\`, `=`, `:`, `#`, `!` and whitespace escaped, every
/// character outside printable ASCII written as `\uXXXX` (UTF-16), so the file is plain ASCII.
public enum PropertiesFormat {
    public static func render(_ properties: [String: PropertyValue], comment: String? = nil) -> String {
        var out = ""
        if let comment {
            for line in comment.split(whereSeparator: \.isNewline) { out += "# " + escape(String(line), isKey: false) + "\n" }
        }
        for key in properties.keys.sorted() {
            out += escape(key, isKey: true) + "=" + escape(properties[key]!.text, isKey: false) + "\n"
        }
        return out
    }

    /// Java's `saveConvert`: in a key every space is escaped; in a value only a leading one.
    static func escape(_ text: String, isKey: Bool) -> String {
        var out = ""
        for (offset, unit) in text.utf16.enumerated() {
            switch unit {
            case 0x20: out += (isKey || offset == 0) ? "\\ " : " "
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x0C: out += "\\f"
            case 0x5C: out += "\\\\"
            case 0x3D, 0x3A, 0x23, 0x21: out += "\\" + String(UnicodeScalar(UInt8(unit)))
            case 0x21...0x7E: out.unicodeScalars.append(UnicodeScalar(UInt8(unit)))
            default:
                out += "\\u" + Hex.padded(UInt32(unit), uppercase: true)
            }
        }
        return out
    }
}
