#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in Unix time broken into UTC calendar fields, rendered the ways the product needs:
/// SigV4's `20150830T123600Z` and `20150830`, and RFC 3339 with milliseconds for log lines.
public struct UTCTime: Sendable {
    private let year, month, day, hour, minute, second, millisecond: Int32

    public init(epochMilliseconds: Int64) {
        let (quotient, remainder) = epochMilliseconds.quotientAndRemainder(dividingBy: 1000)
        var seconds = time_t(remainder < 0 ? quotient - 1 : quotient)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        year = fields.tm_year + 1900
        month = fields.tm_mon + 1
        day = fields.tm_mday
        hour = fields.tm_hour
        minute = fields.tm_min
        second = fields.tm_sec
        millisecond = Int32(remainder < 0 ? remainder + 1000 : remainder)
    }

    public static var now: UTCTime { UTCTime(epochMilliseconds: currentEpochMilliseconds()) }

    /// `20150830`.
    public var compactDate: String {
        rendered(capacity: 16) { text in text.appendDigits(year, width: 4); text.appendDigits(month); text.appendDigits(day) }
    }

    /// `20150830T123600Z`.
    public var compactTimestamp: String {
        rendered(capacity: 24) { text in
            text.appendDigits(year, width: 4); text.appendDigits(month); text.appendDigits(day)
            text.append(UInt8(ascii: "T"))
            text.appendDigits(hour); text.appendDigits(minute); text.appendDigits(second)
            text.append(UInt8(ascii: "Z"))
        }
    }

    /// `2015-08-30T12:36:00.123Z`.
    public var rfc3339Milliseconds: String {
        rendered(capacity: 32) { text in
            text.appendDigits(year, width: 4); text.append(UInt8(ascii: "-"))
            text.appendDigits(month); text.append(UInt8(ascii: "-"))
            text.appendDigits(day); text.append(UInt8(ascii: "T"))
            text.appendDigits(hour); text.append(UInt8(ascii: ":"))
            text.appendDigits(minute); text.append(UInt8(ascii: ":"))
            text.appendDigits(second); text.append(UInt8(ascii: "."))
            text.appendDigits(millisecond, width: 3); text.append(UInt8(ascii: "Z"))
        }
    }

    // Both renderings are on hot paths (every signature, every log line), so they are written
    // as bytes straight into the string's storage rather than through interpolation.
    private func rendered(capacity: Int, _ write: (inout DigitWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var text = DigitWriter(buffer: buffer)
            write(&text)
            return text.count
        }
    }
}

/// Decimal digits and separators written into a buffer known to be large enough.
private struct DigitWriter {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    var count = 0

    mutating func append(_ byte: UInt8) {
        buffer[count] = byte
        count += 1
    }

    /// Appends a number in decimal (its magnitude), padded with zeros to at least `width` digits.
    mutating func appendDigits(_ number: Int32, width: Int = 2) {
        let value = number.magnitude
        var divisor: UInt32 = 1
        var digits = 1
        while digits < width || value / divisor >= 10 {
            divisor *= 10
            digits += 1
        }
        while divisor > 0 {
            append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
            divisor /= 10
        }
    }
}
